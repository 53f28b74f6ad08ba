//! Crisis readiness: target tables, availability, response teams and their call-outs, drills,
//! monthly snapshots and expiring certifications (docs/domain.md#readiness). Teams with their
//! call-outs are in [`teams`], drills in [`drills`].

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, now_ms};

mod drills;
mod teams;

pub use drills::*;
pub use teams::*;

// ---- targets ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TargetRow {
    pub hazard: String,
    pub kecamatan: String,
    pub seq: i64,
    pub role: String,
    pub competency_id: i64,
    pub competency_code: String,
    pub competency_name: String,
    pub level: i64,
    pub count: i64,
}

/// The tenant's whole target table, in the order it was given.
pub async fn targets(c: &mut Conn, tenant: i64) -> Result<Vec<TargetRow>> {
    Ok(fetch_all!(
        c,
        TargetRow,
        "SELECT t.hazard, t.kecamatan, t.seq, t.role, t.competency_id, k.code AS competency_code, \
         k.name AS competency_name, t.level, t.count FROM readiness_targets t \
         JOIN competencies k ON k.tenant_id = t.tenant_id AND k.id = t.competency_id \
         WHERE t.tenant_id = $1 ORDER BY t.seq",
        tenant
    )?)
}

pub struct NewTarget<'a> {
    pub hazard: &'a str,
    pub kecamatan: &'a str,
    pub role: &'a str,
    pub competency_id: i64,
    pub level: i64,
    pub count: i64,
}

/// Replaces the tenant's target table.
pub async fn replace_targets(c: &mut Conn, tenant: i64, rows: &[NewTarget<'_>]) -> Result<()> {
    execute!(
        c,
        "DELETE FROM readiness_targets WHERE tenant_id = $1",
        tenant
    )?;
    for (seq, t) in rows.iter().enumerate() {
        execute!(
            c,
            "INSERT INTO readiness_targets (tenant_id, hazard, kecamatan, seq, role, competency_id, \
             level, count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            tenant,
            t.hazard,
            t.kecamatan,
            seq as i64,
            t.role,
            t.competency_id,
            t.level,
            t.count
        )?;
    }
    Ok(())
}

// ---- people ----

/// An active employee as readiness sees them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub unit_path: String,
    pub unit_name: String,
    pub phone: Option<String>,
    /// Away on `today` (availability says so and its date has not passed).
    pub away: bool,
}

/// Every active employee, with whether they are away on `today` (YYYY-MM-DD).
pub async fn people(c: &mut Conn, tenant: i64, today: &str) -> Result<Vec<PersonRow>> {
    Ok(fetch_all!(
        c,
        PersonRow,
        "SELECT e.id, e.nip, e.name, u.path AS unit_path, u.name AS unit_name, e.phone, \
         CASE WHEN a.available = FALSE AND (a.until IS NULL OR a.until >= $2) THEN TRUE ELSE FALSE END AS away \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN employee_availability a ON a.tenant_id = e.tenant_id AND a.employee_id = e.id \
         WHERE e.tenant_id = $1 AND e.active = TRUE",
        tenant,
        today
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AvailabilityRow {
    pub available: bool,
    pub until: Option<String>,
    pub reason: String,
    pub updated_at: i64,
    pub updated_by: String,
}

pub async fn availability(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
) -> Result<Option<AvailabilityRow>> {
    Ok(fetch_optional!(
        c,
        AvailabilityRow,
        "SELECT available, until, reason, updated_at, updated_by FROM employee_availability \
         WHERE tenant_id = $1 AND employee_id = $2",
        tenant,
        employee
    )?)
}

pub async fn set_availability(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    available: bool,
    until: Option<&str>,
    reason: &str,
    by: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO employee_availability (tenant_id, employee_id, available, until, reason, \
         updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id, employee_id) DO UPDATE SET available = excluded.available, \
         until = excluded.until, reason = excluded.reason, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
        tenant,
        employee,
        available,
        until,
        reason,
        now_ms(),
        by
    )?;
    Ok(())
}

/// Who is away on `today`: (nip, name, unit, until, reason), by return date.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AwayRow {
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub until: Option<String>,
    pub reason: String,
}

pub async fn away(c: &mut Conn, tenant: i64, scope: &str, today: &str) -> Result<Vec<AwayRow>> {
    Ok(fetch_all!(
        c,
        AwayRow,
        "SELECT e.nip, e.name, u.name AS unit_name, a.until, a.reason FROM employee_availability a \
         JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE a.tenant_id = $1 AND a.available = FALSE AND (a.until IS NULL OR a.until >= $2) \
         AND e.active = TRUE AND u.path LIKE $3 ORDER BY a.until, e.name LIMIT 200",
        tenant,
        today,
        format!("{scope}%")
    )?)
}

// ---- snapshots ----

pub async fn put_snapshot(
    c: &mut Conn,
    tenant: i64,
    month: &str,
    hazard: &str,
    kecamatan: &str,
    readiness: f64,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO readiness_snapshots (tenant_id, month, hazard, kecamatan, readiness) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, month, hazard, kecamatan) \
         DO UPDATE SET readiness = excluded.readiness",
        tenant,
        month,
        hazard,
        kecamatan,
        readiness
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SnapshotRow {
    pub month: String,
    pub kecamatan: String,
    pub readiness: f64,
}

/// A hazard's snapshots from `since` (YYYY-MM), by month.
pub async fn snapshots(
    c: &mut Conn,
    tenant: i64,
    hazard: &str,
    since: &str,
) -> Result<Vec<SnapshotRow>> {
    Ok(fetch_all!(
        c,
        SnapshotRow,
        "SELECT month, kecamatan, readiness FROM readiness_snapshots WHERE tenant_id = $1 \
         AND hazard = $2 AND month >= $3 ORDER BY month, kecamatan",
        tenant,
        hazard,
        since
    )?)
}

/// Tenants that have a target table (the daily job's work list).
pub async fn tenants_with_targets(c: &mut Conn) -> Result<Vec<i64>> {
    Ok(fetch_all!(
        c,
        (i64,),
        "SELECT DISTINCT tenant_id FROM readiness_targets"
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

// ---- certifications ----

/// A crisis certification (a result with an expiry in a crisis competency) that decides its
/// holder's level and expires between `from` and `to`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExpiringRow {
    pub assessment_id: i64,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub competency_code: String,
    pub competency_name: String,
    pub level: i64,
    pub valid_until: String,
}

/// Certifications expiring between `from` and `to` (inclusive), not superseded by a later or
/// longer-lasting result of the same competency; under `scope`, soonest first.
pub async fn expiring(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<ExpiringRow>> {
    let mut d = Dynamic::new("");
    d.push(
        "SELECT a.id AS assessment_id, e.id AS employee_id, e.nip, e.name, u.name AS unit_name, \
         k.code AS competency_code, k.name AS competency_name, a.level, a.valid_until \
         FROM assessments a JOIN competencies k ON k.tenant_id = a.tenant_id AND k.id = a.competency_id \
         JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE a.tenant_id = ? AND k.crisis = TRUE AND e.active = TRUE AND a.method <> 'self' \
         AND a.valid_until BETWEEN ? AND ? AND u.path LIKE ? \
         AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.tenant_id = a.tenant_id \
         AND b.employee_id = a.employee_id AND b.competency_id = a.competency_id AND b.id <> a.id \
         AND b.method <> 'self' AND b.assessed_on >= a.assessed_on \
         AND (b.valid_until IS NULL OR b.valid_until > a.valid_until)) \
         ORDER BY a.valid_until, e.name LIMIT ?",
        [
            Arg::I64(tenant),
            Arg::Text(from.into()),
            Arg::Text(to.into()),
            Arg::Text(format!("{scope}%")),
            Arg::I64(limit),
        ],
    );
    d.fetch_all(c).await
}

/// Records, once per certification and stage, that its reminder goes out; yields those that
/// are new (to notify).
pub async fn claim_reminders(
    c: &mut Conn,
    tenant: i64,
    rows: &[ExpiringRow],
    stage: i64,
) -> Result<Vec<ExpiringRow>> {
    let mut out = Vec::new();
    for r in rows {
        if execute!(
            c,
            "INSERT INTO certification_reminders (tenant_id, assessment_id, stage, sent_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            tenant,
            r.assessment_id,
            stage,
            now_ms()
        )? == 1
        {
            out.push(r.clone());
        }
    }
    Ok(out)
}
