//! The competency dictionary.

use serde::Serialize;

use crate::{Conn, Result, fetch_all, fetch_scalar};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CompetencyRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub crisis: bool,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub level4: String,
    pub level5: String,
    pub active: bool,
    pub version: i64,
}

/// Active competencies: managerial in regulation order, then sosial kultural, then teknis.
pub async fn list(c: &mut Conn, tenant: i64) -> Result<Vec<CompetencyRow>> {
    Ok(fetch_all!(
        c,
        CompetencyRow,
        "SELECT id, code, name, kind, crisis, level1, level2, level3, level4, level5, active, \
         version FROM competencies WHERE tenant_id = $1 ORDER BY position, code",
        tenant
    )?)
}

/// (code, name) of the active competencies, in dictionary order: what a form's select needs,
/// without the five descriptors.
pub async fn active_names(c: &mut Conn, tenant: i64) -> Result<Vec<(String, String)>> {
    Ok(fetch_all!(
        c,
        (String, String),
        "SELECT code, name FROM competencies WHERE tenant_id = $1 AND active = TRUE \
         ORDER BY position, code",
        tenant
    )?)
}

pub struct NewCompetency<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub crisis: bool,
    pub descriptors: [&'a str; 5],
    pub position: i64,
}

pub async fn insert(c: &mut Conn, tenant: i64, k: &NewCompetency<'_>) -> Result<i64> {
    let [d1, d2, d3, d4, d5] = k.descriptors;
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO competencies (tenant_id, code, name, kind, crisis, level1, level2, level3, \
         level4, level5, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
        tenant,
        k.code,
        k.name,
        k.kind,
        k.crisis,
        d1,
        d2,
        d3,
        d4,
        d5,
        k.position
    )?)
}

pub async fn by_code(c: &mut Conn, tenant: i64, code: &str) -> Result<Option<CompetencyRow>> {
    Ok(crate::fetch_optional!(
        c,
        CompetencyRow,
        "SELECT id, code, name, kind, crisis, level1, level2, level3, level4, level5, active, \
         version FROM competencies WHERE tenant_id = $1 AND code = $2",
        tenant,
        code
    )?)
}

pub struct CompetencyData<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub crisis: bool,
    pub descriptors: [&'a str; 5],
    pub active: bool,
}

/// Keeps the current version in the history, then overwrites it as version + 1. Returns
/// false when `version` is stale.
pub async fn update(
    c: &mut Conn,
    tenant: i64,
    current: &CompetencyRow,
    version: i64,
    k: &CompetencyData<'_>,
    by: &str,
) -> Result<bool> {
    if current.version != version {
        return Ok(false);
    }
    crate::execute!(
        c,
        "INSERT INTO competency_versions (tenant_id, competency_id, version, code, name, kind, \
         crisis, level1, level2, level3, level4, level5, active, replaced_at, replaced_by) \
         SELECT tenant_id, id, version, code, name, kind, crisis, level1, level2, level3, level4, \
         level5, active, $3, $4 FROM competencies WHERE tenant_id = $1 AND id = $2",
        tenant,
        current.id,
        crate::now_ms(),
        by
    )?;
    let [d1, d2, d3, d4, d5] = k.descriptors;
    let n = crate::execute!(
        c,
        "UPDATE competencies SET name = $1, kind = $2, crisis = $3, level1 = $4, level2 = $5, \
         level3 = $6, level4 = $7, level5 = $8, active = $9, version = version + 1 \
         WHERE tenant_id = $10 AND id = $11 AND version = $12",
        k.name,
        k.kind,
        k.crisis,
        d1,
        d2,
        d3,
        d4,
        d5,
        k.active,
        tenant,
        current.id,
        version
    )?;
    Ok(n == 1)
}

pub async fn versions(c: &mut Conn, tenant: i64, id: i64) -> Result<i64> {
    Ok(crate::fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM competency_versions WHERE tenant_id = $1 AND competency_id = $2",
        tenant,
        id
    )?)
}
