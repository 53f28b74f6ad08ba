//! The individual development plan (IDP) of an ASN for a year: generated from their gaps and
//! the weaknesses of their last evaluation (`domain::plan`), edited by them, submitted,
//! approved or returned by the supervisor (`pimpinan` over them, or BKPSDM); items from an
//! approved training plan are added by the approval. Progress follows enrolments and
//! approved activities.

use std::collections::HashMap;

use cakap_domain::Role;
use cakap_domain::learning::Jalur;
use cakap_domain::plan::{self as rules, CourseOption, Need, Source};
use cakap_domain::status::IdpStatus;
use cakap_store::plans::{self as store, NewItem};
use cakap_store::{assessments, learning, performance, requirements};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdpItem {
    pub id: i64,
    /// `gap`, `weakness`, `succession`, `jp`, `plan` (from an approved training plan) or `own`.
    pub source: String,
    pub competency: Option<String>,
    pub competency_name: Option<String>,
    pub gap: i64,
    /// A form of docs/domain.md#learning.
    pub jalur: String,
    pub course: Option<String>,
    pub offering: Option<String>,
    pub title: String,
    pub target_date: String,
    pub jp: i64,
    /// `planned`, `waitlisted`, `enrolled` or `done`.
    pub progress: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Idp {
    pub nip: String,
    pub name: String,
    pub year: i64,
    /// `draft`, `submitted`, `approved` or `returned`.
    pub status: String,
    pub return_reason: Option<String>,
    pub decided_by: Option<String>,
    pub items: Vec<IdpItem>,
    /// JP the items plan.
    pub jp_planned: i64,
    /// JP of the items already done.
    pub jp_done: i64,
    /// Items done, in percent.
    pub progress: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ItemInput {
    pub jalur: String,
    pub title: String,
    /// `YYYY-MM-DD`, within the plan's year.
    pub target_date: String,
    pub jp: i64,
    /// A competency code of the dictionary.
    pub competency: Option<String>,
    /// A course code of the catalogue.
    pub course: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ItemsInput {
    pub items: Vec<ItemInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub approve: bool,
    /// Required when returning.
    pub reason: Option<String>,
}

fn check_year(year: i64) -> ServiceResult<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(ServiceError::invalid("year", "plan.year_range"))
    }
}

/// The person (visible to the actor) and whether the actor may edit their plan: themself,
/// their `pimpinan` or BKPSDM.
async fn person(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    nip: &str,
) -> ServiceResult<(cakap_store::employees::EmployeeRow, bool)> {
    let e = crate::actor::visible_row(c, actor, nip).await?;
    let own = actor.employee_id == Some(e.id);
    let may_edit = own || matches!(actor.role, Role::Admin | Role::Pimpinan);
    Ok((e, may_edit))
}

pub async fn get(db: &Db, actor: &Actor, nip: &str, year: i64) -> ServiceResult<Idp> {
    check_year(year)?;
    let mut c = db.conn().await?;
    let (e, _) = person(&mut c, actor, nip).await?;
    let idp = store::idp(&mut c, actor.tenant_id, e.id, year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let items = store::idp_items(&mut c, actor.tenant_id, idp.id, e.id, year).await?;
    Ok(to_idp(e.nip, e.name, idp, items))
}

fn to_idp(nip: String, name: String, idp: store::IdpRow, rows: Vec<store::IdpItemRow>) -> Idp {
    let items: Vec<IdpItem> = rows
        .into_iter()
        .map(|r| {
            let progress = match (r.course.is_some(), r.enrollment.as_deref()) {
                (true, Some("a_completed")) => "done",
                (true, Some("b_enrolled")) => "enrolled",
                (true, Some("c_waitlisted")) => "waitlisted",
                (false, _) if r.activities_done > 0 => "done",
                _ => "planned",
            };
            IdpItem {
                id: r.id,
                source: r.source,
                competency: r.competency,
                competency_name: r.competency_name,
                gap: r.gap,
                jalur: r.jalur,
                course: r.course,
                offering: r.offering,
                title: r.title,
                target_date: r.target_date,
                jp: r.jp,
                progress: progress.to_string(),
            }
        })
        .collect();
    let jp_planned = items.iter().map(|i| i.jp).sum();
    let jp_done = items
        .iter()
        .filter(|i| i.progress == "done")
        .map(|i| i.jp)
        .sum();
    let done = items.iter().filter(|i| i.progress == "done").count() as i64;
    let progress = if items.is_empty() {
        0
    } else {
        done * 100 / items.len() as i64
    };
    Idp {
        nip,
        name,
        year: idp.year,
        status: idp.status.to_string(),
        return_reason: idp.return_reason,
        decided_by: idp.decided_by,
        items,
        jp_planned,
        jp_done,
        progress,
    }
}

/// Opens the transaction of a change to `nip`'s plan: the person must be visible to the
/// actor, who is themself, a `pimpinan` over them or BKPSDM; the person is locked so two
/// changes to one plan run one after the other.
async fn begin_edit<'a>(
    db: &'a Db,
    actor: &'a Actor,
    nip: &str,
    year: i64,
) -> ServiceResult<(Change<'a>, cakap_store::employees::EmployeeRow)> {
    check_year(year)?;
    let mut c = Change::begin(db, actor).await?;
    let (e, may_edit) = person(&mut c, actor, nip).await?;
    if !may_edit {
        return Err(ServiceError::Forbidden);
    }
    c.lock(cakap_store::db::LockSpace::Learner, e.id).await?;
    Ok((c, e))
}

/// One audit entry for a change to the plan of `nip` for `year`.
async fn audit<T: Serialize>(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    action: &str,
    nip: &str,
    year: i64,
    before: Option<&T>,
    after: Option<&T>,
) -> ServiceResult<()> {
    crate::audit::record(
        c,
        actor,
        action,
        "idp",
        &format!("{nip}/{year}"),
        before,
        after,
    )
    .await
}

/// What the audit keeps of a change that replaced the items.
#[derive(Serialize)]
struct ItemCount {
    year: i64,
    items: usize,
}

fn editable(status: IdpStatus) -> ServiceResult<()> {
    if matches!(status, IdpStatus::Draft | IdpStatus::Returned) {
        Ok(())
    } else {
        Err(ServiceError::Conflict {
            key: "plan.idp_locked",
        })
    }
}

/// The proposals for one person (pure reads; nothing written).
async fn proposals(
    c: &mut cakap_store::Conn,
    tenant: i64,
    e: &cakap_store::employees::EmployeeRow,
    year: i64,
) -> ServiceResult<Vec<NewItem>> {
    let today = chrono::Local::now().date_naive();
    let reqs = match e.position_id {
        Some(p) => requirements::of_position(c, tenant, p).await?,
        None => Vec::new(),
    };
    let history = assessments::of_employee(c, tenant, e.id).await?;
    let gaps = crate::gaps::against(e.nip.clone(), &reqs, &history, today);
    let weaknesses = performance::latest_weaknesses(c, tenant, e.id).await?;
    let mut needs: Vec<Need> = Vec::new();
    for (g, r) in gaps
        .gaps
        .iter()
        .zip(reqs.iter().filter(|r| (1..=5).contains(&r.level)))
    {
        needs.push(Need {
            competency_id: r.competency_id,
            name: g.name.clone(),
            required: g.required as u8,
            actual: g.actual as u8,
            crisis: r.crisis,
            weakness: weaknesses.iter().any(|w| w.code == g.competency),
            source: Source::Gap,
        });
    }
    for w in &weaknesses {
        if needs.iter().any(|n| n.weakness && n.name == w.name) {
            continue;
        }
        if let Some(k) = cakap_store::competencies::by_code(c, tenant, &w.code).await? {
            needs.push(Need {
                competency_id: k.id,
                name: w.name.clone(),
                required: 0,
                actual: 0,
                crisis: k.crisis,
                weakness: true,
                source: Source::Weakness,
            });
        }
    }
    // Courses with their targets, and this year's first open class with a seat.
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let targets = store::course_targets(c, tenant).await?;
    let taken = store::taken(c, tenant).await?;
    let mine: Vec<i64> = taken
        .iter()
        .filter(|t| t.employee_id == e.id)
        .map(|t| t.course_id)
        .collect();
    let offerings = learning::offerings(c, tenant, None, true).await?;
    let (courses, _) = learning::courses(c, tenant, &[], None, false, 500, 0).await?;
    let mut by_course: HashMap<i64, Vec<(i64, u8)>> = HashMap::new();
    for t in targets {
        by_course
            .entry(t.course_id)
            .or_default()
            .push((t.competency_id, t.level as u8));
    }
    let options: Vec<CourseOption> = courses
        .iter()
        .filter(|co| co.active && !mine.contains(&co.id))
        .filter_map(|co| {
            let targets = by_course.get(&co.id)?.clone();
            let offering = offerings
                .iter()
                .filter(|o| o.course_id == co.id && o.starts_on >= from && o.starts_on <= to)
                .filter(|o| o.seats.is_none_or(|s| s > o.taken))
                .find_map(|o| {
                    NaiveDate::parse_from_str(&o.starts_on, "%Y-%m-%d")
                        .ok()
                        .map(|d| (o.id, d))
                });
            Some(CourseOption {
                course_id: co.id,
                title: co.title.clone(),
                jalur: co.jalur.parse().unwrap_or(Jalur::PelatihanTeknis),
                jp: co.jp,
                e_learning: co.mode == "e_learning",
                targets,
                offering,
            })
        })
        .collect();
    let jp = learning::jp_items(c, tenant, e.id, &from, &to).await?;
    let jp_have: i64 = jp.iter().map(|j| j.jp).sum();
    Ok(rules::propose(year as i32, &needs, &options, jp_have)
        .into_iter()
        .map(|p| NewItem {
            source: p.source.as_str().to_string(),
            competency_id: p.competency_id,
            gap: i64::from(p.gap),
            jalur: p.jalur.as_str().to_string(),
            course_id: p.course_id,
            offering_id: p.offering_id,
            title: p.title,
            target_date: p.target_date.format("%Y-%m-%d").to_string(),
            jp: p.jp,
        })
        .collect())
}

/// (Re)generates the proposals of a draft or returned plan; items an approved training plan
/// added stay.
pub async fn generate(db: &Db, actor: &Actor, nip: &str, year: i64) -> ServiceResult<Idp> {
    let (mut c, e) = begin_edit(db, actor, nip, year).await?;
    if let Some(existing) = store::idp(&mut c, actor.tenant_id, e.id, year).await? {
        editable(existing.status)?;
    }
    let items = proposals(&mut c, actor.tenant_id, &e, year).await?;
    let id = store::ensure_idp(&mut c, actor.tenant_id, e.id, year).await?;
    store::replace_items(&mut c, actor.tenant_id, id, &items, true).await?;
    let after = ItemCount {
        year,
        items: items.len(),
    };
    audit(&mut c, actor, "generate", &e.nip, year, None, Some(&after)).await?;
    c.finish(&[Topic::Learning]).await?;
    get(db, actor, nip, year).await
}

/// Replaces the items (the ASN's own edits) of a draft or returned plan.
pub async fn update(
    db: &Db,
    actor: &Actor,
    nip: &str,
    year: i64,
    input: &ItemsInput,
) -> ServiceResult<Idp> {
    if input.items.is_empty() || input.items.len() > 30 {
        return Err(ServiceError::invalid("items", "plan.items_count"));
    }
    let (mut c, e) = begin_edit(db, actor, nip, year).await?;
    let mut items = Vec::with_capacity(input.items.len());
    for it in &input.items {
        items.push(check_item(&mut c, actor, year, it).await?);
    }
    let id = store::ensure_idp(&mut c, actor.tenant_id, e.id, year).await?;
    let before = store::idp(&mut c, actor.tenant_id, e.id, year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    editable(before.status)?;
    store::replace_items(&mut c, actor.tenant_id, id, &items, true).await?;
    let after = ItemCount {
        year,
        items: items.len(),
    };
    audit(&mut c, actor, "update", &e.nip, year, None, Some(&after)).await?;
    c.finish(&[Topic::Learning]).await?;
    get(db, actor, nip, year).await
}

async fn check_item(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    year: i64,
    it: &ItemInput,
) -> ServiceResult<NewItem> {
    let jalur: Jalur = it
        .jalur
        .parse()
        .map_err(|()| ServiceError::invalid("jalur", "learning.unknown_jalur"))?;
    let title = validate::text("title", &it.title, 200)?;
    let date = NaiveDate::parse_from_str(it.target_date.trim(), "%Y-%m-%d")
        .map_err(|_| ServiceError::invalid("target_date", "plan.target_date"))?;
    if i64::from(chrono::Datelike::year(&date)) != year {
        return Err(ServiceError::invalid("target_date", "plan.target_date"));
    }
    if !(0..=200).contains(&it.jp) {
        return Err(ServiceError::invalid("jp", "plan.jp_range"));
    }
    let competency_id = match it
        .competency
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(
            cakap_store::competencies::by_code(c, actor.tenant_id, code)
                .await?
                .ok_or(ServiceError::invalid(
                    "competency",
                    "plan.unknown_competency",
                ))?
                .id,
        ),
        None => None,
    };
    let course_id = match it
        .course
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(
            learning::course(c, actor.tenant_id, code)
                .await?
                .ok_or(ServiceError::invalid("course", "plan.unknown_course"))?
                .id,
        ),
        None => None,
    };
    Ok(NewItem {
        source: "own".into(),
        competency_id,
        gap: 0,
        jalur: jalur.as_str().to_string(),
        course_id,
        offering_id: None,
        title,
        target_date: date.format("%Y-%m-%d").to_string(),
        jp: it.jp,
    })
}

/// Adds one item of the ASN's own to a draft or returned plan (made if there is none).
pub async fn add_item(
    db: &Db,
    actor: &Actor,
    nip: &str,
    year: i64,
    it: &ItemInput,
) -> ServiceResult<Idp> {
    let (mut c, e) = begin_edit(db, actor, nip, year).await?;
    let item = check_item(&mut c, actor, year, it).await?;
    let id = store::ensure_idp(&mut c, actor.tenant_id, e.id, year).await?;
    let idp = store::idp(&mut c, actor.tenant_id, e.id, year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    editable(idp.status)?;
    store::add_items(&mut c, actor.tenant_id, id, std::slice::from_ref(&item)).await?;
    audit(
        &mut c,
        actor,
        "add_item",
        &e.nip,
        year,
        None,
        Some(&item.title),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    get(db, actor, nip, year).await
}

/// Removes one item of a draft or returned plan.
pub async fn remove_item(
    db: &Db,
    actor: &Actor,
    nip: &str,
    year: i64,
    item: i64,
) -> ServiceResult<Idp> {
    let (mut c, e) = begin_edit(db, actor, nip, year).await?;
    let idp = store::idp(&mut c, actor.tenant_id, e.id, year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    editable(idp.status)?;
    if store::delete_item(&mut c, actor.tenant_id, idp.id, item).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    audit(
        &mut c,
        actor,
        "remove_item",
        &e.nip,
        year,
        Some(&item),
        None,
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    get(db, actor, nip, year).await
}

/// The ASN hands their plan to the supervisor.
pub async fn submit(db: &Db, actor: &Actor, nip: &str, year: i64) -> ServiceResult<Idp> {
    check_year(year)?;
    let mut c = Change::begin(db, actor).await?;
    let (e, _) = person(&mut c, actor, nip).await?;
    if actor.employee_id != Some(e.id) && actor.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    let idp = store::idp(&mut c, actor.tenant_id, e.id, year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    editable(idp.status)?;
    let items = store::idp_items(&mut c, actor.tenant_id, idp.id, e.id, year).await?;
    if items.is_empty() {
        return Err(ServiceError::invalid("items", "plan.items_count"));
    }
    store::set_idp_status(
        &mut c,
        actor.tenant_id,
        idp.id,
        IdpStatus::Submitted,
        None,
        None,
    )
    .await?;
    audit(
        &mut c,
        actor,
        "submit",
        &e.nip,
        year,
        Some(&idp.status.as_str()),
        Some(&"submitted"),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    get(db, actor, nip, year).await
}

/// The supervisor approves or returns a submitted plan (never their own).
pub async fn decide(
    db: &Db,
    actor: &Actor,
    nip: &str,
    year: i64,
    d: &DecisionInput,
) -> ServiceResult<Idp> {
    check_year(year)?;
    let reason = validate::optional_text("reason", d.reason.as_deref(), 1000)?;
    if !d.approve && reason.is_none() {
        return Err(ServiceError::invalid("reason", "learning.reason_needed"));
    }
    let mut c = Change::begin(db, actor).await?;
    let (e, _) = person(&mut c, actor, nip).await?;
    let may =
        actor.may_decide_on(e.id, &e.nip) && matches!(actor.role, Role::Admin | Role::Pimpinan);
    if !may {
        return Err(ServiceError::Forbidden);
    }
    let idp = store::idp(&mut c, actor.tenant_id, e.id, year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if idp.status != IdpStatus::Submitted {
        return Err(ServiceError::Conflict {
            key: "plan.idp_not_submitted",
        });
    }
    let status = if d.approve {
        IdpStatus::Approved
    } else {
        IdpStatus::Returned
    };
    store::set_idp_status(
        &mut c,
        actor.tenant_id,
        idp.id,
        status,
        Some(&actor.username),
        reason.as_deref(),
    )
    .await?;
    audit(
        &mut c,
        actor,
        if d.approve { "approve" } else { "return" },
        &e.nip,
        year,
        Some(&idp.status.as_str()),
        Some(&status.as_str()),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    get(db, actor, nip, year).await
}
