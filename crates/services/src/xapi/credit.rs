//! What Cakap makes of a statement: a `completed` or `passed` statement about an activity
//! mapped to a catalogue course completes that course for the ASN it names — JP, competency
//! and certificate as any completion (docs/interfaces.md#xapi). Statements whose actor or
//! activity is not known are kept with the reason and listed for BKPSDM to map; mapping an
//! activity credits what was waiting for it.

use cakap_domain::Role;
use cakap_store::xapi as store;
use serde_json::Value;

use super::Client;
use crate::learning::offerings::complete_external;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Verbs that complete a course.
pub const COMPLETING: [&str; 2] = [
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
];

/// What was done with a statement (`xapi_statements.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Credited,
    /// The course was already completed.
    Already,
    UnknownActor,
    Unmapped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Credited => "credited",
            Outcome::Already => "already",
            Outcome::UnknownActor => "unknown_actor",
            Outcome::Unmapped => "unmapped",
        }
    }
}

/// The acting identity of a client's completions in the audit log.
fn actor_of(tenant: i64, client_name: &str) -> Actor {
    Actor {
        username: format!("xapi:{client_name}"),
        ..Actor::system(tenant)
    }
}

/// Applies every completing statement among `ids` (just stored by `client`). A failure is
/// logged and leaves the statement waiting; the statements themselves are already stored.
pub async fn apply(db: &Db, client: &Client, home_page: &str, ids: &[String]) {
    let actor = actor_of(client.tenant_id, &client.name);
    for id in ids {
        if let Err(e) = apply_one(db, &actor, home_page, id).await {
            tracing::warn!(statement = %id, error = %e, "crediting an xAPI completion");
        }
    }
}

async fn apply_one(
    db: &Db,
    actor: &Actor,
    home_page: &str,
    id: &str,
) -> ServiceResult<Option<Outcome>> {
    let mut c = crate::change::Change::begin(db, actor).await?;
    let Some(row) = store::statement(&mut c, actor.tenant_id, id).await? else {
        return Ok(None);
    };
    if row.voided || !COMPLETING.contains(&row.verb_id.as_str()) {
        return Ok(None);
    }
    let s: Value =
        serde_json::from_str(&row.statement).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let object = s.get("object");
    if object
        .and_then(|o| o.get("objectType"))
        .and_then(Value::as_str)
        .is_some_and(|t| t != "Activity")
    {
        return Ok(None);
    }
    // A `passed` statement that says it did not succeed completes nothing.
    if s.pointer("/result/success") == Some(&Value::Bool(false)) {
        return Ok(None);
    }
    let activity = object
        .and_then(|o| o.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let employee = match s.get("actor") {
        Some(a) => employee_of(&mut c, actor.tenant_id, a, home_page).await?,
        None => None,
    };
    let course =
        cakap_store::learning::course_by_xapi_activity(&mut c, actor.tenant_id, activity).await?;
    let (outcome, employee_id, course_id) = match (employee, &course) {
        (None, _) => (Outcome::UnknownActor, None, course.as_ref().map(|k| k.id)),
        (Some(e), None) => (Outcome::Unmapped, Some(e), None),
        (Some(e), Some(k)) => {
            let on = completion_day(&s);
            let done = complete_external(&mut c, actor, k, e, &on).await?;
            (
                if done {
                    Outcome::Credited
                } else {
                    Outcome::Already
                },
                Some(e),
                Some(k.id),
            )
        }
    };
    store::set_outcome(
        &mut c,
        actor.tenant_id,
        row.seq,
        outcome.as_str(),
        employee_id,
        course_id,
    )
    .await?;
    let credited = outcome == Outcome::Credited;
    c.finish(crate::learning::completion(credited)).await?;
    Ok(Some(outcome))
}

/// The ASN an actor names: an account on the tenant's home page whose name is a NIP, or an
/// `mbox` with their e-mail address.
async fn employee_of(
    c: &mut cakap_store::Conn,
    tenant: i64,
    agent: &Value,
    home_page: &str,
) -> ServiceResult<Option<i64>> {
    if let Some(acc) = agent.get("account")
        && acc
            .get("homePage")
            .and_then(Value::as_str)
            .map(|h| h.trim_end_matches('/'))
            == Some(home_page.trim_end_matches('/'))
        && let Some(nip) = acc.get("name").and_then(Value::as_str)
    {
        return Ok(cakap_store::employees::by_nip(c, tenant, nip.trim())
            .await?
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
    pub outcome: &'static str,
    pub actor: String,
    pub activity: String,
    pub activity_name: String,
}

/// Completions not credited because the actor or the activity is unknown, newest first.
pub async fn waiting(db: &Db, actor: &Actor) -> ServiceResult<Vec<Waiting>> {
    actor.require_any(&[Role::Admin, Role::Auditor])?;
    let mut c = db.conn().await?;
    let rows = store::waiting(&mut c, actor.tenant_id, 200).await?;
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
                outcome: if outcome == "unmapped" {
                    "unmapped"
                } else {
                    "unknown_actor"
                },
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
    if activity.chars().count() > 500 || super::validate::iri(activity, "activity").is_err() {
        return Err(ServiceError::invalid("activity", "error.xapi_activity"));
    }
    let mut c = crate::change::Change::begin(db, actor).await?;
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
    c.finish(&[]).await?;
    credit_waiting(db, actor, activity, &course.code).await
}

/// Credits the completions waiting for `activity` (their ASN already known) to the course it
/// is now mapped to, each in its own change. Returns how many were credited.
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
    for (seq, statement, employee) in waiting {
        let s: Value = serde_json::from_str(&statement).unwrap_or(Value::Null);
        let mut c = crate::change::Change::begin(db, actor).await?;
        let done = complete_external(&mut c, actor, &course, employee, &completion_day(&s)).await?;
        let outcome = if done {
            Outcome::Credited
        } else {
            Outcome::Already
        };
        store::set_outcome(
            &mut c,
            actor.tenant_id,
            seq,
            outcome.as_str(),
            Some(employee),
            Some(course.id),
        )
        .await?;
        c.finish(crate::learning::completion(done)).await?;
        credited += usize::from(done);
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
