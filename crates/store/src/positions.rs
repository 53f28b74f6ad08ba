//! Positions (jabatan) within units.

use serde::Serialize;

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_optional, fetch_scalar};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PositionRow {
    pub id: i64,
    pub name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub kind: String,
    pub jenjang: Option<String>,
    pub kelas: Option<i64>,
    pub version: i64,
}

const COLUMNS: &str = "p.id, p.name, p.unit_id, u.code AS unit_code, u.name AS unit_name, \
    u.path AS unit_path, p.kind, p.jenjang, p.kelas, p.version";
const SELECT: &str = "SELECT p.id, p.name, p.unit_id, u.code AS unit_code, u.name AS unit_name, \
    u.path AS unit_path, p.kind, p.jenjang, p.kelas, p.version FROM positions p \
    JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id";

/// A page of positions in units under `scope` ('' for all), optionally in one unit only, in
/// tree order; and how many there are.
pub async fn list(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    unit: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PositionRow>, i64)> {
    let filter = |select: &str| {
        let mut d = Dynamic::new(select);
        d.push(
            " FROM positions p JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id \
             WHERE p.tenant_id = ?",
            [Arg::I64(tenant)],
        );
        if !scope.is_empty() {
            d.push(" AND u.path LIKE ?", [Arg::Text(format!("{scope}%"))]);
        }
        if let Some(unit) = unit {
            d.push(" AND p.unit_id = ?", [Arg::I64(unit)]);
        }
        d
    };
    let mut rows = filter(&format!("SELECT {COLUMNS}"));
    rows.push(
        " ORDER BY u.path, p.kelas DESC, p.name, p.id LIMIT ? OFFSET ?",
        [Arg::I64(limit), Arg::I64(offset)],
    );
    let rows = rows.fetch_all::<PositionRow>(c).await?;
    let total = filter("SELECT COUNT(*)").fetch_i64(c).await?;
    Ok((rows, total))
}

pub async fn by_id(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<PositionRow>> {
    Ok(fetch_optional!(
        c,
        PositionRow,
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.tenant_id = $1 AND p.id = $2")),
        tenant,
        id
    )?)
}

pub async fn by_unit_and_name(
    c: &mut Conn,
    tenant: i64,
    unit: i64,
    name: &str,
) -> Result<Option<PositionRow>> {
    Ok(fetch_optional!(
        c,
        PositionRow,
        sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE p.tenant_id = $1 AND p.unit_id = $2 AND lower(p.name) = lower($3)"
        )),
        tenant,
        unit,
        name
    )?)
}

pub struct PositionData<'a> {
    pub unit_id: i64,
    pub name: &'a str,
    pub kind: &'a str,
    pub jenjang: Option<&'a str>,
    pub kelas: Option<i64>,
}

pub async fn insert(c: &mut Conn, tenant: i64, p: &PositionData<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO positions (tenant_id, unit_id, name, kind, jenjang, kelas) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        tenant,
        p.unit_id,
        p.name,
        p.kind,
        p.jenjang,
        p.kelas
    )?)
}

/// Returns false when `version` no longer matches.
pub async fn update(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    version: i64,
    p: &PositionData<'_>,
) -> Result<bool> {
    let n = execute!(
        c,
        "UPDATE positions SET unit_id = $1, name = $2, kind = $3, jenjang = $4, kelas = $5, \
         version = version + 1 WHERE tenant_id = $6 AND id = $7 AND version = $8",
        p.unit_id,
        p.name,
        p.kind,
        p.jenjang,
        p.kelas,
        tenant,
        id,
        version
    )?;
    Ok(n == 1)
}

/// How many employees hold a position.
pub async fn holders(c: &mut Conn, tenant: i64, id: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM employees WHERE tenant_id = $1 AND position_id = $2",
        tenant,
        id
    )?)
}
