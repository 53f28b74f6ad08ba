//! Development outside the catalogue (seminars, coaching, mentoring, secondment, …): an ASN
//! records what they did with its evidence; JP come from the stated hours or docs/domain.md#learning's
//! default table (coaching and mentoring: at most 2 sessions a month count); the supervisor
//! (`pimpinan` over them) or BKPSDM approves, and only approved JP count. The JP never
//! exceed what the dates allow (the days stated fit between start and end, at most
//! [`learning::MAX_JP_PER_DAY`] a day), and each ASN's evidence files stay within
//! [`learning::EVIDENCE_QUOTA`].

use cakap_domain::Role;
use cakap_domain::learning::{self, Duration, Jalur, SESSIONS_PER_MONTH};
use cakap_domain::status::ActivityStatus;
use cakap_store::learning::{self as store, ActivityRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::own_employee;
use crate::cache::Topic;
use crate::change::Change;
use crate::files::{Evidence, check_evidence, clean_filename};
use crate::validate::parse_date;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ActivityInput {
    /// A jalur of docs/domain.md#learning (`seminar`, `workshop`, `coaching`, `mentoring`, `magang`, …).
    pub jalur: String,
    pub title: String,
    pub organizer: Option<String>,
    pub started_on: String,
    /// Default: the start date.
    pub ended_on: Option<String>,
    /// Hours of learning when stated (they decide the JP).
    pub hours: Option<f64>,
    #[serde(default)]
    pub days: i64,
    /// Coaching or mentoring sessions.
    #[serde(default)]
    pub sessions: i64,
    #[serde(default)]
    pub international: bool,
    /// Only `admin` may record for someone else.
    pub nip: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Activity {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub jalur: String,
    pub title: String,
    pub organizer: Option<String>,
    pub started_on: String,
    pub ended_on: String,
    pub hours: Option<f64>,
    pub days: i64,
    pub sessions: i64,
    pub international: bool,
    pub jp: i64,
    /// `submitted`, `approved` or `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub evidence: Option<String>,
}

impl From<ActivityRow> for Activity {
    fn from(a: ActivityRow) -> Activity {
        Activity {
            id: a.id,
            nip: a.nip,
            name: a.name,
            jalur: a.jalur,
            title: a.title,
            organizer: a.organizer,
            started_on: a.started_on,
            ended_on: a.ended_on,
            hours: a.hours,
            days: a.days,
            sessions: a.sessions,
            international: a.international,
            jp: a.jp,
            status: a.status.to_string(),
            decided_by: a.decided_by,
            decision_note: a.decision_note,
            evidence: a.evidence_name,
        }
    }
}

/// Records an activity (status `submitted`) with its evidence file, if any.
pub async fn record(
    db: &Db,
    actor: &Actor,
    i: &ActivityInput,
    evidence: Option<&Evidence>,
) -> ServiceResult<Activity> {
    let content_type = evidence.map(check_evidence).transpose()?;
    let jalur: Jalur = i
        .jalur
        .parse()
        .ok()
        .filter(|j| *j != Jalur::ELearning)
        .ok_or_else(|| ServiceError::invalid("jalur", "learning.unknown_jalur"))?;
    let title = validate::text("title", &i.title, 200)?;
    let organizer = validate::optional_text("organizer", i.organizer.as_deref(), 200)?;
    let started = parse_date("started_on", &i.started_on)?;
    let ended = match i
        .ended_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => parse_date("ended_on", s)?,
        None => started,
    };
    if ended < started {
        return Err(ServiceError::invalid("ended_on", "learning.ends_before"));
    }
    if ended > chrono::Local::now().date_naive() {
        return Err(ServiceError::invalid("ended_on", "assessment.future"));
    }
    if !(0..=366).contains(&i.days) || !(0..=31).contains(&i.sessions) {
        return Err(ServiceError::invalid("days", "learning.duration_range"));
    }
    if i.hours
        .is_some_and(|h| !h.is_finite() || !(0.0..=2000.0).contains(&h))
    {
        return Err(ServiceError::invalid("hours", "learning.duration_range"));
    }
    let span = learning::span_days(started, ended).unwrap_or(1);
    if i.days > span {
        return Err(ServiceError::Invalid {
            field: "days",
            key: "learning.days_beyond_dates",
            args: vec![("days", span.to_string())],
        });
    }
    let days = if i.days == 0 { span } else { i.days };
    let mut c = Change::begin(db, actor).await?;
    let employee = match i.nip.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(nip) => {
            let e = crate::actor::visible_row(&mut c, actor, nip).await?;
            if actor.employee_id != Some(e.id) && actor.role != Role::Admin {
                return Err(ServiceError::Forbidden);
            }
            e.id
        }
        None => own_employee(actor)?,
    };
    // Coaching and mentoring count by the session (2 JP each), at most 2 sessions a month,
    // whatever hours are stated; counted under the learner's lock.
    c.lock(cakap_store::LockSpace::Learner, employee).await?;
    let mut sessions = i.sessions;
    let per_session = matches!(jalur, Jalur::Coaching | Jalur::Mentoring);
    let hours = if per_session { None } else { i.hours };
    if per_session {
        let month = started.format("%Y-%m").to_string();
        let before =
            store::sessions_in_month(&mut c, actor.tenant_id, employee, jalur.as_str(), &month)
                .await?;
        sessions = sessions.min((SESSIONS_PER_MONTH - before).max(0));
    }
    let jp = learning::activity_jp(
        jalur,
        Duration {
            hours,
            days,
            sessions,
            international: i.international,
        },
    )
    .ok_or_else(|| ServiceError::invalid("hours", "learning.hours_needed"))?;
    let most = learning::max_activity_jp(span);
    // Stated hours beyond the days are an error to correct. The table's per-day figures are
    // bounded by the days (≤ the dates' span, above), its flat figures per activity (magang
    // 20 JP, patok banding 10, …) are the rules' own (docs/domain.md#jp).
    if hours.is_some() && jp > most {
        return Err(ServiceError::Invalid {
            field: "hours",
            key: "learning.hours_beyond_dates",
            args: vec![
                ("days", span.to_string()),
                ("jp", most.to_string()),
                ("per_day", learning::MAX_JP_PER_DAY.to_string()),
            ],
        });
    }
    if let Some(e) = evidence {
        let (files, bytes, _) =
            store::evidence_usage(&mut c, actor.tenant_id, employee, None).await?;
        crate::files::check_quota(
            learning::EVIDENCE_QUOTA,
            (files, bytes),
            1,
            e.bytes.len() as i64,
        )?;
    }
    let filename = evidence.map(|e| clean_filename(&e.filename));
    let started_s = started.to_string();
    let ended_s = ended.to_string();
    let id = store::insert_activity(
        &mut c,
        actor.tenant_id,
        &store::NewActivity {
            employee_id: employee,
            jalur: jalur.as_str(),
            title: &title,
            organizer: organizer.as_deref(),
            started_on: &started_s,
            ended_on: &ended_s,
            hours,
            days,
            sessions,
            international: i.international,
            jp,
            status: ActivityStatus::Submitted,
            evidence: match (evidence, content_type, filename.as_deref()) {
                (Some(e), Some(t), Some(n)) => Some((n, t, &e.bytes)),
                _ => None,
            },
        },
    )
    .await?;
    let out: Activity = store::activity(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    c.record("create", "activity", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct ActivityQuery {
    /// `submitted` (waiting for approval), `approved` or `rejected`.
    pub status: Option<String>,
    /// Unit code: that subtree only.
    pub unit: Option<String>,
}

/// Activities the caller may see: their own (ASN), their staff's (`pimpinan`), everyone's
/// (`admin`, `auditor`); newest first, at most 500.
pub async fn list(db: &Db, actor: &Actor, q: &ActivityQuery) -> ServiceResult<Vec<Activity>> {
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if status.is_some_and(|s| s.parse::<ActivityStatus>().is_err()) {
        return Err(ServiceError::invalid("status", "learning.unknown_status"));
    }
    let (employee, scope) = match actor.role {
        Role::Admin | Role::Auditor | Role::Pimpinan => (
            None,
            crate::units::scope(db, actor, q.unit.as_deref()).await?,
        ),
        Role::Asn | Role::Instruktur => (Some(own_employee(actor)?), String::new()),
    };
    let mut c = db.conn().await?;
    Ok(
        store::activities(&mut c, actor.tenant_id, employee, &scope, status, 500)
            .await?
            .into_iter()
            .map(Activity::from)
            .collect(),
    )
}

/// The caller's own activities, newest first.
pub async fn own(db: &Db, actor: &Actor) -> ServiceResult<Vec<Activity>> {
    let employee = own_employee(actor)?;
    let mut c = db.conn().await?;
    Ok(
        store::activities(&mut c, actor.tenant_id, Some(employee), "", None, 500)
            .await?
            .into_iter()
            .map(Activity::from)
            .collect(),
    )
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Decision {
    pub approve: bool,
    pub note: Option<String>,
}

/// Approves or rejects a submitted activity: the `pimpinan` over the person (never their own)
/// or `admin`.
pub async fn decide(db: &Db, actor: &Actor, id: i64, d: &Decision) -> ServiceResult<Activity> {
    let note = validate::optional_text("note", d.note.as_deref(), 1000)?;
    if !d.approve && note.is_none() {
        return Err(ServiceError::invalid("note", "learning.reason_needed"));
    }
    let mut c = Change::begin(db, actor).await?;
    let a = store::activity(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Nobody approves their own, whatever their role.
    let may = actor.may_decide_on(a.employee_id, &a.nip)
        && match actor.role {
            Role::Admin => true,
            Role::Pimpinan => actor.sees_employee(a.employee_id, &a.unit_path),
            _ => false,
        };
    if !may {
        return Err(if actor.sees_employee(a.employee_id, &a.unit_path) {
            ServiceError::Forbidden
        } else {
            ServiceError::NotFound
        });
    }
    let status = if d.approve {
        ActivityStatus::Approved
    } else {
        ActivityStatus::Rejected
    };
    if !store::decide_activity(
        &mut c,
        actor.tenant_id,
        id,
        status,
        &actor.username,
        note.as_deref(),
    )
    .await?
    {
        return Err(ServiceError::Conflict {
            key: "learning.already_decided",
        });
    }
    let before: Activity = a.into();
    let after: Activity = store::activity(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    c.record(
        if d.approve { "approve" } else { "reject" },
        "activity",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(after)
}

/// Attaches the evidence file of one's own activity while it waits for the decision, within
/// the owner's quota (a replacement frees the old file's bytes).
pub async fn attach(db: &Db, actor: &Actor, id: i64, file: &Evidence) -> ServiceResult<Activity> {
    let content_type = check_evidence(file)?;
    let name = clean_filename(&file.filename);
    let mut c = Change::begin(db, actor).await?;
    let a = store::activity(&mut c, actor.tenant_id, id)
        .await?
        .filter(|a| actor.sees_employee(a.employee_id, &a.unit_path))
        .ok_or(ServiceError::NotFound)?;
    if actor.employee_id != Some(a.employee_id) {
        return Err(ServiceError::Forbidden);
    }
    c.lock(cakap_store::LockSpace::Learner, a.employee_id)
        .await?;
    let (files, bytes, old) =
        store::evidence_usage(&mut c, actor.tenant_id, a.employee_id, Some(a.id)).await?;
    crate::files::check_quota(
        learning::EVIDENCE_QUOTA,
        (files, bytes),
        i64::from(old == 0),
        file.bytes.len() as i64 - old,
    )?;
    if !store::set_activity_evidence(
        &mut c,
        actor.tenant_id,
        id,
        &name,
        content_type,
        &file.bytes,
    )
    .await?
    {
        return Err(ServiceError::Conflict {
            key: "learning.already_decided",
        });
    }
    let before: Activity = a.into();
    let after = Activity {
        evidence: Some(name),
        ..before.clone()
    };
    c.record(
        "update",
        "activity",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(after)
}

/// An activity's evidence file for whoever sees the person: (name, type, bytes).
pub async fn evidence(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(String, &'static str, Vec<u8>)> {
    let mut c = db.conn().await?;
    let a = store::activity(&mut c, actor.tenant_id, id)
        .await?
        .filter(|a| actor.sees_employee(a.employee_id, &a.unit_path))
        .ok_or(ServiceError::NotFound)?;
    let e = store::activity_evidence(&mut c, actor.tenant_id, a.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let data = e.evidence.ok_or(ServiceError::NotFound)?;
    let ctype = crate::files::evidence_type(&data).ok_or(ServiceError::NotFound)?;
    Ok((
        e.evidence_name.unwrap_or_else(|| "bukti".into()),
        ctype,
        data,
    ))
}
