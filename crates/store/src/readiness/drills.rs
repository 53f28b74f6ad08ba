//! Drills: participants and the competencies practised (docs/domain.md#readiness).

use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

pub struct NewDrill<'a> {
    pub held_on: &'a str,
    pub hazard: &'a str,
    pub kecamatan: &'a str,
    pub title: &'a str,
    pub evaluator: &'a str,
    pub note: Option<&'a str>,
}

pub async fn insert_drill(c: &mut Conn, tenant: i64, d: &NewDrill<'_>, by: &str) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO drills (tenant_id, held_on, hazard, kecamatan, title, evaluator, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        tenant,
        d.held_on,
        d.hazard,
        d.kecamatan,
        d.title,
        d.evaluator,
        d.note,
        by,
        now_ms()
    )?)
}

pub async fn add_participant(c: &mut Conn, tenant: i64, drill: i64, employee: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "INSERT INTO drill_participants (tenant_id, drill_id, employee_id) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
        tenant,
        drill,
        employee
    )?)
}

pub async fn add_practised(
    c: &mut Conn,
    tenant: i64,
    drill: i64,
    competency: i64,
    level: Option<i64>,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO drill_competencies (tenant_id, drill_id, competency_id, level) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        tenant,
        drill,
        competency,
        level
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DrillRow {
    pub id: i64,
    pub held_on: String,
    pub hazard: String,
    pub kecamatan: String,
    pub title: String,
    pub evaluator: String,
    pub note: Option<String>,
    pub participants: i64,
    /// Codes of the competencies practised, comma-separated.
    pub practised: String,
}

/// Drills of the tenant matching `filter`, newest first, at most `limit`.
fn drill_select(filter: &str, limit: i64) -> String {
    format!(
        "SELECT d.id, d.held_on, d.hazard, d.kecamatan, d.title, d.evaluator, d.note, \
         (SELECT COUNT(*) FROM drill_participants p WHERE p.tenant_id = d.tenant_id AND p.drill_id = d.id) AS participants, \
         COALESCE((SELECT STRING_AGG(k.code, ', ' ORDER BY k.code) FROM drill_competencies dc \
         JOIN competencies k ON k.tenant_id = dc.tenant_id AND k.id = dc.competency_id \
         WHERE dc.tenant_id = d.tenant_id AND dc.drill_id = d.id), '') AS practised \
         FROM drills d WHERE d.tenant_id = $1 {filter} ORDER BY d.held_on DESC, d.id DESC LIMIT {limit}"
    )
}

/// The newest `limit` drills.
pub async fn drills(c: &mut Conn, tenant: i64, limit: i64) -> Result<Vec<DrillRow>> {
    Ok(fetch_all!(
        c,
        DrillRow,
        sqlx::AssertSqlSafe(drill_select("", limit.clamp(1, 500))),
        tenant
    )?)
}

/// The drills an employee took part in (evidence on their profile).
pub async fn drills_of(c: &mut Conn, tenant: i64, employee: i64) -> Result<Vec<DrillRow>> {
    Ok(fetch_all!(
        c,
        DrillRow,
        sqlx::AssertSqlSafe(drill_select(
            "AND d.id IN (SELECT drill_id FROM drill_participants WHERE tenant_id = $1 AND employee_id = $2)",
            100
        )),
        tenant,
        employee
    )?)
}

/// One drill.
pub async fn drill(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<DrillRow>> {
    Ok(fetch_optional!(
        c,
        DrillRow,
        sqlx::AssertSqlSafe(drill_select("AND d.id = $2", 1)),
        tenant,
        id
    )?)
}
