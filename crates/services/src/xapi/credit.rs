//! What Cakap makes of a statement: a `completed` or `passed` statement about an activity
//! mapped to a catalogue course completes that course for the ASN it names — JP, competency
//! and certificate as any completion (docs/interfaces.md#xapi).
//!
//! A completing statement is stored `pending` in the statement's own transaction, so none is
//! ever lost: crediting runs right after, one statement per change, and leaves every one with
//! an outcome. Those whose ASN or activity is not known wait with the reason, those that
//! failed (a lock, a conflict) wait as `failed`; BKPSDM sees them on `/learn/integrasi`,
//! where mapping an activity credits what waited for it and "retry" runs the rest again.

use cakap_domain::Role;
use cakap_store::learning::CourseRow;
use cakap_store::xapi as store;
use serde_json::Value;

use super::Client;
use crate::change::Change;
use crate::learning::offerings::{External, complete_external};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Verbs that complete a course.
pub const COMPLETING: [&str; 2] = [
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
];

/// What was done with a completing statement (`xapi_statements.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored, not credited yet.
    Pending,
    Credited,
    /// The course was completed already.
    Already,
    /// The ASN wrote or teaches the course: never credited for it.
    Staff,
    /// `passed` with `result.success: false`, or an object that is not an activity.
    NotCompleted,
    UnknownActor,
    Unmapped,
    /// Crediting failed (logged); "retry" runs it again.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Credited => "credited",
            Outcome::Already => "already",
            Outcome::Staff => "staff",
            Outcome::NotCompleted => "not_completed",
            Outcome::UnknownActor => "unknown_actor",
            Outcome::Unmapped => "unmapped",
            Outcome::Failed => "failed",
        }
    }
}

/// Outcomes listed for BKPSDM.
pub const WAITING: [&str; 4] = ["unknown_actor", "unmapped", "failed", "pending"];

/// The acting identity of a client's completions in the audit log.
fn actor_of(tenant: i64, client_name: &str) -> Actor {
    Actor {
        username: format!("xapi:{client_name}"),
        ..Actor::system(tenant)
    }
}

/// Credits the completing statements `ids` just stored by `client`. `home_page` is the
/// `account.homePage` that names an ASN by NIP.
pub async fn apply(db: &Db, client: &Client, home_page: &str, ids: &[String]) {
    let actor = actor_of(client.tenant_id, &client.name);
    for id in ids {
        settle(db, &actor, home_page, id).await;
    }
}

/// Runs [`apply_one`]; a failure is logged and leaves the statement `failed`, to be retried.
async fn settle(db: &Db, actor: &Actor, home_page: &str, id: &str) -> Option<Outcome> {
    match apply_one(db, actor, home_page, id).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(statement = %id, error = %e, "crediting an xAPI completion");
            mark_failed(db, actor.tenant_id, id).await;
            Some(Outcome::Failed)
        }
    }
}

async fn mark_failed(db: &Db, tenant: i64, id: &str) {
    let marked = async {
        let mut c = db.conn().await?;
        if let Some(row) = store::statement(&mut c, tenant, id).await? {
            store::set_outcome(
                &mut c,
                tenant,
                row.seq,
                Outcome::Failed.as_str(),
                None,
                None,
            )
            .await?;
        }
        Ok::<_, cakap_store::StoreError>(())
    };
    if let Err(e) = marked.await {
        tracing::error!(statement = %id, error = %e, "marking an xAPI completion failed");
    }
}

async fn apply_one(
    db: &Db,
    actor: &Actor,
    home_page: &str,
    id: &str,
) -> ServiceResult<Option<Outcome>> {
    let mut c = Change::begin(db, actor).await?;
    let Some(row) = store::statement(&mut c, actor.tenant_id, id).await? else {
        return Ok(None);
    };
    if row.voided || !COMPLETING.contains(&row.verb_id.as_str()) {
        return Ok(None);
    }
    let s: Value =
        serde_json::from_str(&row.statement).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let object = s.get("object");
    let is_activity = object
        .and_then(|o| o.get("objectType"))
        .and_then(Value::as_str)
        .is_none_or(|t| t == "Activity");
    // A `passed` statement that says it did not succeed completes nothing.
    let (outcome, employee, course) =
        if !is_activity || s.pointer("/result/success") == Some(&Value::Bool(false)) {
            (Outcome::NotCompleted, None, None)
        } else {
            let activity = object
                .and_then(|o| o.get("id"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let employee = match s.get("actor") {
                Some(a) => employee_of(&mut c, actor.tenant_id, a, home_page).await?,
                None => None,
            };
            let course =
                cakap_store::learning::course_by_xapi_activity(&mut c, actor.tenant_id, activity)
                    .await?;
            match (employee, course) {
                (None, k) => (Outcome::UnknownActor, None, k),
                (Some(e), None) => (Outcome::Unmapped, Some(e), None),
                (Some(e), Some(k)) => {
                    let o = credit_one(&mut c, actor, &k, e, &s).await?;
                    (o, Some(e), Some(k))
                }
            }
        };
    store::set_outcome(
        &mut c,
        actor.tenant_id,
        row.seq,
        outcome.as_str(),
        employee,
        course.map(|k| k.id),
    )
    .await?;
    c.finish(crate::learning::completion(outcome == Outcome::Credited))
        .await?;
    Ok(Some(outcome))
}

/// The one crediting step both paths share: the course completed for the employee on the
/// statement's day.
async fn credit_one(
    c: &mut Change<'_>,
    actor: &Actor,
    course: &CourseRow,
    employee: i64,
    statement: &Value,
) -> ServiceResult<Outcome> {
    Ok(
        match complete_external(c, actor, course, employee, &completion_day(statement)).await? {
            External::Credited => Outcome::Credited,
            External::Already => Outcome::Already,
            External::Staff => Outcome::Staff,
        },
    )
}

/// The active ASN an actor names: an account on the tenant's home page whose name is a NIP,
/// or an `mbox` with their e-mail address.
async fn employee_of(
    c: &mut cakap_store::Conn,
    tenant: i64,
    agent: &Value,
    home_page: &str,
) -> ServiceResult<Option<i64>> {
    if let Some(acc) = agent.get("account")
        && !home_page.is_empty()
        && acc
            .get("homePage")
            .and_then(Value::as_str)
            .map(|h| h.trim_end_matches('/'))
            == Some(home_page.trim_end_matches('/'))
        && let Some(nip) = acc.get("name").and_then(Value::as_str)
    {
        return Ok(cakap_store::employees::by_nip(c, tenant, nip.trim())
            .await?
            .filter(|e| e.active)
            .map(|e| e.id));
    }
    if let Some(mail) = agent
        .get("mbox")
        .and_then(Value::as_str)
        .and_then(|m| m.strip_prefix("mailto:"))
    {
        return Ok(cakap_store::employees::id_by_email(c, tenant, mail).await?);
    }
    Ok(None)
}

/// The day of a completion in WIB: the statement's timestamp, never later than today.
fn completion_day(s: &Value) -> String {
    let today = crate::wib::today();
    let day = s
        .get("timestamp")
        .and_then(Value::as_str)
        .and_then(super::validate::timestamp)
        .map(|t| t.with_timezone(&crate::wib::zone()).date_naive())
        .filter(|d| *d <= today)
        .unwrap_or(today);
    day.format("%Y-%m-%d").to_string()
}

/// A statement waiting for BKPSDM: who and what it names, and why it waits.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Waiting {
    pub id: String,
    pub stored: String,
    pub outcome: String,
    pub actor: String,
    pub activity: String,
    pub activity_name: String,
}

/// Completions not credited yet (unknown actor or activity, failed, pending), newest first.
pub async fn waiting(db: &Db, actor: &Actor) -> ServiceResult<Vec<Waiting>> {
    actor.require_any(&[Role::Admin, Role::Auditor])?;
    let mut c = db.conn().await?;
    let rows = store::waiting(&mut c, actor.tenant_id, &WAITING, 200).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(row, outcome)| {
            let s: Value = serde_json::from_str(&row.statement).ok()?;
            let who = s.get("actor").map(describe_agent).unwrap_or_default();
            let activity = s
                .pointer("/object/id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = s
                .pointer("/object/definition/name")
                .and_then(Value::as_object)
                .and_then(|m| {
                    m.get("id-ID")
                        .or_else(|| m.get("en-US"))
                        .or_else(|| m.values().next())
                })
                .and_then(Value::as_str)
                .unwrap_or_default();
            Some(Waiting {
                id: row.id,
                stored: s
                    .get("stored")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                outcome,
                actor: who,
                activity: activity.to_string(),
                activity_name: name.to_string(),
            })
        })
        .collect())
}

fn describe_agent(a: &Value) -> String {
    if let Some(acc) = a.get("account") {
        let home = acc
            .get("homePage")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = acc.get("name").and_then(Value::as_str).unwrap_or_default();
        return format!("{name} @ {home}");
    }
    for k in ["mbox", "openid", "mbox_sha1sum"] {
        if let Some(v) = a.get(k).and_then(Value::as_str) {
            return v.trim_start_matches("mailto:").to_string();
        }
    }
    a.get("name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string()
}

/// Runs the failed and pending completions again (BKPSDM). Returns how many were credited.
pub async fn retry(db: &Db, actor: &Actor, home_page: &str) -> ServiceResult<usize> {
    actor.require_admin()?;
    let mut c = db.conn().await?;
    let ids = store::with_outcomes(&mut c, actor.tenant_id, &["failed", "pending"], 1000).await?;
    drop(c);
    let mut credited = 0;
    for id in ids {
        credited += usize::from(settle(db, actor, home_page, &id).await == Some(Outcome::Credited));
    }
    Ok(credited)
}

/// Checks an activity id a course is mapped to: an absolute IRI of at most 500 characters.
pub fn check_activity(activity: &str, field: &'static str) -> ServiceResult<()> {
    if activity.chars().count() > 500 || super::validate::iri(activity, field).is_err() {
        return Err(ServiceError::invalid(field, "error.xapi_activity"));
    }
    Ok(())
}

/// Maps an outside activity to a catalogue course (BKPSDM), then credits the completions
/// that were waiting for it. Returns how many were credited.
pub async fn map_activity(
    db: &Db,
    actor: &Actor,
    activity: &str,
    course_code: &str,
) -> ServiceResult<usize> {
    actor.require_admin()?;
    let activity = activity.trim();
    check_activity(activity, "activity")?;
    let mut c = Change::begin(db, actor).await?;
    let course = cakap_store::learning::course(&mut c, actor.tenant_id, course_code.trim())
        .await?
        .ok_or(ServiceError::invalid("course", "error.not_found"))?;
    if cakap_store::learning::course_by_xapi_activity(&mut c, actor.tenant_id, activity)
        .await?
        .is_some_and(|b| b.id != course.id)
    {
        return Err(ServiceError::Duplicate { field: "activity" });
    }
    cakap_store::learning::set_xapi_activity(&mut c, actor.tenant_id, course.id, Some(activity))
        .await?;
    c.record(
        "map",
        "course",
        &course.code,
        Some(&serde_json::json!({"xapi_activity_id": course.xapi_activity_id})),
        Some(&serde_json::json!({"xapi_activity_id": activity})),
    )
    .await?;
    c.finish(&[crate::cache::Topic::Learning]).await?;
    credit_waiting(db, actor, activity, &course.code).await
}

/// Credits the completions waiting for `activity` (their ASN already known) to the course it
/// is now mapped to, each in its own change; one that fails is marked and the rest go on.
/// Returns how many were credited.
pub async fn credit_waiting(
    db: &Db,
    actor: &Actor,
    activity: &str,
    course_code: &str,
) -> ServiceResult<usize> {
    let mut conn = db.conn().await?;
    let Some(course) =
        cakap_store::learning::course(&mut conn, actor.tenant_id, course_code).await?
    else {
        return Ok(0);
    };
    let waiting = store::waiting_for_activity(&mut conn, actor.tenant_id, activity).await?;
    drop(conn);
    let mut credited = 0;
    for (seq, id, statement, employee) in waiting {
        let s: Value = serde_json::from_str(&statement).unwrap_or(Value::Null);
        let run = async {
            let mut c = Change::begin(db, actor).await?;
            let outcome = credit_one(&mut c, actor, &course, employee, &s).await?;
            store::set_outcome(
                &mut c,
                actor.tenant_id,
                seq,
                outcome.as_str(),
                Some(employee),
                Some(course.id),
            )
            .await?;
            c.finish(crate::learning::completion(outcome == Outcome::Credited))
                .await?;
            Ok::<_, ServiceError>(outcome)
        };
        match run.await {
            Ok(o) => credited += usize::from(o == Outcome::Credited),
            Err(e) => {
                tracing::warn!(statement = %id, error = %e, "crediting a mapped xAPI completion");
                mark_failed(db, actor.tenant_id, &id).await;
            }
        }
    }
    Ok(credited)
}

/// The integration page: statements received per outcome, the courses mapped to outside
/// activities, what waits, and the catalogue to map to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    /// (outcome, statements); '' = not a completion.
    pub counts: Vec<(String, i64)>,
    /// (course code, title, activity id).
    pub mapped: Vec<(String, String, String)>,
    pub waiting: Vec<Waiting>,
    /// (code, title) of the active courses.
    pub courses: Vec<(String, String)>,
}

pub async fn overview(db: &Db, actor: &Actor) -> ServiceResult<Overview> {
    let waiting = waiting(db, actor).await?;
    let mut c = db.conn().await?;
    Ok(Overview {
        counts: store::outcome_counts(&mut c, actor.tenant_id).await?,
        mapped: cakap_store::learning::xapi_mapped(&mut c, actor.tenant_id).await?,
        waiting,
        courses: cakap_store::learning::course_titles(&mut c, actor.tenant_id).await?,
    })
}
