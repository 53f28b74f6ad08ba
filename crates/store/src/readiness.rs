//! Crisis readiness: target tables, availability, response teams and their call-outs, drills,
//! monthly snapshots and expiring certifications (docs/domain.md#readiness).

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

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

// ---- teams ----

pub async fn insert_team(
    c: &mut Conn,
    tenant: i64,
    hazard: &str,
    kecamatan: &str,
    roles: &str,
    unfilled: &str,
    by: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO response_teams (tenant_id, hazard, kecamatan, roles, unfilled, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        hazard,
        kecamatan,
        roles,
        unfilled,
        by,
        now_ms()
    )?)
}

pub struct NewMember<'a> {
    pub employee_id: i64,
    pub role: &'a str,
    pub competency_id: i64,
    pub level: i64,
    pub distance: i64,
}

/// Adds a member; `false` when they are on the team already.
pub async fn insert_member(
    c: &mut Conn,
    tenant: i64,
    team: i64,
    m: &NewMember<'_>,
) -> Result<bool> {
    Ok(execute!(
        c,
        "INSERT INTO response_team_members (tenant_id, team_id, employee_id, seq, role, \
         competency_id, level, distance) VALUES ($1, $2, $3, \
         (SELECT COALESCE(MAX(seq), 0) + 1 FROM response_team_members WHERE tenant_id = $1 AND team_id = $2), \
         $4, $5, $6, $7) ON CONFLICT (tenant_id, team_id, employee_id) DO NOTHING",
        tenant,
        team,
        m.employee_id,
        m.role,
        m.competency_id,
        m.level,
        m.distance
    )? == 1)
}

pub async fn set_unfilled(c: &mut Conn, tenant: i64, team: i64, unfilled: &str) -> Result<()> {
    execute!(
        c,
        "UPDATE response_teams SET unfilled = $1 WHERE tenant_id = $2 AND id = $3",
        unfilled,
        tenant,
        team
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub hazard: String,
    pub kecamatan: String,
    pub roles: String,
    pub unfilled: String,
    pub created_by: String,
    pub created_at: i64,
    pub callout_id: Option<i64>,
    pub called_at: Option<i64>,
}

const TEAM: &str = "SELECT t.id, t.hazard, t.kecamatan, t.roles, t.unfilled, t.created_by, \
    t.created_at, k.id AS callout_id, k.called_at FROM response_teams t \
    LEFT JOIN callouts k ON k.tenant_id = t.tenant_id AND k.team_id = t.id";

pub async fn team(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<TeamRow>> {
    Ok(fetch_optional!(
        c,
        TeamRow,
        sqlx::AssertSqlSafe(format!("{TEAM} WHERE t.tenant_id = $1 AND t.id = $2")),
        tenant,
        id
    )?)
}

/// The newest teams.
pub async fn teams(c: &mut Conn, tenant: i64, limit: i64) -> Result<Vec<TeamRow>> {
    Ok(fetch_all!(
        c,
        TeamRow,
        sqlx::AssertSqlSafe(format!(
            "{TEAM} WHERE t.tenant_id = $1 ORDER BY t.id DESC LIMIT $2"
        )),
        tenant,
        limit
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub employee_id: i64,
    pub seq: i64,
    pub role: String,
    pub competency_id: i64,
    pub competency_code: String,
    pub level: i64,
    pub distance: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub unit_path: String,
    pub phone: Option<String>,
    pub called_at: Option<i64>,
    pub answer: Option<String>,
    pub eta_minutes: Option<i64>,
    pub answered_at: Option<i64>,
    pub replaced_by: Option<i64>,
    /// Has an active account (a call-out reaches them in Cakap).
    pub reachable: bool,
}

pub async fn members(c: &mut Conn, tenant: i64, team: i64) -> Result<Vec<MemberRow>> {
    Ok(fetch_all!(
        c,
        MemberRow,
        "SELECT m.employee_id, m.seq, m.role, m.competency_id, k.code AS competency_code, m.level, \
         m.distance, e.nip, e.name, u.name AS unit_name, u.path AS unit_path, e.phone, \
         m.called_at, m.answer, m.eta_minutes, m.answered_at, m.replaced_by, \
         EXISTS (SELECT 1 FROM users x WHERE x.tenant_id = m.tenant_id AND x.employee_id = m.employee_id \
         AND x.active = TRUE) AS reachable \
         FROM response_team_members m \
         JOIN employees e ON e.tenant_id = m.tenant_id AND e.id = m.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         JOIN competencies k ON k.tenant_id = m.tenant_id AND k.id = m.competency_id \
         WHERE m.tenant_id = $1 AND m.team_id = $2 ORDER BY m.seq",
        tenant,
        team
    )?)
}

/// Makes the team's call-out (once; the same id again after) and marks every member not
/// yet called as called; yields the call-out's id and the employees called now.
pub async fn call_out(c: &mut Conn, tenant: i64, team: i64, by: &str) -> Result<(i64, Vec<i64>)> {
    let now = now_ms();
    execute!(
        c,
        "INSERT INTO callouts (tenant_id, team_id, called_at, called_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, team_id) DO NOTHING",
        tenant,
        team,
        now,
        by
    )?;
    let fresh: Vec<i64> = fetch_all!(
        c,
        (i64,),
        "SELECT employee_id FROM response_team_members WHERE tenant_id = $1 AND team_id = $2 \
         AND called_at IS NULL AND replaced_by IS NULL ORDER BY seq",
        tenant,
        team
    )?
    .into_iter()
    .map(|r| r.0)
    .collect();
    execute!(
        c,
        "UPDATE response_team_members SET called_at = $1 WHERE tenant_id = $2 AND team_id = $3 \
         AND called_at IS NULL AND replaced_by IS NULL",
        now,
        tenant,
        team
    )?;
    let id = fetch_scalar!(
        c,
        i64,
        "SELECT id FROM callouts WHERE tenant_id = $1 AND team_id = $2",
        tenant,
        team
    )?;
    Ok((id, fresh))
}

/// The team of a call-out.
pub async fn callout_team(c: &mut Conn, tenant: i64, callout: i64) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT team_id FROM callouts WHERE tenant_id = $1 AND id = $2",
        tenant,
        callout
    )?
    .map(|r| r.0))
}

/// Records a called member's answer; `false` when they are not a called member of the team.
pub async fn respond(
    c: &mut Conn,
    tenant: i64,
    team: i64,
    employee: i64,
    answer: &str,
    eta_minutes: Option<i64>,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE response_team_members SET answer = $1, eta_minutes = $2, answered_at = $3 \
         WHERE tenant_id = $4 AND team_id = $5 AND employee_id = $6 AND called_at IS NOT NULL \
         AND replaced_by IS NULL",
        answer,
        eta_minutes,
        now_ms(),
        tenant,
        team,
        employee
    )? == 1)
}

pub async fn mark_replaced(
    c: &mut Conn,
    tenant: i64,
    team: i64,
    employee: i64,
    by: i64,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE response_team_members SET replaced_by = $1 WHERE tenant_id = $2 AND team_id = $3 \
         AND employee_id = $4 AND replaced_by IS NULL",
        by,
        tenant,
        team,
        employee
    )? == 1)
}

/// The call-outs that reached an employee and still count (not replaced), newest first:
/// (call-out id, team id, hazard, kecamatan, role, called_at, answer).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyCallRow {
    pub callout_id: i64,
    pub team_id: i64,
    pub hazard: String,
    pub kecamatan: String,
    pub role: String,
    pub called_at: i64,
    pub answer: Option<String>,
    pub eta_minutes: Option<i64>,
    pub created_by: String,
}

/// The call-outs reaching an employee, newest 20 (or the one `callout`).
pub async fn my_calls(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    callout: Option<i64>,
) -> Result<Vec<MyCallRow>> {
    Ok(fetch_all!(
        c,
        MyCallRow,
        "SELECT k.id AS callout_id, t.id AS team_id, t.hazard, t.kecamatan, m.role, m.called_at, \
         m.answer, m.eta_minutes, t.created_by FROM response_team_members m \
         JOIN response_teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id \
         JOIN callouts k ON k.tenant_id = t.tenant_id AND k.team_id = t.id \
         WHERE m.tenant_id = $1 AND m.employee_id = $2 AND m.called_at IS NOT NULL \
         AND m.replaced_by IS NULL AND ($3 IS NULL OR k.id = $3) ORDER BY m.called_at DESC LIMIT 20",
        tenant,
        employee,
        callout
    )?)
}

/// Who some employees are (a team's proposals): name, unit, phone, whether reachable.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonCard {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub phone: Option<String>,
    pub reachable: bool,
}

pub async fn people_by_id(c: &mut Conn, tenant: i64, ids: &[i64]) -> Result<Vec<PersonCard>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut d = Dynamic::new("");
    d.push(
        "SELECT e.id, e.nip, e.name, u.name AS unit_name, e.phone, \
         EXISTS (SELECT 1 FROM users x WHERE x.tenant_id = e.tenant_id AND x.employee_id = e.id \
         AND x.active = TRUE) AS reachable FROM employees e \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id WHERE e.tenant_id = ? AND e.id IN (",
        [Arg::I64(tenant)],
    );
    for (i, id) in ids.iter().enumerate() {
        d.push(if i == 0 { "?" } else { ", ?" }, [Arg::I64(*id)]);
    }
    d.sql.push(')');
    d.fetch_all(c).await
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

// ---- drills ----

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
