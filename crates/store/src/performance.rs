//! Performance periods, plans (SKP) with their results, evaluations and findings; potential
//! scores and key positions for the talent map.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Settings {
    pub period_frequency: String,
    pub potensi_high: i64,
    pub potensi_mid: i64,
}

pub async fn settings(c: &mut Conn, tenant: i64) -> Result<Option<Settings>> {
    Ok(fetch_optional!(
        c,
        Settings,
        "SELECT period_frequency, potensi_high, potensi_mid FROM tenants WHERE id = $1",
        tenant
    )?)
}

pub async fn set_settings(c: &mut Conn, tenant: i64, s: &Settings) -> Result<()> {
    execute!(
        c,
        "UPDATE tenants SET period_frequency = $1, potensi_high = $2, potensi_mid = $3 \
         WHERE id = $4",
        &s.period_frequency,
        s.potensi_high,
        s.potensi_mid,
        tenant
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodRow {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub year: i64,
    pub starts_on: String,
    pub ends_on: String,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::PeriodStatus,
}

const PERIOD: &str =
    "SELECT id, code, kind, year, starts_on, ends_on, status FROM performance_periods";

pub async fn periods(c: &mut Conn, tenant: i64) -> Result<Vec<PeriodRow>> {
    Ok(fetch_all!(
        c,
        PeriodRow,
        sqlx::AssertSqlSafe(format!(
            "{PERIOD} WHERE tenant_id = $1 ORDER BY starts_on DESC, kind, code"
        )),
        tenant
    )?)
}

pub async fn period(c: &mut Conn, tenant: i64, code: &str) -> Result<Option<PeriodRow>> {
    Ok(fetch_optional!(
        c,
        PeriodRow,
        sqlx::AssertSqlSafe(format!("{PERIOD} WHERE tenant_id = $1 AND code = $2")),
        tenant,
        code
    )?)
}

pub struct NewPeriod<'a> {
    pub code: &'a str,
    pub kind: &'a str,
    pub year: i64,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
}

pub async fn insert_period(c: &mut Conn, tenant: i64, p: &NewPeriod<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO performance_periods (tenant_id, code, kind, year, starts_on, ends_on, status) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open') RETURNING id",
        tenant,
        p.code,
        p.kind,
        p.year,
        p.starts_on,
        p.ends_on
    )?)
}

pub async fn set_period_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: cakap_domain::status::PeriodStatus,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE performance_periods SET status = $1 WHERE tenant_id = $2 AND id = $3",
        status.as_str(),
        tenant,
        id
    )?)
}

/// A plan with who it belongs to, its period, and its evaluation's predikat if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_path: String,
    pub unit_name: String,
    pub period_id: i64,
    pub period: String,
    #[sqlx(try_from = "String")]
    pub period_status: cakap_domain::status::PeriodStatus,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::SkpStatus,
    pub return_note: Option<String>,
    pub version: i64,
    pub predikat: Option<String>,
}

const PLAN: &str = "SELECT pl.id, pl.employee_id, e.nip, e.name, u.path AS unit_path, \
    u.name AS unit_name, pl.period_id, pp.code AS period, pp.status AS period_status, pl.status, \
    pl.return_note, pl.version, \
    CASE WHEN pl.status IN ('evaluated', 'final') THEN ev.predikat END AS predikat \
    FROM performance_plans pl \
    JOIN employees e ON e.tenant_id = pl.tenant_id AND e.id = pl.employee_id \
    JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
    JOIN performance_periods pp ON pp.tenant_id = pl.tenant_id AND pp.id = pl.period_id \
    LEFT JOIN evaluations ev ON ev.tenant_id = pl.tenant_id AND ev.plan_id = pl.id";

pub async fn plan(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<PlanRow>> {
    Ok(fetch_optional!(
        c,
        PlanRow,
        sqlx::AssertSqlSafe(format!("{PLAN} WHERE pl.tenant_id = $1 AND pl.id = $2")),
        tenant,
        id
    )?)
}

pub async fn plan_of(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    period: i64,
) -> Result<Option<PlanRow>> {
    Ok(fetch_optional!(
        c,
        PlanRow,
        sqlx::AssertSqlSafe(format!(
            "{PLAN} WHERE pl.tenant_id = $1 AND pl.employee_id = $2 AND pl.period_id = $3"
        )),
        tenant,
        employee,
        period
    )?)
}

/// Plans of a period for employees under `scope`, or of one employee (every period).
pub async fn plans(
    c: &mut Conn,
    tenant: i64,
    period: Option<i64>,
    scope: &str,
    employee: Option<i64>,
) -> Result<Vec<PlanRow>> {
    let mut d = Dynamic::new(PLAN);
    d.push(
        " WHERE pl.tenant_id = ? AND e.active = TRUE",
        [Arg::I64(tenant)],
    );
    if let Some(p) = period {
        d.push(" AND pl.period_id = ?", [Arg::I64(p)]);
    }
    if !scope.is_empty() {
        d.push(" AND u.path LIKE ?", [Arg::Text(format!("{scope}%"))]);
    }
    if let Some(e) = employee {
        d.push(" AND pl.employee_id = ?", [Arg::I64(e)]);
    }
    d.sql.push_str(" ORDER BY pp.starts_on DESC, e.name, e.id");
    d.fetch_all(c).await
}

pub async fn insert_plan(c: &mut Conn, tenant: i64, employee: i64, period: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO performance_plans (tenant_id, employee_id, period_id, status, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4) RETURNING id",
        tenant,
        employee,
        period,
        now_ms()
    )?)
}

/// Moves a plan to `status` if it is still at `version`; false when someone saved first.
pub async fn set_plan_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    version: i64,
    status: cakap_domain::status::SkpStatus,
    return_note: Option<&str>,
) -> Result<bool> {
    let n = execute!(
        c,
        "UPDATE performance_plans SET status = $1, return_note = $2, version = version + 1, \
         updated_at = $3 WHERE tenant_id = $4 AND id = $5 AND version = $6",
        status.as_str(),
        return_note,
        now_ms(),
        tenant,
        id,
        version
    )?;
    Ok(n == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResultRow {
    pub description: String,
    pub indicator: String,
    pub target: String,
    pub evidence: Option<String>,
    pub note: Option<String>,
}

pub async fn results(c: &mut Conn, tenant: i64, plan: i64) -> Result<Vec<ResultRow>> {
    Ok(fetch_all!(
        c,
        ResultRow,
        "SELECT description, indicator, target, evidence, note FROM plan_results \
         WHERE tenant_id = $1 AND plan_id = $2 ORDER BY position",
        tenant,
        plan
    )?)
}

pub async fn replace_results(
    c: &mut Conn,
    tenant: i64,
    plan: i64,
    rows: &[ResultRow],
) -> Result<()> {
    execute!(
        c,
        "DELETE FROM plan_results WHERE tenant_id = $1 AND plan_id = $2",
        tenant,
        plan
    )?;
    for (i, r) in rows.iter().enumerate() {
        execute!(
            c,
            "INSERT INTO plan_results (tenant_id, plan_id, position, description, indicator, \
             target, evidence, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            tenant,
            plan,
            i as i64,
            &r.description,
            &r.indicator,
            &r.target,
            r.evidence.as_deref(),
            r.note.as_deref()
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvaluationRow {
    pub hasil_kerja: String,
    pub perilaku_kerja: String,
    pub berorientasi_pelayanan: String,
    pub akuntabel: String,
    pub kompeten: String,
    pub harmonis: String,
    pub loyal: String,
    pub adaptif: String,
    pub kolaboratif: String,
    pub predikat: String,
    pub note: Option<String>,
    pub evaluator: String,
}

pub async fn evaluation(c: &mut Conn, tenant: i64, plan: i64) -> Result<Option<EvaluationRow>> {
    Ok(fetch_optional!(
        c,
        EvaluationRow,
        "SELECT hasil_kerja, perilaku_kerja, berorientasi_pelayanan, akuntabel, kompeten, \
         harmonis, loyal, adaptif, kolaboratif, predikat, note, evaluator FROM evaluations \
         WHERE tenant_id = $1 AND plan_id = $2",
        tenant,
        plan
    )?)
}

/// Writes (or rewrites) a plan's evaluation.
pub async fn save_evaluation(
    c: &mut Conn,
    tenant: i64,
    plan: i64,
    e: &EvaluationRow,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO evaluations (tenant_id, plan_id, hasil_kerja, perilaku_kerja, \
         berorientasi_pelayanan, akuntabel, kompeten, harmonis, loyal, adaptif, kolaboratif, \
         predikat, note, evaluator, evaluated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (tenant_id, plan_id) DO UPDATE SET hasil_kerja = excluded.hasil_kerja, \
         perilaku_kerja = excluded.perilaku_kerja, \
         berorientasi_pelayanan = excluded.berorientasi_pelayanan, \
         akuntabel = excluded.akuntabel, kompeten = excluded.kompeten, \
         harmonis = excluded.harmonis, loyal = excluded.loyal, adaptif = excluded.adaptif, \
         kolaboratif = excluded.kolaboratif, predikat = excluded.predikat, \
         note = excluded.note, evaluator = excluded.evaluator, \
         evaluated_at = excluded.evaluated_at",
        tenant,
        plan,
        &e.hasil_kerja,
        &e.perilaku_kerja,
        &e.berorientasi_pelayanan,
        &e.akuntabel,
        &e.kompeten,
        &e.harmonis,
        &e.loyal,
        &e.adaptif,
        &e.kolaboratif,
        &e.predikat,
        e.note.as_deref(),
        &e.evaluator,
        now_ms()
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FindingRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub comment: Option<String>,
}

pub async fn findings(c: &mut Conn, tenant: i64, plan: i64) -> Result<Vec<FindingRow>> {
    Ok(fetch_all!(
        c,
        FindingRow,
        "SELECT k.code, k.name, f.kind, f.comment FROM evaluation_findings f \
         JOIN competencies k ON k.tenant_id = f.tenant_id AND k.id = f.competency_id \
         WHERE f.tenant_id = $1 AND f.plan_id = $2 ORDER BY f.kind, k.position, k.code",
        tenant,
        plan
    )?)
}

/// (competency id, kind, comment) of a plan's findings, replacing the old ones.
pub async fn replace_findings(
    c: &mut Conn,
    tenant: i64,
    plan: i64,
    rows: &[(i64, &str, Option<&str>)],
) -> Result<()> {
    execute!(
        c,
        "DELETE FROM evaluation_findings WHERE tenant_id = $1 AND plan_id = $2",
        tenant,
        plan
    )?;
    for (k, kind, comment) in rows {
        execute!(
            c,
            "INSERT INTO evaluation_findings (tenant_id, plan_id, competency_id, kind, comment) \
             VALUES ($1, $2, $3, $4, $5)",
            tenant,
            plan,
            k,
            kind,
            comment
        )?;
    }
    Ok(())
}

/// The weaknesses named in an employee's most recent evaluated plan (for gaps and plans).
pub async fn latest_weaknesses(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
) -> Result<Vec<FindingRow>> {
    Ok(fetch_all!(
        c,
        FindingRow,
        "SELECT k.code, k.name, f.kind, f.comment FROM evaluation_findings f \
         JOIN competencies k ON k.tenant_id = f.tenant_id AND k.id = f.competency_id \
         WHERE f.tenant_id = $1 AND f.kind = 'weakness' AND f.plan_id = ( \
           SELECT pl.id FROM performance_plans pl \
           JOIN performance_periods pp ON pp.tenant_id = pl.tenant_id AND pp.id = pl.period_id \
           JOIN evaluations ev ON ev.tenant_id = pl.tenant_id AND ev.plan_id = pl.id \
           WHERE pl.tenant_id = $1 AND pl.employee_id = $2 \
             AND pl.status IN ('evaluated', 'final') \
           ORDER BY pp.ends_on DESC, pl.id DESC LIMIT 1) \
         ORDER BY k.position, k.code",
        tenant,
        employee
    )?)
}

pub async fn set_potential(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    year: i64,
    score: f64,
    source: Option<&str>,
    by: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO potential_scores (tenant_id, employee_id, year, score, source, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id, employee_id, year) DO UPDATE SET score = excluded.score, \
         source = excluded.source, recorded_by = excluded.recorded_by, \
         recorded_at = excluded.recorded_at",
        tenant,
        employee,
        year,
        score,
        source,
        by,
        now_ms()
    )?;
    Ok(())
}

/// An employee's potential scores, newest year first: (year, score, source).
pub async fn potentials(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
) -> Result<Vec<(i64, f64, Option<String>)>> {
    Ok(fetch_all!(
        c,
        (i64, f64, Option<String>),
        "SELECT year, score, source FROM potential_scores WHERE tenant_id = $1 \
         AND employee_id = $2 ORDER BY year DESC",
        tenant,
        employee
    )?)
}

/// An employee's potential score of a year, if any.
pub async fn potential(c: &mut Conn, tenant: i64, employee: i64, year: i64) -> Result<Option<f64>> {
    Ok(fetch_optional!(
        c,
        (f64,),
        "SELECT score FROM potential_scores WHERE tenant_id = $1 AND employee_id = $2 AND year = $3",
        tenant,
        employee,
        year
    )?
    .map(|r| r.0))
}

/// One person on the talent map: annual predikat of `year` and potential score of `year`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TalentRow {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub unit_path: String,
    pub position_id: Option<i64>,
    pub position: Option<String>,
    pub predikat: Option<String>,
    pub score: Option<f64>,
}

/// Active employees under `scope` with their annual predikat (from the evaluated or final
/// plan of the annual period of `year`) and potential score of `year`.
pub async fn talent(c: &mut Conn, tenant: i64, scope: &str, year: i64) -> Result<Vec<TalentRow>> {
    Ok(fetch_all!(
        c,
        TalentRow,
        "SELECT e.id AS employee_id, e.nip, e.name, u.name AS unit_name, u.path AS unit_path, \
         e.position_id, p.name AS position, ev.predikat, ps.score FROM employees e \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id \
         LEFT JOIN performance_periods pp ON pp.tenant_id = e.tenant_id AND pp.kind = 'annual' \
           AND pp.year = $3 \
         LEFT JOIN performance_plans pl ON pl.tenant_id = e.tenant_id AND pl.employee_id = e.id \
           AND pl.period_id = pp.id AND pl.status = 'final' \
         LEFT JOIN evaluations ev ON ev.tenant_id = pl.tenant_id AND ev.plan_id = pl.id \
         LEFT JOIN potential_scores ps ON ps.tenant_id = e.tenant_id AND ps.employee_id = e.id \
           AND ps.year = $3 \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 ORDER BY e.name, e.id",
        tenant,
        format!("{scope}%"),
        year
    )?)
}

pub async fn key_positions(c: &mut Conn, tenant: i64) -> Result<Vec<i64>> {
    Ok(fetch_all!(
        c,
        (i64,),
        "SELECT position_id FROM key_positions WHERE tenant_id = $1 ORDER BY position_id",
        tenant
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

/// Key positions with their names and units, in tree order.
pub async fn key_positions_named(
    c: &mut Conn,
    tenant: i64,
) -> Result<Vec<crate::positions::PositionRow>> {
    Ok(fetch_all!(
        c,
        crate::positions::PositionRow,
        "SELECT p.id, p.name, p.unit_id, u.code AS unit_code, u.name AS unit_name, \
         u.path AS unit_path, p.kind, p.jenjang, p.kelas, p.version FROM key_positions k \
         JOIN positions p ON p.tenant_id = k.tenant_id AND p.id = k.position_id \
         JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id \
         WHERE k.tenant_id = $1 ORDER BY u.path, p.name",
        tenant
    )?)
}

pub async fn set_key_position(
    c: &mut Conn,
    tenant: i64,
    position: i64,
    key: bool,
    by: &str,
) -> Result<()> {
    execute!(
        c,
        "DELETE FROM key_positions WHERE tenant_id = $1 AND position_id = $2",
        tenant,
        position
    )?;
    if key {
        execute!(
            c,
            "INSERT INTO key_positions (tenant_id, position_id, marked_by) VALUES ($1, $2, $3) \
             ON CONFLICT (tenant_id, position_id) DO NOTHING",
            tenant,
            position,
            by
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub filename: String,
    pub size: i64,
}

pub async fn files(c: &mut Conn, tenant: i64, plan: i64) -> Result<Vec<FileRow>> {
    Ok(fetch_all!(
        c,
        FileRow,
        "SELECT id, filename, size FROM plan_files WHERE tenant_id = $1 AND plan_id = $2 \
         ORDER BY id",
        tenant,
        plan
    )?)
}

pub struct NewFile<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
    pub by: &'a str,
}

pub async fn insert_file(c: &mut Conn, tenant: i64, plan: i64, f: &NewFile<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO plan_files (tenant_id, plan_id, filename, content_type, size, sha256, data, \
         uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        tenant,
        plan,
        f.filename,
        f.content_type,
        f.data.len() as i64,
        f.sha256,
        f.data,
        f.by,
        now_ms()
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileData {
    pub filename: String,
    pub data: Vec<u8>,
}

pub async fn file(c: &mut Conn, tenant: i64, plan: i64, id: i64) -> Result<Option<FileData>> {
    Ok(fetch_optional!(
        c,
        FileData,
        "SELECT filename, data FROM plan_files WHERE tenant_id = $1 AND plan_id = $2 AND id = $3",
        tenant,
        plan,
        id
    )?)
}

/// The predikat set for a unit and period, if any.
pub async fn unit_rating(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    period: i64,
) -> Result<Option<String>> {
    Ok(fetch_optional!(
        c,
        (String,),
        "SELECT predikat FROM unit_ratings WHERE tenant_id = $1 AND unit_id = $2 AND period_id = $3",
        tenant,
        unit,
        period
    )?
    .map(|r| r.0))
}

pub async fn set_unit_rating(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    period: i64,
    predikat: &str,
    by: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO unit_ratings (tenant_id, unit_id, period_id, predikat, set_by, set_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, unit_id, period_id) \
         DO UPDATE SET predikat = excluded.predikat, set_by = excluded.set_by, \
         set_at = excluded.set_at",
        tenant,
        unit,
        period,
        predikat,
        by,
        now_ms()
    )?;
    Ok(())
}
