//! The unit tree (OPD and sub-units). `path` holds the ids from the root, so a subtree is
//! one `LIKE` on an index.

use serde::Serialize;

use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    pub kecamatan: Option<String>,
    pub path: String,
    pub version: i64,
    /// Whether its public-service survey is open (the unit serves the public).
    pub serves_public: bool,
}

const SELECT: &str = "SELECT u.id, u.code, u.name, u.parent_id, p.code AS parent_code, \
    u.kecamatan, u.path, u.version, u.serves_public FROM units u LEFT JOIN units p \
    ON p.tenant_id = u.tenant_id AND p.id = u.parent_id";

/// Units whose path starts with `scope` ('' for all), in tree order.
pub async fn list(c: &mut Conn, tenant: i64, scope: &str) -> Result<Vec<UnitRow>> {
    Ok(fetch_all!(
        c,
        UnitRow,
        sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE u.tenant_id = $1 AND u.path LIKE $2 ORDER BY u.path"
        )),
        tenant,
        format!("{scope}%")
    )?)
}

pub async fn by_code(c: &mut Conn, tenant: i64, code: &str) -> Result<Option<UnitRow>> {
    Ok(fetch_optional!(
        c,
        UnitRow,
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE u.tenant_id = $1 AND u.code = $2")),
        tenant,
        code
    )?)
}

pub async fn by_id(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<UnitRow>> {
    Ok(fetch_optional!(
        c,
        UnitRow,
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE u.tenant_id = $1 AND u.id = $2")),
        tenant,
        id
    )?)
}

pub struct NewUnit<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub parent: Option<(i64, &'a str)>,
    pub kecamatan: Option<&'a str>,
}

/// Inserts a unit under `parent` (id, path); returns its id. Run inside a transaction.
pub async fn insert(c: &mut Conn, tenant: i64, u: &NewUnit<'_>) -> Result<i64> {
    let id = fetch_scalar!(
        c,
        i64,
        "INSERT INTO units (tenant_id, code, name, parent_id, kecamatan, path) \
         VALUES ($1, $2, $3, $4, $5, '') RETURNING id",
        tenant,
        u.code,
        u.name,
        u.parent.map(|p| p.0),
        u.kecamatan
    )?;
    let path = format!("{}{id}/", u.parent.map_or("/", |p| p.1));
    execute!(
        c,
        "UPDATE units SET path = $1 WHERE tenant_id = $2 AND id = $3",
        path,
        tenant,
        id
    )?;
    Ok(id)
}

pub struct UnitUpdate<'a> {
    pub name: &'a str,
    pub parent: Option<(i64, &'a str)>,
    pub kecamatan: Option<&'a str>,
}

/// Updates a unit and, when its parent changes, the paths of its whole subtree.
/// Returns false when `version` no longer matches (someone else saved first).
pub async fn update(
    c: &mut Conn,
    tenant: i64,
    current: &UnitRow,
    version: i64,
    u: &UnitUpdate<'_>,
) -> Result<bool> {
    let changed = execute!(
        c,
        "UPDATE units SET name = $1, parent_id = $2, kecamatan = $3, version = version + 1 \
         WHERE tenant_id = $4 AND id = $5 AND version = $6",
        u.name,
        u.parent.map(|p| p.0),
        u.kecamatan,
        tenant,
        current.id,
        version
    )?;
    if changed == 0 {
        return Ok(false);
    }
    let new_path = format!("{}{}/", u.parent.map_or("/", |p| p.1), current.id);
    if new_path != current.path {
        execute!(
            c,
            "UPDATE units SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE tenant_id = $3 AND path LIKE $4",
            new_path,
            current.path.len() as i64 + 1,
            tenant,
            format!("{}%", current.path)
        )?;
    }
    Ok(true)
}

/// Deletes a unit; a unit still referenced fails with `StoreError::Reference`.
pub async fn delete(c: &mut Conn, tenant: i64, id: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "DELETE FROM units WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?)
}

/// How many children, positions and employees hang on a unit.
pub async fn dependents(c: &mut Conn, tenant: i64, id: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT (SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND parent_id = $2) \
          + (SELECT COUNT(*) FROM positions WHERE tenant_id = $1 AND unit_id = $2) \
          + (SELECT COUNT(*) FROM employees WHERE tenant_id = $1 AND unit_id = $2)",
        tenant,
        id
    )?)
}
