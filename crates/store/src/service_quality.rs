//! Public-service quality: survey responses (SKM), service users per period, complaints and
//! their steps (docs/domain.md#service-quality).

use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

/// A unit as the public survey sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
    pub serves_public: bool,
}

pub async fn unit(c: &mut Conn, tenant: i64, code: &str) -> Result<Option<PublicUnit>> {
    Ok(fetch_optional!(
        c,
        PublicUnit,
        "SELECT id, code, name, path, serves_public FROM units WHERE tenant_id = $1 AND code = $2",
        tenant,
        code
    )?)
}

/// Units that serve the public under `scope` (a path prefix; empty for all), by name.
pub async fn public_units(c: &mut Conn, tenant: i64, scope: &str) -> Result<Vec<PublicUnit>> {
    Ok(fetch_all!(
        c,
        PublicUnit,
        "SELECT id, code, name, path, serves_public FROM units WHERE tenant_id = $1 \
         AND serves_public AND path LIKE $2 ORDER BY name",
        tenant,
        format!("{scope}%")
    )?)
}

pub async fn set_serves_public(c: &mut Conn, tenant: i64, unit: i64, on: bool) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE units SET serves_public = $1 WHERE tenant_id = $2 AND id = $3",
        on,
        tenant,
        unit
    )?)
}

pub struct NewResponse<'a> {
    pub unit_id: i64,
    pub answered_on: &'a str,
    pub answers: [i64; 9],
    pub service: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub age: Option<i64>,
    pub education: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub device: &'a str,
    pub origin: &'a str,
}

/// Stores a response; `false` when this device already answered for the unit that day.
pub async fn insert_response(c: &mut Conn, tenant: i64, r: &NewResponse<'_>) -> Result<bool> {
    let a = r.answers;
    let n = execute!(
        c,
        "INSERT INTO survey_responses (tenant_id, unit_id, answered_on, u1, u2, u3, u4, u5, u6, \
         u7, u8, u9, service, gender, age, education, comment, device, origin, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20) ON CONFLICT (tenant_id, unit_id, answered_on, device) DO NOTHING",
        tenant,
        r.unit_id,
        r.answered_on,
        a[0],
        a[1],
        a[2],
        a[3],
        a[4],
        a[5],
        a[6],
        a[7],
        a[8],
        r.service,
        r.gender,
        r.age,
        r.education,
        r.comment,
        r.device,
        r.origin,
        now_ms()
    )?;
    Ok(n == 1)
}

/// Responses from one origin (address) for a unit on a day.
pub async fn from_origin(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    day: &str,
    origin: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM survey_responses WHERE tenant_id = $1 \
         AND unit_id = $2 AND answered_on = $3 AND origin = $4",
        tenant,
        unit,
        day,
        origin
    )?)
}

/// Respondents and answer sums per unit in `[from, to]`, for the units under `scope`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TallyRow {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub respondents: i64,
    pub s1: i64,
    pub s2: i64,
    pub s3: i64,
    pub s4: i64,
    pub s5: i64,
    pub s6: i64,
    pub s7: i64,
    pub s8: i64,
    pub s9: i64,
}

impl TallyRow {
    pub fn sums(&self) -> [i64; 9] {
        [
            self.s1, self.s2, self.s3, self.s4, self.s5, self.s6, self.s7, self.s8, self.s9,
        ]
    }
}

pub async fn tallies(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
) -> Result<Vec<TallyRow>> {
    Ok(fetch_all!(
        c,
        TallyRow,
        "SELECT u.id AS unit_id, u.code, u.name, CAST(COUNT(*) AS BIGINT) AS respondents, \
         CAST(SUM(r.u1) AS BIGINT) AS s1, CAST(SUM(r.u2) AS BIGINT) AS s2, \
         CAST(SUM(r.u3) AS BIGINT) AS s3, CAST(SUM(r.u4) AS BIGINT) AS s4, \
         CAST(SUM(r.u5) AS BIGINT) AS s5, CAST(SUM(r.u6) AS BIGINT) AS s6, \
         CAST(SUM(r.u7) AS BIGINT) AS s7, CAST(SUM(r.u8) AS BIGINT) AS s8, \
         CAST(SUM(r.u9) AS BIGINT) AS s9 \
         FROM survey_responses r JOIN units u ON u.tenant_id = r.tenant_id AND u.id = r.unit_id \
         WHERE r.tenant_id = $1 AND u.path LIKE $2 AND r.answered_on >= $3 \
         AND r.answered_on <= $4 GROUP BY u.id, u.code, u.name ORDER BY u.name",
        tenant,
        format!("{scope}%"),
        from,
        to
    )?)
}

/// (gender, age, education, service, how many gave it).
pub type ProfileRow = (
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
);

/// Who answered a unit's survey in `[from, to]`: one row per (gender, age, education,
/// service) with how many gave it (for the report's respondent profile).
pub async fn profile(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    from: &str,
    to: &str,
) -> Result<Vec<ProfileRow>> {
    Ok(fetch_all!(
        c,
        (
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            i64
        ),
        "SELECT gender, age, education, service, CAST(COUNT(*) AS BIGINT) \
         FROM survey_responses WHERE tenant_id = $1 AND unit_id = $2 \
         AND answered_on >= $3 AND answered_on <= $4 GROUP BY gender, age, education, service",
        tenant,
        unit,
        from,
        to
    )?)
}

/// The latest comments of a unit in `[from, to]` (newest first).
pub async fn comments(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    Ok(fetch_all!(
        c,
        (String, String),
        "SELECT answered_on, comment FROM survey_responses WHERE tenant_id = $1 AND unit_id = $2 \
         AND answered_on >= $3 AND answered_on <= $4 AND comment IS NOT NULL \
         ORDER BY answered_on DESC, id DESC LIMIT $5",
        tenant,
        unit,
        from,
        to,
        limit
    )?)
}

pub async fn population(c: &mut Conn, tenant: i64, unit: i64, period: &str) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT users FROM service_population WHERE tenant_id = $1 AND unit_id = $2 AND period = $3",
        tenant,
        unit,
        period
    )?
    .map(|r| r.0))
}

/// Service users of every unit in a period: (unit, users).
pub async fn populations(c: &mut Conn, tenant: i64, period: &str) -> Result<Vec<(i64, i64)>> {
    Ok(fetch_all!(
        c,
        (i64, i64),
        "SELECT unit_id, users FROM service_population WHERE tenant_id = $1 AND period = $2",
        tenant,
        period
    )?)
}

pub async fn set_population(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    period: &str,
    users: i64,
) -> Result<u64> {
    Ok(execute!(
        c,
        "INSERT INTO service_population (tenant_id, unit_id, period, users) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, unit_id, period) DO UPDATE SET users = excluded.users",
        tenant,
        unit,
        period,
        users
    )?)
}

// ---------------------------------------------------------------- complaints

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ComplaintRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub channel: String,
    #[sqlx(try_from = "String")]
    pub class: cakap_domain::skm::ComplaintClass,
    pub received_on: String,
    pub served_on: Option<String>,
    pub summary: String,
    pub reporter: Option<String>,
    pub reporter_contact: Option<String>,
    pub external_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::skm::ComplaintStatus,
    pub reason: Option<String>,
    pub verified_on: Option<String>,
    pub resolved_on: Option<String>,
    pub version: i64,
}

macro_rules! complaint_select {
    () => {
        "SELECT k.id, k.unit_id, u.code AS unit_code, u.name AS unit_name, \
    u.path AS unit_path, k.channel, k.class, k.received_on, k.served_on, k.summary, k.reporter, \
    k.reporter_contact, k.external_id, k.status, k.reason, k.verified_on, k.resolved_on, \
    k.version FROM complaints k JOIN units u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
    };
}

pub struct NewComplaint<'a> {
    pub unit_id: i64,
    pub channel: &'a str,
    pub class: cakap_domain::skm::ComplaintClass,
    pub received_on: &'a str,
    pub served_on: Option<&'a str>,
    pub summary: &'a str,
    pub reporter: Option<&'a str>,
    pub reporter_contact: Option<&'a str>,
    pub external_id: Option<&'a str>,
    pub created_by: &'a str,
}

pub async fn insert_complaint(c: &mut Conn, tenant: i64, k: &NewComplaint<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO complaints (tenant_id, unit_id, channel, class, received_on, summary, \
         reporter, reporter_contact, external_id, status, created_by, created_at, served_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'baru', $10, $11, $12) RETURNING id",
        tenant,
        k.unit_id,
        k.channel,
        k.class.as_str(),
        k.received_on,
        k.summary,
        k.reporter,
        k.reporter_contact,
        k.external_id,
        k.created_by,
        now_ms(),
        k.served_on
    )?)
}

pub async fn complaint(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<ComplaintRow>> {
    Ok(fetch_optional!(
        c,
        ComplaintRow,
        concat!(complaint_select!(), " WHERE k.tenant_id = $1 AND k.id = $2"),
        tenant,
        id
    )?)
}

/// A page of the complaints of the units under `scope` (optionally one unit), newest first,
/// how many there are and how many of them are overdue: new ones received on or before
/// `overdue.0`, verified or in-process ones whose verification (or receipt) date is on or
/// before `overdue.1` (`cakap_domain::skm::overdue_cutoffs`).
pub async fn complaints(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    unit: Option<i64>,
    overdue: (&str, &str),
    limit: i64,
    offset: i64,
) -> Result<(Vec<ComplaintRow>, i64, i64)> {
    let rows = fetch_all!(
        c,
        ComplaintRow,
        concat!(
            complaint_select!(),
            " WHERE k.tenant_id = $1 AND u.path LIKE $2 AND ($3 < 0 OR k.unit_id = $3) \
             ORDER BY k.received_on DESC, k.id DESC LIMIT $4 OFFSET $5"
        ),
        tenant,
        format!("{scope}%"),
        unit.unwrap_or(-1),
        limit,
        offset
    )?;
    let (total, late) = fetch_optional!(
        c,
        (i64, i64),
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE \
         WHEN k.status = 'baru' AND k.received_on <= $4 THEN 1 \
         WHEN k.status IN ('diverifikasi', 'diproses') \
         AND COALESCE(NULLIF(k.verified_on, ''), k.received_on) <= $5 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM complaints k JOIN units u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id \
         WHERE k.tenant_id = $1 AND u.path LIKE $2 AND ($3 < 0 OR k.unit_id = $3)",
        tenant,
        format!("{scope}%"),
        unit.unwrap_or(-1),
        overdue.0,
        overdue.1
    )?
    .unwrap_or_default();
    Ok((rows, total, late))
}

/// Moves a complaint on (optimistic: `false` when the version moved meanwhile).
#[allow(clippy::too_many_arguments)]
pub async fn set_complaint_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    version: i64,
    status: cakap_domain::skm::ComplaintStatus,
    reason: Option<&str>,
    verified_on: Option<&str>,
    resolved_on: Option<&str>,
) -> Result<bool> {
    let n = execute!(
        c,
        "UPDATE complaints SET status = $1, reason = COALESCE($2, reason), \
         verified_on = COALESCE($3, verified_on), resolved_on = COALESCE($4, resolved_on), \
         version = version + 1 WHERE tenant_id = $5 AND id = $6 AND version = $7",
        status.as_str(),
        reason,
        verified_on,
        resolved_on,
        tenant,
        id,
        version
    )?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct StepRow {
    pub at: i64,
    pub actor: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
}

pub async fn add_step(
    c: &mut Conn,
    tenant: i64,
    complaint: i64,
    actor: &str,
    from: Option<&str>,
    to: &str,
    reason: Option<&str>,
) -> Result<u64> {
    Ok(execute!(
        c,
        "INSERT INTO complaint_steps (tenant_id, complaint_id, at, actor, from_status, to_status, \
         reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        tenant,
        complaint,
        now_ms(),
        actor,
        from,
        to,
        reason
    )?)
}

pub async fn steps(c: &mut Conn, tenant: i64, complaint: i64) -> Result<Vec<StepRow>> {
    Ok(fetch_all!(
        c,
        StepRow,
        "SELECT at, actor, from_status, to_status, reason FROM complaint_steps \
         WHERE tenant_id = $1 AND complaint_id = $2 ORDER BY id",
        tenant,
        complaint
    )?)
}

/// Complaints and overdue ones per unit are computed from the rows by the service (the
/// deadlines count working days); this is the raw material, all of a period.
pub async fn complaints_between(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
) -> Result<Vec<ComplaintRow>> {
    Ok(fetch_all!(
        c,
        ComplaintRow,
        concat!(
            complaint_select!(),
            " WHERE k.tenant_id = $1 AND u.path LIKE $2 AND k.received_on >= $3 \
             AND k.received_on <= $4 ORDER BY k.received_on"
        ),
        tenant,
        format!("{scope}%"),
        from,
        to
    )?)
}

/// The SP4N-LAPOR! ticket numbers already recorded (for an idempotent import).
pub async fn tickets(c: &mut Conn, tenant: i64) -> Result<Vec<String>> {
    Ok(fetch_all!(
        c,
        (String,),
        "SELECT external_id FROM complaints WHERE tenant_id = $1 AND external_id IS NOT NULL",
        tenant
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}
