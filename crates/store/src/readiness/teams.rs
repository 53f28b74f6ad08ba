//! Response teams, their members and call-outs (docs/domain.md#readiness).

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

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

/// A member's seat in the team, before the person's details are added ([`members`]).
#[derive(sqlx::FromRow)]
struct Seat {
    employee_id: i64,
    seq: i64,
    role: String,
    competency_id: i64,
    competency_code: String,
    level: i64,
    distance: i64,
    called_at: Option<i64>,
    answer: Option<String>,
    eta_minutes: Option<i64>,
    answered_at: Option<i64>,
    replaced_by: Option<i64>,
}

/// Who sits in a seat.
#[derive(sqlx::FromRow)]
struct Person {
    id: i64,
    nip: String,
    name: String,
    unit_name: String,
    unit_path: String,
    phone: Option<String>,
    reachable: bool,
}

/// The team's members in seat order. Two reads, the seats and then their people by id: as one
/// join, PostgreSQL merged the dozen seats with the tenant's every employee (ordered by id),
/// 23 ms a view with the national data beside the regency; the same join as a nested loop took
/// 0.47 ms (bench/RESULTS.md, stop 34).
pub async fn members(c: &mut Conn, tenant: i64, team: i64) -> Result<Vec<MemberRow>> {
    let seats: Vec<Seat> = fetch_all!(
        c,
        Seat,
        "SELECT m.employee_id, m.seq, m.role, m.competency_id, k.code AS competency_code, m.level, \
         m.distance, m.called_at, m.answer, m.eta_minutes, m.answered_at, m.replaced_by \
         FROM response_team_members m \
         JOIN competencies k ON k.tenant_id = m.tenant_id AND k.id = m.competency_id \
         WHERE m.tenant_id = $1 AND m.team_id = $2 ORDER BY m.seq",
        tenant,
        team
    )?;
    if seats.is_empty() {
        return Ok(Vec::new());
    }
    let mut d = Dynamic::new(
        "SELECT e.id, e.nip, e.name, u.name AS unit_name, u.path AS unit_path, e.phone, \
         EXISTS (SELECT 1 FROM users x WHERE x.tenant_id = e.tenant_id AND x.employee_id = e.id \
         AND x.active = TRUE) AS reachable \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id",
    );
    d.push(" WHERE e.tenant_id = ? AND e.id IN (", [Arg::I64(tenant)]);
    for (i, s) in seats.iter().enumerate() {
        d.push(if i == 0 { "?" } else { ", ?" }, [Arg::I64(s.employee_id)]);
    }
    d.sql.push(')');
    let people: std::collections::HashMap<i64, Person> = d
        .fetch_all::<Person>(c)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(seats
        .into_iter()
        .filter_map(|s| {
            let p = people.get(&s.employee_id)?;
            Some(MemberRow {
                employee_id: s.employee_id,
                seq: s.seq,
                role: s.role,
                competency_id: s.competency_id,
                competency_code: s.competency_code,
                level: s.level,
                distance: s.distance,
                nip: p.nip.clone(),
                name: p.name.clone(),
                unit_name: p.unit_name.clone(),
                unit_path: p.unit_path.clone(),
                phone: p.phone.clone(),
                called_at: s.called_at,
                answer: s.answer,
                eta_minutes: s.eta_minutes,
                answered_at: s.answered_at,
                replaced_by: s.replaced_by,
                reachable: p.reachable,
            })
        })
        .collect())
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
