//! TPP: rule versions, monthly attendance and what each month's computation reads.

use crate::{Conn, Result, execute, fetch_all, fetch_optional, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    pub version: i64,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
}

/// The newest version of the tenant's rules.
pub async fn latest_rules(c: &mut Conn, tenant: i64) -> Result<Option<RuleRow>> {
    Ok(fetch_optional!(
        c,
        RuleRow,
        "SELECT version, body, created_by, created_at FROM tpp_rules WHERE tenant_id = $1 \
         ORDER BY version DESC LIMIT 1",
        tenant
    )?)
}

pub async fn rules_version(c: &mut Conn, tenant: i64, version: i64) -> Result<Option<RuleRow>> {
    Ok(fetch_optional!(
        c,
        RuleRow,
        "SELECT version, body, created_by, created_at FROM tpp_rules WHERE tenant_id = $1 \
         AND version = $2",
        tenant,
        version
    )?)
}

/// The version in force for a month ending at `until` (ms): the newest made by then, else the
/// oldest (rules set after the month apply to it until a version existed).
pub async fn rules_in_force(c: &mut Conn, tenant: i64, until: i64) -> Result<Option<RuleRow>> {
    let made = fetch_optional!(
        c,
        RuleRow,
        "SELECT version, body, created_by, created_at FROM tpp_rules WHERE tenant_id = $1 \
         AND created_at <= $2 ORDER BY version DESC LIMIT 1",
        tenant,
        until
    )?;
    if made.is_some() {
        return Ok(made);
    }
    Ok(fetch_optional!(
        c,
        RuleRow,
        "SELECT version, body, created_by, created_at FROM tpp_rules WHERE tenant_id = $1 \
         ORDER BY version LIMIT 1",
        tenant
    )?)
}

/// Every version's number, author and time, newest first (not the bodies).
pub async fn versions(c: &mut Conn, tenant: i64) -> Result<Vec<(i64, String, i64)>> {
    Ok(fetch_all!(
        c,
        (i64, String, i64),
        "SELECT version, created_by, created_at FROM tpp_rules WHERE tenant_id = $1 \
         ORDER BY version DESC",
        tenant
    )?)
}

/// Adds the next version; its number. Hold [`crate::LockSpace::TppRules`] first.
pub async fn insert_rules(c: &mut Conn, tenant: i64, body: &str, by: &str) -> Result<i64> {
    let next: i64 = crate::fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM tpp_rules WHERE tenant_id = $1",
        tenant
    )?;
    execute!(
        c,
        "INSERT INTO tpp_rules (tenant_id, version, body, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        tenant,
        next,
        body,
        by,
        now_ms()
    )?;
    Ok(next)
}

/// The version a month was fixed to, if it was.
pub async fn month_version(c: &mut Conn, tenant: i64, month: &str) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT rule_version FROM tpp_months WHERE tenant_id = $1 AND month = $2",
        tenant,
        month
    )?
    .map(|r| r.0))
}

/// Fixes a month to `version` unless it already is fixed; whether it was fixed now.
pub async fn fix_month(
    c: &mut Conn,
    tenant: i64,
    month: &str,
    version: i64,
    by: &str,
) -> Result<bool> {
    let n = execute!(
        c,
        "INSERT INTO tpp_months (tenant_id, month, rule_version, fixed_at, fixed_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, month) DO NOTHING",
        tenant,
        month,
        version,
        now_ms(),
        by
    )?;
    Ok(n > 0)
}

/// Sets an ASN's attendance summary of a month (a later import replaces it).
pub async fn set_attendance(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    month: &str,
    late: [i64; 4],
    absent: i64,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO attendance (tenant_id, employee_id, month, late_1, late_2, late_3, late_4, \
         absent, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (tenant_id, employee_id, month) DO UPDATE SET late_1 = excluded.late_1, \
         late_2 = excluded.late_2, late_3 = excluded.late_3, late_4 = excluded.late_4, \
         absent = excluded.absent, imported_at = excluded.imported_at",
        tenant,
        employee,
        month,
        late[0],
        late[1],
        late[2],
        late[3],
        absent,
        now_ms()
    )?;
    Ok(())
}

/// An active ASN with what their month's TPP depends on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub nip: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub position_name: Option<String>,
    pub kelas: Option<i64>,
    /// The predikat of a periodic SKP covering the month (evaluated or final).
    pub predikat_month: Option<String>,
    /// The newest final annual predikat up to the month's year.
    pub predikat_year: Option<String>,
    /// Attendance of the month, when imported.
    pub late_1: Option<i64>,
    pub late_2: Option<i64>,
    pub late_3: Option<i64>,
    pub late_4: Option<i64>,
    pub absent: Option<i64>,
}

/// Everyone active under `scope` for the month `first`..`last` (dates) of `year`.
pub async fn people(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    month: &str,
    first: &str,
    last: &str,
    year: i64,
) -> Result<Vec<Person>> {
    Ok(fetch_all!(
        c,
        Person,
        "SELECT e.nip, e.name, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, \
         p.name AS position_name, p.kelas, \
         (SELECT ev.predikat FROM performance_plans pp \
            JOIN performance_periods pe ON pe.tenant_id = pp.tenant_id AND pe.id = pp.period_id \
            JOIN evaluations ev ON ev.tenant_id = pp.tenant_id AND ev.plan_id = pp.id \
            WHERE pp.tenant_id = e.tenant_id AND pp.employee_id = e.id AND pe.kind = 'periodic' \
            AND pe.starts_on <= $5 AND pe.ends_on >= $4 AND pp.status IN ('evaluated', 'final') \
            ORDER BY pe.starts_on DESC LIMIT 1) AS predikat_month, \
         (SELECT ev.predikat FROM performance_plans pp \
            JOIN performance_periods pe ON pe.tenant_id = pp.tenant_id AND pe.id = pp.period_id \
            JOIN evaluations ev ON ev.tenant_id = pp.tenant_id AND ev.plan_id = pp.id \
            WHERE pp.tenant_id = e.tenant_id AND pp.employee_id = e.id AND pe.kind = 'annual' \
            AND pe.year <= $6 AND pp.status = 'final' \
            ORDER BY pe.year DESC LIMIT 1) AS predikat_year, \
         a.late_1, a.late_2, a.late_3, a.late_4, a.absent \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id \
         LEFT JOIN attendance a ON a.tenant_id = e.tenant_id AND a.employee_id = e.id \
           AND a.month = $3 \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 \
         ORDER BY u.path, e.name, e.nip",
        tenant,
        format!("{scope}%"),
        month,
        first,
        last,
        year
    )?)
}
