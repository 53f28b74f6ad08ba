//! Position standards: the level each position requires per competency.

use serde::Serialize;

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RequirementRow {
    pub position_id: i64,
    pub competency_id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub crisis: bool,
    pub level: i64,
}

const SELECT: &str = "SELECT r.position_id, r.competency_id, k.code, k.name, k.kind, k.crisis, \
    r.level FROM position_requirements r JOIN competencies k \
    ON k.tenant_id = r.tenant_id AND k.id = r.competency_id";

pub async fn of_position(c: &mut Conn, tenant: i64, position: i64) -> Result<Vec<RequirementRow>> {
    Ok(fetch_all!(
        c,
        RequirementRow,
        sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.tenant_id = $1 AND r.position_id = $2 ORDER BY k.position, k.code"
        )),
        tenant,
        position
    )?)
}

/// Requirements of every position in units under `scope` ('' for all).
pub async fn in_scope(c: &mut Conn, tenant: i64, scope: &str) -> Result<Vec<RequirementRow>> {
    let mut d = Dynamic::new(SELECT);
    d.push(" WHERE r.tenant_id = ?", [Arg::I64(tenant)]);
    if !scope.is_empty() {
        d.push(
            " AND r.position_id IN (SELECT p.id FROM positions p JOIN units u \
             ON u.tenant_id = p.tenant_id AND u.id = p.unit_id WHERE p.tenant_id = ? \
             AND u.path LIKE ?)",
            [Arg::I64(tenant), Arg::Text(format!("{scope}%"))],
        );
    }
    d.sql
        .push_str(" ORDER BY r.position_id, k.position, k.code");
    d.fetch_all(c).await
}

/// Replaces the whole set of a position (inside the caller's transaction).
pub async fn replace(c: &mut Conn, tenant: i64, position: i64, set: &[(i64, i64)]) -> Result<()> {
    execute!(
        c,
        "DELETE FROM position_requirements WHERE tenant_id = $1 AND position_id = $2",
        tenant,
        position
    )?;
    insert_many(
        c,
        tenant,
        &set.iter()
            .map(|(k, l)| (position, *k, *l))
            .collect::<Vec<_>>(),
    )
    .await
}

/// Inserts (position, competency, level) rows, many per statement.
pub async fn insert_many(c: &mut Conn, tenant: i64, rows: &[(i64, i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(500) {
        let mut d = Dynamic::new(
            "INSERT INTO position_requirements (tenant_id, position_id, competency_id, level) VALUES ",
        );
        for (i, (p, k, l)) in chunk.iter().enumerate() {
            if i > 0 {
                d.sql.push_str(", ");
            }
            d.push(
                "(?, ?, ?, ?)",
                [Arg::I64(tenant), Arg::I64(*p), Arg::I64(*k), Arg::I64(*l)],
            );
        }
        d.execute(c).await?;
    }
    Ok(())
}

/// Sets one required level, adding the competency to the standard when it is new.
pub async fn upsert(
    c: &mut Conn,
    tenant: i64,
    position: i64,
    competency: i64,
    level: i64,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO position_requirements (tenant_id, position_id, competency_id, level) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, position_id, competency_id) \
         DO UPDATE SET level = excluded.level",
        tenant,
        position,
        competency,
        level
    )?;
    Ok(())
}
