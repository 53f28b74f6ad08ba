//! Points, badges, leaderboard opt-outs, the disciplinary list and the incentive rules
//! (docs/domain.md#points, #recognition).

use crate::{Conn, Result, execute, fetch_all, fetch_optional, now_ms};

/// The JSON body of the tenant's `kind` rule (`points` or `nomination`), if set.
pub async fn rule(c: &mut Conn, tenant: i64, kind: &str) -> Result<Option<(String, String, i64)>> {
    Ok(fetch_optional!(
        c,
        (String, String, i64),
        "SELECT body, updated_by, updated_at FROM incentive_rules WHERE tenant_id = $1 AND kind = $2",
        tenant,
        kind
    )?)
}

pub async fn set_rule(c: &mut Conn, tenant: i64, kind: &str, body: &str, by: &str) -> Result<()> {
    execute!(
        c,
        "INSERT INTO incentive_rules (tenant_id, kind, body, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, kind) DO UPDATE SET \
         body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        tenant,
        kind,
        body,
        by,
        now_ms()
    )?;
    Ok(())
}

/// An active employee with what earns points in a year (acknowledgements apart: whether one
/// was on time is decided in Rust, see [`acknowledgements`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Earner {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub jp: i64,
    pub certificates: i64,
    pub drills: i64,
}

/// Everyone active under `scope` ('' for all) with JP, certificates (by completion date, not
/// revoked) and drills between `from` and `to`.
pub async fn earners(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Earner>> {
    Ok(fetch_all!(
        c,
        Earner,
        concat!(
            "SELECT e.id AS employee_id, e.nip, e.name, u.code AS unit_code, u.name AS unit_name, \
             u.path AS unit_path, CAST(COALESCE(j.jp, 0) AS BIGINT) AS jp, \
             CAST(COALESCE(k.n, 0) AS BIGINT) AS certificates, \
             CAST(COALESCE(d.n, 0) AS BIGINT) AS drills \
             FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
             LEFT JOIN ",
            crate::jp_of_period!(),
            " j ON j.employee_id = e.id \
             LEFT JOIN (SELECT ce.employee_id, COUNT(*) AS n FROM certificates ce \
               JOIN enrollments en ON en.tenant_id = ce.tenant_id AND en.id = ce.enrollment_id \
               WHERE ce.tenant_id = $1 AND ce.revoked_at IS NULL \
                 AND en.completed_on >= $3 AND en.completed_on <= $4 \
               GROUP BY ce.employee_id) k ON k.employee_id = e.id \
             LEFT JOIN (SELECT dp.employee_id, COUNT(*) AS n FROM drill_participants dp \
               JOIN drills dr ON dr.tenant_id = dp.tenant_id AND dr.id = dp.drill_id \
               WHERE dp.tenant_id = $1 AND dr.held_on >= $3 AND dr.held_on <= $4 \
               GROUP BY dp.employee_id) d ON d.employee_id = e.id \
             WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 ORDER BY e.id"
        ),
        tenant,
        format!("{scope}%"),
        from,
        to
    )?)
}

/// An acknowledgement made between two instants, with its campaign's due date.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Acknowledgement {
    pub employee_id: i64,
    pub campaign_id: i64,
    pub at: i64,
    pub due_on: String,
    pub title: String,
}

/// The acknowledgements of campaigns' current versions, as a query with its filter.
macro_rules! acknowledgements_where {
    ($filter:literal) => {
        concat!(
            "SELECT a.employee_id, a.campaign_id, MIN(a.at) AS at, k.due_on, \
               r.jenis || ' ' || r.nomor || '/' || CAST(r.tahun AS TEXT) || ' ' || r.judul AS title \
             FROM acknowledgements a \
             JOIN campaigns k ON k.tenant_id = a.tenant_id AND k.id = a.campaign_id \
             JOIN regulations r ON r.tenant_id = k.tenant_id AND r.id = k.regulation_id \
             WHERE a.tenant_id = $1 AND a.at >= $2 AND a.at < $3 AND a.version = k.version ",
            $filter,
            " GROUP BY a.employee_id, a.campaign_id, k.due_on, r.jenis, r.nomor, r.tahun, r.judul \
             ORDER BY at"
        )
    };
}

/// Acknowledgements of a campaign's current version made in `[from_ms, to_ms)`, everyone's:
/// the due date a campaign holds is its current version's, so only that version's
/// acknowledgements can be judged against it (docs/domain.md#points).
pub async fn acknowledgements(
    c: &mut Conn,
    tenant: i64,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Acknowledgement>> {
    Ok(fetch_all!(
        c,
        Acknowledgement,
        acknowledgements_where!(""),
        tenant,
        from_ms,
        to_ms
    )?)
}

/// [`acknowledgements`] of one employee.
pub async fn acknowledgements_of(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Acknowledgement>> {
    Ok(fetch_all!(
        c,
        Acknowledgement,
        acknowledgements_where!("AND a.employee_id = $4"),
        tenant,
        from_ms,
        to_ms,
        employee
    )?)
}

/// A line of one employee's points that is not JP: a certificate or a drill.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Line {
    /// `certificate` or `drill`.
    pub source: String,
    pub reference: String,
    pub title: String,
    pub on_date: String,
}

pub async fn certificate_and_drill_lines(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    from: &str,
    to: &str,
) -> Result<Vec<Line>> {
    Ok(fetch_all!(
        c,
        Line,
        "SELECT 'certificate' AS source, ce.code AS reference, co.title, en.completed_on AS on_date \
         FROM certificates ce \
         JOIN enrollments en ON en.tenant_id = ce.tenant_id AND en.id = ce.enrollment_id \
         JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
         JOIN courses co ON co.tenant_id = o.tenant_id AND co.id = o.course_id \
         WHERE ce.tenant_id = $1 AND ce.employee_id = $2 AND ce.revoked_at IS NULL \
           AND en.completed_on >= $3 AND en.completed_on <= $4 \
         UNION ALL \
         SELECT 'drill' AS source, CAST(dr.id AS TEXT) AS reference, dr.title, dr.held_on AS on_date \
         FROM drill_participants dp JOIN drills dr ON dr.tenant_id = dp.tenant_id AND dr.id = dp.drill_id \
         WHERE dp.tenant_id = $1 AND dp.employee_id = $2 AND dr.held_on >= $3 AND dr.held_on <= $4 \
         ORDER BY on_date DESC",
        tenant,
        employee,
        from,
        to
    )?)
}

pub async fn set_optout(c: &mut Conn, tenant: i64, employee: i64, out: bool) -> Result<bool> {
    let n = if out {
        execute!(
            c,
            "INSERT INTO leaderboard_optouts (tenant_id, employee_id, at) VALUES ($1, $2, $3) \
             ON CONFLICT (tenant_id, employee_id) DO NOTHING",
            tenant,
            employee,
            now_ms()
        )?
    } else {
        execute!(
            c,
            "DELETE FROM leaderboard_optouts WHERE tenant_id = $1 AND employee_id = $2",
            tenant,
            employee
        )?
    };
    Ok(n > 0)
}

/// Who keeps out of the leaderboards (a few: read per request, so an opt-out clears no cache).
pub async fn optouts(c: &mut Conn, tenant: i64) -> Result<Vec<i64>> {
    Ok(fetch_all!(
        c,
        (i64,),
        "SELECT employee_id FROM leaderboard_optouts WHERE tenant_id = $1",
        tenant
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

/// A badge as stored, with the published key that signed it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BadgeRow {
    pub tenant_id: i64,
    pub id: String,
    pub employee_id: i64,
    pub year: i64,
    pub level: String,
    pub points: i64,
    pub credential: String,
    pub kid: String,
    pub issued_at: i64,
    pub public_key: Option<String>,
}

/// A badge by its public id, in any tenant (the public check).
pub async fn badge(c: &mut Conn, id: &str) -> Result<Option<BadgeRow>> {
    Ok(fetch_optional!(
        c,
        BadgeRow,
        concat!(
            "SELECT b.tenant_id, b.id, b.employee_id, b.year, b.level, b.points, \
             b.credential, b.kid, b.issued_at, k.public_key FROM badges b \
             LEFT JOIN signing_keys k ON k.tenant_id = b.tenant_id AND k.kid = b.kid ",
            "WHERE b.id = $1"
        ),
        id
    )?)
}

/// One employee's badges, newest year and highest level first.
pub async fn badges_of(c: &mut Conn, tenant: i64, employee: i64) -> Result<Vec<BadgeRow>> {
    Ok(fetch_all!(
        c,
        BadgeRow,
        concat!(
            "SELECT b.tenant_id, b.id, b.employee_id, b.year, b.level, b.points, \
             b.credential, b.kid, b.issued_at, k.public_key FROM badges b \
             LEFT JOIN signing_keys k ON k.tenant_id = b.tenant_id AND k.kid = b.kid ",
            "WHERE b.tenant_id = $1 AND b.employee_id = $2 ORDER BY b.year DESC, b.issued_at DESC"
        ),
        tenant,
        employee
    )?)
}

/// What a list of someone's badges shows, without the signed credential.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BadgeHead {
    pub id: String,
    pub year: i64,
    pub level: String,
    pub points: i64,
    pub issued_at: i64,
}

/// [`badges_of`] without the credentials, in the same order.
pub async fn badge_heads(c: &mut Conn, tenant: i64, employee: i64) -> Result<Vec<BadgeHead>> {
    Ok(fetch_all!(
        c,
        BadgeHead,
        "SELECT id, year, level, points, issued_at FROM badges \
         WHERE tenant_id = $1 AND employee_id = $2 ORDER BY year DESC, issued_at DESC",
        tenant,
        employee
    )?)
}

/// (employee, level) of every badge of a year.
pub async fn issued(c: &mut Conn, tenant: i64, year: i64) -> Result<Vec<(i64, String)>> {
    Ok(fetch_all!(
        c,
        (i64, String),
        "SELECT employee_id, level FROM badges WHERE tenant_id = $1 AND year = $2",
        tenant,
        year
    )?)
}

pub struct NewBadge<'a> {
    pub id: &'a str,
    pub employee_id: i64,
    pub year: i64,
    pub level: &'a str,
    pub points: i64,
    pub credential: &'a str,
    pub kid: &'a str,
}

/// Stores a badge unless that person already has that level for that year (another server
/// got there first); whether it was stored.
pub async fn insert_badge(c: &mut Conn, tenant: i64, b: &NewBadge<'_>) -> Result<bool> {
    Ok(execute!(
        c,
        "INSERT INTO badges (tenant_id, id, employee_id, year, level, points, credential, kid, \
         issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (tenant_id, employee_id, year, level) DO NOTHING",
        tenant,
        b.id,
        b.employee_id,
        b.year,
        b.level,
        b.points,
        b.credential,
        b.kid,
        now_ms()
    )? > 0)
}

/// Records an entry of the disciplinary list, replacing one of the same kind and start.
pub async fn upsert_record(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    kind: &str,
    start_on: &str,
    end_on: Option<&str>,
    note: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO discipline_records (tenant_id, employee_id, kind, start_on, end_on, note, \
         imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id, employee_id, kind, start_on) DO UPDATE SET \
         end_on = excluded.end_on, note = excluded.note, imported_at = excluded.imported_at",
        tenant,
        employee,
        kind,
        start_on,
        end_on,
        note,
        now_ms()
    )?;
    Ok(())
}

/// (employee, kind, start, end) of every entry of the list that started by `until`.
pub async fn records(
    c: &mut Conn,
    tenant: i64,
    until: &str,
) -> Result<Vec<(i64, String, String, Option<String>)>> {
    Ok(fetch_all!(
        c,
        (i64, String, String, Option<String>),
        "SELECT employee_id, kind, start_on, end_on FROM discipline_records WHERE tenant_id = $1 \
         AND start_on <= $2 ORDER BY employee_id, start_on",
        tenant,
        until
    )?)
}

/// An active employee under a scope, for the recognition lists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub unit_path: String,
    pub status: String,
}

pub async fn people(c: &mut Conn, tenant: i64, scope: &str) -> Result<Vec<Person>> {
    Ok(fetch_all!(
        c,
        Person,
        "SELECT e.id AS employee_id, e.nip, e.name, u.name AS unit_name, u.path AS unit_path, \
         e.status FROM employees e \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 ORDER BY e.name, e.id",
        tenant,
        format!("{scope}%")
    )?)
}
