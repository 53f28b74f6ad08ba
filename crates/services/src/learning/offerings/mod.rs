//! Classes (offerings) and enrolment: self-service where a class is open, by a `pimpinan` for
//! their staff, by `admin` in bulk; a waitlist when seats run out (the first in line moves up
//! when someone cancels); attendance for classroom sessions; completion.
//!
//! Completion (docs/domain.md#gap-jpm, §7): modules read and quiz passed for e-learning, attendance for
//! klasikal, both for blended. It credits the course's JP, records a `course` assessment at
//! the course's target level for each competency where that raises the effective level
//! (a course never lowers a better, still valid result), and issues a signed certificate.

mod enrolments;
mod participants;

pub use enrolments::*;
pub use participants::{participants, with_participants};

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::status::OfferingStatus;
use cakap_store::learning::{self as store, OfferingRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::catalogue;
use crate::cache::{self, Topic};
use crate::change::Change;
use crate::validate::parse_date;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Offering {
    pub id: i64,
    pub code: String,
    pub course: String,
    pub course_title: String,
    pub mode: String,
    pub jp: i64,
    pub cost: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// Kecamatan code (docs/domain.md#kecamatan).
    pub kecamatan: Option<String>,
    pub place: Option<String>,
    /// None: no limit.
    pub seats: Option<i64>,
    pub seats_left: Option<i64>,
    pub instructor: Option<String>,
    pub budget_line: Option<String>,
    pub self_enrol: bool,
    /// `open` or `closed`.
    pub status: String,
    pub enrolled: i64,
    pub waitlisted: i64,
}

impl From<OfferingRow> for Offering {
    fn from(o: OfferingRow) -> Offering {
        Offering {
            seats_left: o.seats.map(|s| (s - o.taken).max(0)),
            id: o.id,
            code: o.code,
            course: o.course_code,
            course_title: o.course_title,
            mode: o.mode,
            jp: o.jp,
            cost: o.cost,
            starts_on: o.starts_on,
            ends_on: o.ends_on,
            kecamatan: o.kecamatan,
            place: o.place,
            seats: o.seats,
            instructor: o.instructor,
            budget_line: o.budget_line,
            self_enrol: o.self_enrol,
            status: o.status.to_string(),
            enrolled: o.taken,
            waitlisted: o.waitlisted,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OfferingInput {
    /// Course code.
    pub course: String,
    pub code: String,
    pub starts_on: String,
    pub ends_on: String,
    pub kecamatan: Option<String>,
    pub place: Option<String>,
    pub seats: Option<i64>,
    /// Username of the trainer (role `instruktur`).
    pub instructor: Option<String>,
    pub budget_line: Option<String>,
    #[serde(default = "yes")]
    pub self_enrol: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct OfferingQuery {
    /// Course code.
    pub course: Option<String>,
    /// Include closed classes.
    pub all: Option<bool>,
}

pub async fn list(db: &Db, actor: &Actor, q: &OfferingQuery) -> ServiceResult<Vec<Offering>> {
    let course = match q.course.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(code) => Some(catalogue::get(db, actor, code).await?.id),
        None => None,
    };
    let open_only = !q.all.unwrap_or(false);
    Ok(listed(db, actor.tenant_id, course, open_only)
        .await?
        .as_ref()
        .clone())
}

/// The classes of one course (or all), open ones only or all, from the per-change cache.
pub(crate) async fn listed(
    db: &Db,
    tenant: i64,
    course: Option<i64>,
    open_only: bool,
) -> ServiceResult<Arc<Vec<Offering>>> {
    cache::of::<Lists>(db)
        .get_or_fill(tenant, &(course, open_only), || async {
            let mut c = db.conn().await?;
            let rows = store::offerings(&mut c, tenant, course, open_only).await?;
            Ok::<_, ServiceError>(Arc::new(rows.into_iter().map(Offering::from).collect()))
        })
        .await
}

/// Class lists per (course or all, open only), with their seats: counting the seats is one
/// pass over every enrolment of the tenant, so it runs once per change, not per view.
/// Enrolment decisions never read this: they count seats in their own transaction.
struct Lists;

impl cache::Spec for Lists {
    type Key = (Option<i64>, bool);
    type Value = Arc<Vec<Offering>>;
    // Every write to classes, courses and enrolments finishes with Learning (the instructor
    // shown is a username, which never changes).
    const TOPICS: &'static [Topic] = &[Topic::Learning];
    const TTL: Duration = Duration::from_secs(300);
    const MAX: usize = 512;
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Offering> {
    let mut c = db.conn().await?;
    store::offering(&mut c, actor.tenant_id, id)
        .await?
        .map(Offering::from)
        .ok_or(ServiceError::NotFound)
}

/// Opens a class (`admin`).
pub async fn create(db: &Db, actor: &Actor, i: &OfferingInput) -> ServiceResult<Offering> {
    actor.require_admin()?;
    let code = validate::code("code", &i.code)?;
    let starts = parse_date("starts_on", &i.starts_on)?;
    let ends = parse_date("ends_on", &i.ends_on)?;
    if ends < starts {
        return Err(ServiceError::invalid("ends_on", "learning.ends_before"));
    }
    let kecamatan = match i
        .kecamatan
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        Some(k) => Some(
            cakap_domain::Kecamatan::find(k)
                .ok_or_else(|| ServiceError::invalid("kecamatan", "error.unknown_kecamatan"))?
                .code
                .to_string(),
        ),
        None => None,
    };
    let place = validate::optional_text("place", i.place.as_deref(), 200)?;
    let budget_line = validate::optional_text("budget_line", i.budget_line.as_deref(), 200)?;
    if i.seats.is_some_and(|s| !(1..=10_000).contains(&s)) {
        return Err(ServiceError::invalid("seats", "learning.seats_range"));
    }
    let mut c = Change::begin(db, actor).await?;
    let course = store::course(&mut c, actor.tenant_id, i.course.trim())
        .await?
        .ok_or_else(|| ServiceError::Invalid {
            field: "course",
            key: "learning.unknown_course",
            args: vec![("value", i.course.chars().take(40).collect())],
        })?;
    let instructor_id = match i
        .instructor
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(name) => Some(
            store::instructor_id(&mut c, actor.tenant_id, name)
                .await?
                .ok_or_else(|| {
                    ServiceError::invalid("instructor", "learning.unknown_instructor")
                })?,
        ),
        None => None,
    };
    let id = store::insert_offering(
        &mut c,
        actor.tenant_id,
        &store::OfferingData {
            course_id: course.id,
            code: &code,
            starts_on: &starts.to_string(),
            ends_on: &ends.to_string(),
            kecamatan: kecamatan.as_deref(),
            place: place.as_deref(),
            seats: i.seats,
            instructor_id,
            budget_line: budget_line.as_deref(),
            self_enrol: i.self_enrol,
        },
    )
    .await
    .map_err(|e| match ServiceError::from(e) {
        ServiceError::Duplicate { .. } => ServiceError::Duplicate { field: "code" },
        other => other,
    })?;
    let out: Offering = store::offering(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    c.record("create", "offering", &code, None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

/// Closes or reopens a class (`admin`).
pub async fn set_status(db: &Db, actor: &Actor, id: i64, open: bool) -> ServiceResult<Offering> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    let before: Offering = store::offering(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    let status = if open {
        OfferingStatus::Open
    } else {
        OfferingStatus::Closed
    };
    store::set_offering_status(&mut c, actor.tenant_id, id, status).await?;
    let after = Offering {
        status: status.to_string(),
        ..before.clone()
    };
    c.record(
        "update",
        "offering",
        &before.code,
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(after)
}
