//! Employees (ASN): master data keyed by NIP within a tenant.

use serde::Serialize;

use crate::db::{Arg, Backend, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, like_escape, now_ms};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EmployeeRow {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub status: String,
    pub gender: String,
    pub birth_date: String,
    pub golongan: Option<String>,
    pub position_id: Option<i64>,
    pub position_name: Option<String>,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub version: i64,
}

const COLUMNS: &str = "e.id, e.nip, e.name, e.status, e.gender, e.birth_date, e.golongan, \
    e.position_id, p.name AS position_name, e.unit_id, u.code AS unit_code, u.name AS unit_name, \
    u.path AS unit_path, e.email, e.phone, e.active, e.version";
const JOINS: &str = "JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
    LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id";

/// What a list is narrowed to. Empty strings and zero mean "no filter".
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Path prefix of the unit subtree (`''` for the whole tenant).
    pub scope: String,
    /// Only this employee (the `asn` role's own record); 0 for any.
    pub only_id: i64,
    /// Free text: a name fragment or the start of a NIP.
    pub q: String,
}

/// One page of employees ordered by name, and the total that match.
///
/// Pages the narrow index first and joins only the page's rows (docs/architecture.md#fast-pages: ~3× faster than
/// joining every skipped row). The outer query sorts by the page's own columns: sorting by
/// `e.name` let SQLite 3.5x drive the outer loop from the name index and re-run the paged
/// subquery once per employee (seconds per filtered page). Only the filters in use go into
/// the SQL, so each variant gets a plan of its own.
pub async fn page(
    c: &mut Conn,
    tenant: i64,
    f: &Filter,
    limit: i64,
    offset: i64,
    known_total: Option<i64>,
) -> Result<(Vec<EmployeeRow>, i64)> {
    let backend = c.backend();
    let filter = |select: &str| {
        let mut d = Dynamic::new(select);
        d.push(
            " FROM employees e WHERE e.tenant_id = ?",
            [Arg::I64(tenant)],
        );
        if !f.scope.is_empty() {
            d.push(
                " AND e.unit_id IN (SELECT id FROM units WHERE tenant_id = ? AND path LIKE ?)",
                [
                    Arg::I64(tenant),
                    Arg::Text(format!("{}%", like_escape(&f.scope))),
                ],
            );
        }
        if f.only_id != 0 {
            d.push(" AND e.id = ?", [Arg::I64(f.only_id)]);
        }
        let q = f.q.trim().to_lowercase();
        if !q.is_empty() {
            d.push(
                match backend {
                    // SQLite's LIKE already ignores ASCII case; lower() per row doubled the cost.
                    Backend::Sqlite => {
                        " AND (e.name LIKE ? ESCAPE '\\' OR e.nip LIKE ? ESCAPE '\\')"
                    }
                    Backend::Postgres => {
                        " AND (e.name ILIKE ? ESCAPE '\\' OR e.nip LIKE ? ESCAPE '\\')"
                    }
                },
                [
                    Arg::Text(format!("%{}%", like_escape(&q))),
                    Arg::Text(format!("{}%", like_escape(&q.replace(' ', "")))),
                ],
            );
        }
        d
    };
    let mut rows = filter("SELECT e.id, e.name AS sort_name");
    rows.sql = format!("SELECT {COLUMNS} FROM ({}", rows.sql);
    rows.push(
        " ORDER BY e.name, e.id LIMIT ? OFFSET ?) pg",
        [Arg::I64(limit), Arg::I64(offset)],
    );
    rows.push(
        " JOIN employees e ON e.tenant_id = ? AND e.id = pg.id",
        [Arg::I64(tenant)],
    );
    rows.sql
        .push_str(&format!(" {JOINS} ORDER BY pg.sort_name, pg.id"));
    let rows = rows.fetch_all::<EmployeeRow>(c).await?;
    let total = match known_total {
        Some(n) => n,
        None => filter("SELECT COUNT(*)").fetch_i64(c).await?,
    };
    Ok((rows, total))
}

pub async fn by_nip(c: &mut Conn, tenant: i64, nip: &str) -> Result<Option<EmployeeRow>> {
    Ok(fetch_optional!(
        c,
        EmployeeRow,
        sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM employees e {JOINS} WHERE e.tenant_id = $1 AND e.nip = $2"
        )),
        tenant,
        nip
    )?)
}

/// The active employee with this e-mail address (compared without case), when exactly one has it.
pub async fn id_by_email(c: &mut Conn, tenant: i64, email: &str) -> Result<Option<i64>> {
    let rows = fetch_all!(
        c,
        (i64,),
        "SELECT id FROM employees WHERE tenant_id = $1 AND LOWER(email) = LOWER($2) AND active LIMIT 2",
        tenant,
        email
    )?;
    Ok(match rows.as_slice() {
        [(id,)] => Some(*id),
        _ => None,
    })
}

pub async fn by_id(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<EmployeeRow>> {
    Ok(fetch_optional!(
        c,
        EmployeeRow,
        sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM employees e {JOINS} WHERE e.tenant_id = $1 AND e.id = $2"
        )),
        tenant,
        id
    )?)
}

/// Checked values, ready to store.
pub struct EmployeeData<'a> {
    pub nip: &'a str,
    pub name: &'a str,
    pub status: &'a str,
    pub gender: &'a str,
    pub birth_date: &'a str,
    pub golongan: Option<&'a str>,
    pub position_id: Option<i64>,
    pub unit_id: i64,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub active: bool,
}

pub async fn insert(c: &mut Conn, tenant: i64, e: &EmployeeData<'_>) -> Result<i64> {
    let now = now_ms();
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO employees (tenant_id, nip, name, status, gender, birth_date, golongan, \
         position_id, unit_id, email, phone, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        tenant,
        e.nip,
        e.name,
        e.status,
        e.gender,
        e.birth_date,
        e.golongan,
        e.position_id,
        e.unit_id,
        e.email,
        e.phone,
        e.active,
        now
    )?)
}

/// Returns false when `version` no longer matches. The NIP-derived fields never change.
pub async fn update(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    version: i64,
    e: &EmployeeData<'_>,
) -> Result<bool> {
    let n = execute!(
        c,
        "UPDATE employees SET name = $1, status = $2, golongan = $3, position_id = $4, \
         unit_id = $5, email = $6, phone = $7, active = $8, updated_at = $9, \
         version = version + 1 WHERE tenant_id = $10 AND id = $11 AND version = $12",
        e.name,
        e.status,
        e.golongan,
        e.position_id,
        e.unit_id,
        e.email,
        e.phone,
        e.active,
        now_ms(),
        tenant,
        id,
        version
    )?;
    Ok(n == 1)
}

pub async fn count(c: &mut Conn, tenant: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM employees WHERE tenant_id = $1",
        tenant
    )?)
}

/// Active employees counted by unit, status, gender and golongan (a few hundred rows for a
/// regency), for the overview charts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountRow {
    pub unit_path: String,
    pub kecamatan: Option<String>,
    pub status: String,
    pub gender: String,
    pub golongan: Option<String>,
    pub n: i64,
}

pub async fn counts(c: &mut Conn, tenant: i64, scope: &str, only_id: i64) -> Result<Vec<CountRow>> {
    Ok(fetch_all!(
        c,
        CountRow,
        "SELECT u.path AS unit_path, u.kecamatan, e.status, e.gender, e.golongan, COUNT(*) AS n \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE e.tenant_id = $1 AND u.path LIKE $2 AND ($3 = 0 OR e.id = $3) AND e.active = TRUE \
         GROUP BY u.path, u.kecamatan, e.status, e.gender, e.golongan",
        tenant,
        format!("{scope}%"),
        only_id
    )?)
}

/// Where each active employee of units under `scope` sits: the gap engine's input.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Placement {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub position_id: Option<i64>,
    pub unit_path: String,
    pub unit_name: String,
    pub golongan: Option<String>,
    /// The kind of the position held, if any.
    pub position_kind: Option<String>,
}

pub async fn placements(c: &mut Conn, tenant: i64, scope: &str) -> Result<Vec<Placement>> {
    Ok(fetch_all!(
        c,
        Placement,
        "SELECT e.id, e.nip, e.name, e.position_id, u.path AS unit_path, u.name AS unit_name, \
         e.golongan, p.kind AS position_kind FROM employees e \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 ORDER BY e.name, e.id",
        tenant,
        format!("{scope}%")
    )?)
}

/// Every NIP of the tenant with its id and version (imports decide create or update).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NipRow {
    pub id: i64,
    pub nip: String,
    pub version: i64,
}

pub async fn nips(c: &mut Conn, tenant: i64) -> Result<Vec<NipRow>> {
    Ok(fetch_all!(
        c,
        NipRow,
        "SELECT id, nip, version FROM employees WHERE tenant_id = $1",
        tenant
    )?)
}

/// Gives an employee a phone number when they have none (the demo's `asn` login, whom a
/// call-out must reach).
pub async fn set_phone_if_missing(c: &mut Conn, tenant: i64, id: i64, phone: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE employees SET phone = $1 WHERE tenant_id = $2 AND id = $3 AND phone IS NULL",
        phone,
        tenant,
        id
    )?)
}
