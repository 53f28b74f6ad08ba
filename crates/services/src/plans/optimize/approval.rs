//! Approving a draft plan: enrolments and IDP items in one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use cakap_domain::status::{EnrolmentStatus, OfferingStatus, PlanStatus};
use cakap_store::learning;
use cakap_store::plans::{self as store, NewItem};
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Approved {
    pub id: i64,
    pub status: String,
    pub enrolled: i64,
    /// Classes full by now: these people were put on the waiting list.
    pub waitlisted: i64,
    /// Assignments left as they were: the person already has the course, or the class closed.
    pub skipped: i64,
    pub idp_items: i64,
}

/// Approves a draft: every assignment becomes an enrolment (waiting list where the class has
/// filled since) and an item of the person's IDP for the year — in one transaction, audited.
pub async fn approve(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Approved> {
    actor.require_admin()?;
    let tenant = actor.tenant_id;
    let mut c = Change::begin(db, actor).await?;
    let row = store::plan(&mut c, tenant, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.status == PlanStatus::Draft
        && store::plans(&mut c, tenant, Some(row.year))
            .await?
            .iter()
            .any(|p| p.status == PlanStatus::Approved)
    {
        return Err(ServiceError::Conflict {
            key: "plan.year_approved",
        });
    }
    if !store::approve_plan(&mut c, tenant, id, &actor.username).await? {
        return Err(ServiceError::Conflict {
            key: "plan.already_approved",
        });
    }
    let assignments = store::assignments(&mut c, tenant, id).await?;
    // Whoever has meanwhile enrolled in (or finished) the course keeps what they have.
    let active: HashSet<(i64, i64)> = store::taken(&mut c, tenant)
        .await?
        .into_iter()
        .map(|t| (t.employee_id, t.course_id))
        .collect();
    let classes: HashMap<i64, learning::OfferingRow> =
        learning::offerings(&mut c, tenant, None, false)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
    let mut skipped = 0i64;
    let mut free: HashMap<i64, Option<i64>> = HashMap::new();
    let mut jalur: HashMap<i64, String> = HashMap::new();
    let (mut enrolled, mut waitlisted) = (0i64, 0i64);
    let mut items: BTreeMap<i64, Vec<NewItem>> = BTreeMap::new();
    for a in &assignments {
        let Some(class) = classes.get(&a.offering_id) else {
            skipped += 1;
            continue;
        };
        if class.status != OfferingStatus::Open || active.contains(&(a.employee_id, a.course_id)) {
            skipped += 1;
            continue;
        }
        let left = match free.get(&a.offering_id) {
            Some(left) => *left,
            None => {
                c.lock(cakap_store::db::LockSpace::Offering, a.offering_id)
                    .await?;
                match class.seats {
                    Some(s) => Some(s - store::seats_taken(&mut c, tenant, a.offering_id).await?),
                    None => None,
                }
            }
        };
        let status = if left.is_none_or(|l| l > 0) {
            EnrolmentStatus::Enrolled
        } else {
            EnrolmentStatus::Waitlisted
        };
        learning::upsert_enrollment(
            &mut c,
            tenant,
            a.offering_id,
            a.employee_id,
            status,
            &actor.username,
        )
        .await?;
        if status == EnrolmentStatus::Enrolled {
            enrolled += 1;
            free.insert(a.offering_id, left.map(|l| l - 1));
        } else {
            waitlisted += 1;
            free.insert(a.offering_id, left);
        }
        items.entry(a.employee_id).or_default().push(NewItem {
            source: "plan".into(),
            competency_id: None,
            gap: 0,
            jalur: match jalur.get(&a.course_id) {
                Some(j) => j.clone(),
                None => {
                    let j = learning::course_by_id(&mut c, tenant, a.course_id)
                        .await?
                        .map_or_else(|| "pelatihan_teknis".to_string(), |co| co.jalur);
                    jalur.insert(a.course_id, j.clone());
                    j
                }
            },
            course_id: Some(a.course_id),
            offering_id: Some(a.offering_id),
            title: a.course_title.clone(),
            target_date: a.starts_on.clone(),
            jp: a.jp,
        });
    }
    let mut idp_items = 0i64;
    for (employee, list) in &items {
        let idp = store::ensure_idp(&mut c, tenant, *employee, row.year).await?;
        store::add_items(&mut c, tenant, idp, list).await?;
        idp_items += list.len() as i64;
    }
    #[derive(Serialize)]
    struct Audit {
        status: &'static str,
        enrolled: i64,
        waitlisted: i64,
        skipped: i64,
        idp_items: i64,
    }
    let after = Audit {
        status: "approved",
        skipped,
        enrolled,
        waitlisted,
        idp_items,
    };
    c.record(
        "approve",
        "training_plan",
        &id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(Approved {
        id,
        status: "approved".into(),
        enrolled,
        waitlisted,
        skipped,
        idp_items,
    })
}
