//! Complaints (Perpres 76/2013, SP4N-LAPOR!; docs/domain.md#service-quality): entered by the
//! unit's complaint officer (the unit's `pimpinan`) or BKPSDM (`admin`), moved through their
//! steps with reasons, deadlines counted, the reporter masked for everyone else.

use cakap_domain::Role;
use cakap_domain::skm::{self, ComplaintClass, ComplaintStatus};
use cakap_store::service_quality as store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::readable_unit;
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, Page, ServiceError, ServiceResult, validate};

/// Channels a complaint arrives through.
pub const CHANNELS: [&str; 6] = [
    "loket",
    "lapor",
    "telepon",
    "surel",
    "kotak_saran",
    "media_sosial",
];

/// A complaint as the API and pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Complaint {
    pub id: i64,
    pub unit: String,
    pub unit_name: String,
    pub channel: String,
    pub class: String,
    pub received_on: String,
    pub summary: String,
    /// The reporter's name: in full for `admin` and the unit's `pimpinan`, masked otherwise.
    pub reporter: Option<String>,
    pub reporter_contact: Option<String>,
    pub status: String,
    pub reason: Option<String>,
    pub verified_on: Option<String>,
    pub resolved_on: Option<String>,
    /// The date of the service complained about, when given.
    pub served_on: Option<String>,
    /// Open and past the date of its step.
    pub overdue: bool,
    /// Missed a deadline at any point, closed or not (what the yearly counts count).
    pub late: bool,
    /// The date the current step is due, when one is.
    pub due_on: Option<String>,
    pub version: i64,
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Whether the actor may see who complained (the officer of the unit, or BKPSDM).
fn sees_reporter(actor: &Actor, row: &store::ComplaintRow) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Pimpinan => actor
            .unit_path
            .as_deref()
            .is_some_and(|p| row.unit_path.starts_with(p)),
        _ => false,
    }
}

pub(crate) fn view(actor: &Actor, row: store::ComplaintRow, on: NaiveDate) -> Complaint {
    let received = date(&row.received_on).unwrap_or(on);
    let verified = row.verified_on.as_deref().and_then(date);
    let due = match row.status {
        ComplaintStatus::Baru => Some(skm::verification_due(received)),
        ComplaintStatus::Diverifikasi | ComplaintStatus::Diproses => {
            Some(skm::resolution_due(verified.unwrap_or(received)))
        }
        _ => None,
    };
    let resolved = row.resolved_on.as_deref().and_then(date);
    let open = sees_reporter(actor, &row);
    Complaint {
        id: row.id,
        overdue: skm::overdue(row.status, received, verified, on),
        late: skm::late(row.status, received, verified, resolved, on),
        served_on: row.served_on,
        due_on: due.map(|d| d.format("%Y-%m-%d").to_string()),
        reporter: row
            .reporter
            .as_deref()
            .map(|r| if open { r.to_string() } else { skm::mask(r) }),
        reporter_contact: row.reporter_contact.filter(|_| open),
        unit: row.unit_code,
        unit_name: row.unit_name,
        channel: row.channel,
        class: row.class.as_str().into(),
        received_on: row.received_on,
        summary: row.summary,
        status: row.status.as_str().into(),
        reason: row.reason,
        verified_on: row.verified_on,
        resolved_on: row.resolved_on,
        version: row.version,
    }
}

/// `POST /api/v1/complaints`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewComplaint {
    pub unit: String,
    pub channel: String,
    pub class: String,
    /// `YYYY-MM-DD`; not in the future.
    pub received_on: String,
    /// `YYYY-MM-DD`, the service complained about; at most 30 days before `received_on`.
    pub served_on: Option<String>,
    pub summary: String,
    pub reporter: Option<String>,
    pub reporter_contact: Option<String>,
}

pub async fn create(db: &Db, actor: &Actor, input: &NewComplaint) -> ServiceResult<Complaint> {
    actor.require_any(&[Role::Admin, Role::Pimpinan])?;
    readable_unit(db, actor, &input.unit).await?;
    let channel = input.channel.trim();
    if !CHANNELS.contains(&channel) {
        return Err(ServiceError::invalid(
            "channel",
            "complaint.channel_invalid",
        ));
    }
    let class: ComplaintClass = input
        .class
        .parse()
        .map_err(|()| ServiceError::invalid("class", "complaint.class_invalid"))?;
    let received = validate::parse_date("received_on", &input.received_on)?;
    if received > today() {
        return Err(ServiceError::invalid("received_on", "complaint.future"));
    }
    let served = served_on(input.served_on.as_deref(), received)?;
    let summary = validate::paragraph("summary", &input.summary, 4000)?;
    let reporter = validate::optional_text("reporter", input.reporter.as_deref(), 200)?;
    let contact =
        validate::optional_text("reporter_contact", input.reporter_contact.as_deref(), 200)?;
    let on = received.format("%Y-%m-%d").to_string();
    let mut c = Change::begin(db, actor).await?;
    let unit = super::unit_to_change(&mut c, actor, &input.unit).await?;
    let id = store::insert_complaint(
        &mut c,
        actor.tenant_id,
        &store::NewComplaint {
            unit_id: unit.id,
            channel,
            class,
            received_on: &on,
            served_on: served.as_deref(),
            summary: &summary,
            reporter: reporter.as_deref(),
            reporter_contact: contact.as_deref(),
            external_id: None,
            created_by: &actor.username,
        },
    )
    .await?;
    store::add_step(
        &mut c,
        actor.tenant_id,
        id,
        &actor.username,
        None,
        "baru",
        None,
    )
    .await?;
    let row = store::complaint(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let out = view(actor, row, today());
    // The audit keeps what happened, never who complained.
    c.record(
        "create",
        "complaint",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"unit": out.unit, "class": out.class, "channel": out.channel})),
    )
    .await?;
    c.finish(&[Topic::Service]).await?;
    Ok(out)
}

/// The service date, checked against the 30 days a complaint may be lodged in.
pub(crate) fn served_on(input: Option<&str>, received: NaiveDate) -> ServiceResult<Option<String>> {
    let Some(s) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let served = validate::parse_date("served_on", s)?;
    if served > received {
        return Err(ServiceError::invalid("served_on", "complaint.served_after"));
    }
    if !skm::lodged_in_time(served, received) {
        // The message states the 30 days of skm::LODGE_DAYS.
        return Err(ServiceError::invalid("served_on", "complaint.lodged_late"));
    }
    Ok(Some(served.format("%Y-%m-%d").to_string()))
}

/// A complaint in the reader's scope.
pub async fn get(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(Complaint, Vec<store::StepRow>)> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let mut c = db.conn().await?;
    let row = store::complaint(&mut c, actor.tenant_id, id)
        .await?
        .filter(|r| r.unit_path.starts_with(&actor.unit_scope()))
        .ok_or(ServiceError::NotFound)?;
    let steps = store::steps(&mut c, actor.tenant_id, id).await?;
    Ok((view(actor, row, today()), steps))
}

/// A page of the complaints of the reader's units (optionally one unit), newest first, and
/// how many of all of them (not only the page's) are open past the date of their step today.
pub async fn list(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    page: Option<i64>,
    per_page: Option<i64>,
) -> ServiceResult<(Page<Complaint>, i64)> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let unit_id = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(code) => Some(readable_unit(db, actor, code).await?.id),
        None => None,
    };
    let (page, per_page) = crate::paging(page, per_page);
    let on = today();
    let (new_by, verified_by) = skm::overdue_cutoffs(on);
    let mut c = db.conn().await?;
    let (rows, total, overdue) = store::complaints(
        &mut c,
        actor.tenant_id,
        &actor.unit_scope(),
        unit_id,
        (&new_by.to_string(), &verified_by.to_string()),
        per_page,
        (page - 1) * per_page,
    )
    .await?;
    let page = Page {
        items: rows.into_iter().map(|r| view(actor, r, on)).collect(),
        total,
        page,
        per_page,
    };
    Ok((page, overdue))
}

/// Every complaint of a unit received in `[from, to]` (for yearly counts).
pub(crate) async fn of_unit_between(
    db: &Db,
    actor: &Actor,
    unit_path: &str,
    from: &str,
    to: &str,
) -> ServiceResult<Vec<Complaint>> {
    let mut c = db.conn().await?;
    let rows = store::complaints_between(&mut c, actor.tenant_id, unit_path, from, to).await?;
    let on = today();
    Ok(rows.into_iter().map(|r| view(actor, r, on)).collect())
}

/// `PATCH /api/v1/complaints/{id}`: the next step.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Step {
    pub status: String,
    pub reason: Option<String>,
    /// The version read (optimistic locking); without it, the step applies to whatever is
    /// current.
    pub version: Option<i64>,
}

pub async fn step(db: &Db, actor: &Actor, id: i64, input: &Step) -> ServiceResult<Complaint> {
    actor.require_any(&[Role::Admin, Role::Pimpinan])?;
    let to: ComplaintStatus = input
        .status
        .parse()
        .map_err(|()| ServiceError::invalid("status", "complaint.status_invalid"))?;
    let reason = validate::optional_paragraph("reason", input.reason.as_deref(), 2000)?;
    if to.needs_reason() && reason.is_none() {
        return Err(ServiceError::invalid("reason", "complaint.reason_required"));
    }
    let mut c = Change::begin(db, actor).await?;
    let row = store::complaint(&mut c, actor.tenant_id, id)
        .await?
        .filter(|r| r.unit_path.starts_with(&actor.unit_scope()))
        .ok_or(ServiceError::NotFound)?;
    if !row.status.next().contains(&to) {
        return Err(ServiceError::Conflict {
            key: "complaint.wrong_step",
        });
    }
    let on = today().format("%Y-%m-%d").to_string();
    let version = input.version.unwrap_or(row.version);
    let verified = (to == ComplaintStatus::Diverifikasi).then_some(on.as_str());
    let resolved = to.closed().then_some(on.as_str());
    let from = row.status;
    if !store::set_complaint_status(
        &mut c,
        actor.tenant_id,
        id,
        version,
        to,
        reason.as_deref(),
        verified,
        resolved,
    )
    .await?
    {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    store::add_step(
        &mut c,
        actor.tenant_id,
        id,
        &actor.username,
        Some(from.as_str()),
        to.as_str(),
        reason.as_deref(),
    )
    .await?;
    let row = store::complaint(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    c.record(
        "update",
        "complaint",
        &id.to_string(),
        Some(&serde_json::json!({"status": from.as_str()})),
        Some(&serde_json::json!({"status": to.as_str(), "reason": reason})),
    )
    .await?;
    c.finish(&[Topic::Service]).await?;
    Ok(view(actor, row, today()))
}
