//! Other development activities (seminars, coaching, magang, …) and their evidence.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_path: String,
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
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::ActivityStatus,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub evidence_name: Option<String>,
}

pub(super) const ACTIVITY: &str = "SELECT a.id, a.employee_id, e.nip, e.name, u.path AS unit_path, a.jalur, \
    a.title, a.organizer, a.started_on, a.ended_on, a.hours, a.days, a.sessions, a.international, \
    a.jp, a.status, a.decided_by, a.decision_note, a.evidence_name FROM activities a \
    JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
    JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id";

pub struct NewActivity<'a> {
    pub employee_id: i64,
    pub jalur: &'a str,
    pub title: &'a str,
    pub organizer: Option<&'a str>,
    pub started_on: &'a str,
    pub ended_on: &'a str,
    pub hours: Option<f64>,
    pub days: i64,
    pub sessions: i64,
    pub international: bool,
    pub jp: i64,
    pub status: cakap_domain::status::ActivityStatus,
    pub evidence: Option<(&'a str, &'a str, &'a [u8])>,
}

pub async fn insert_activity(c: &mut Conn, tenant: i64, a: &NewActivity<'_>) -> Result<i64> {
    let (name, ctype, data) = match a.evidence {
        Some((n, t, d)) => (Some(n), Some(t), Some(d)),
        None => (None, None, None),
    };
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO activities (tenant_id, employee_id, jalur, title, organizer, started_on, \
         ended_on, hours, days, sessions, international, jp, status, created_at, evidence_name, \
         evidence_type, evidence, evidence_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        tenant,
        a.employee_id,
        a.jalur,
        a.title,
        a.organizer,
        a.started_on,
        a.ended_on,
        a.hours,
        a.days,
        a.sessions,
        a.international,
        a.jp,
        a.status.as_str(),
        now_ms(),
        name,
        ctype,
        data,
        data.map_or(0, |d| d.len() as i64)
    )?)
}

pub async fn activity(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<ActivityRow>> {
    Ok(fetch_optional!(
        c,
        ActivityRow,
        sqlx::AssertSqlSafe(format!("{ACTIVITY} WHERE a.tenant_id = $1 AND a.id = $2")),
        tenant,
        id
    )?)
}

/// Activities of one employee, or of everyone under `scope` (with a status), newest first.
pub async fn activities(
    c: &mut Conn,
    tenant: i64,
    employee: Option<i64>,
    scope: &str,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ActivityRow>> {
    let mut d = Dynamic::new(ACTIVITY);
    d.push(" WHERE a.tenant_id = ?", [Arg::I64(tenant)]);
    if let Some(e) = employee {
        d.push(" AND a.employee_id = ?", [Arg::I64(e)]);
    }
    if !scope.is_empty() {
        d.push(" AND u.path LIKE ?", [Arg::Text(format!("{scope}%"))]);
    }
    if let Some(s) = status {
        d.push(" AND a.status = ?", [Arg::Text(s.into())]);
    }
    d.push(
        " ORDER BY a.started_on DESC, a.id DESC LIMIT ?",
        [Arg::I64(limit)],
    );
    d.fetch_all(c).await
}

/// Sessions of coaching or mentoring already counted for the employee in a month (`YYYY-MM`).
pub async fn sessions_in_month(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    jalur: &str,
    month: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COALESCE(SUM(sessions), 0) AS BIGINT) FROM activities \
         WHERE tenant_id = $1 AND employee_id = $2 AND jalur = $3 AND started_on LIKE $4 \
         AND status <> 'rejected'",
        tenant,
        employee,
        jalur,
        format!("{month}%")
    )?)
}

/// Approves or rejects a submitted activity; false when it was decided already.
pub async fn decide_activity(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: cakap_domain::status::ActivityStatus,
    by: &str,
    note: Option<&str>,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE activities SET status = $1, decided_by = $2, decision_note = $3 \
         WHERE tenant_id = $4 AND id = $5 AND status = 'submitted'",
        status.as_str(),
        by,
        note,
        tenant,
        id
    )? == 1)
}

/// Attaches (or replaces) the evidence of an activity still waiting for its decision.
pub async fn set_activity_evidence(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    name: &str,
    content_type: &str,
    data: &[u8],
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE activities SET evidence_name = $1, evidence_type = $2, evidence = $3, \
         evidence_size = $4 WHERE tenant_id = $5 AND id = $6 AND status = 'submitted'",
        name,
        content_type,
        data,
        data.len() as i64,
        tenant,
        id
    )? == 1)
}

/// Evidence an employee holds on their activities: (files, bytes), and the bytes of one
/// activity's file (what replacing it frees).
pub async fn evidence_usage(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    replacing: Option<i64>,
) -> Result<(i64, i64, i64)> {
    Ok(fetch_optional!(
        c,
        (i64, i64, i64),
        "SELECT CAST(COALESCE(SUM(CASE WHEN evidence IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(evidence_size), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN id = $3 THEN evidence_size ELSE 0 END), 0) AS BIGINT) \
         FROM activities WHERE tenant_id = $1 AND employee_id = $2",
        tenant,
        employee,
        replacing.unwrap_or(-1)
    )?
    .unwrap_or((0, 0, 0)))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Evidence {
    pub evidence_name: Option<String>,
    pub evidence_type: Option<String>,
    pub evidence: Option<Vec<u8>>,
}

pub async fn activity_evidence(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<Evidence>> {
    Ok(fetch_optional!(
        c,
        Evidence,
        "SELECT evidence_name, evidence_type, evidence FROM activities \
         WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?)
}
