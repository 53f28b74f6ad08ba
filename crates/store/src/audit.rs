//! The append-only audit log. There is no update or delete here, and triggers refuse both.

use serde::Serialize;

use crate::{Conn, Result, execute, fetch_all, fetch_scalar, now_ms};

pub struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<&'a str>,
}

pub async fn record(c: &mut Conn, tenant: i64, e: &Entry<'_>) -> Result<()> {
    execute!(
        c,
        "INSERT INTO audit_log (tenant_id, at, actor, action, entity, entity_id, before_json, \
         after_json, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        tenant,
        now_ms(),
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.before.as_deref(),
        e.after.as_deref(),
        e.request_id
    )?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: Option<String>,
}

/// Newest first; `entity`/`actor` empty means any.
pub async fn list(
    c: &mut Conn,
    tenant: i64,
    entity: &str,
    actor: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64)> {
    let rows = fetch_all!(
        c,
        AuditRow,
        "SELECT id, at, actor, action, entity, entity_id, before_json, after_json, request_id \
         FROM audit_log WHERE tenant_id = $1 AND ($2 = '' OR entity = $2) \
         AND ($3 = '' OR actor = $3) ORDER BY id DESC LIMIT $4 OFFSET $5",
        tenant,
        entity,
        actor,
        limit,
        offset
    )?;
    let total = fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1 AND ($2 = '' OR entity = $2) \
         AND ($3 = '' OR actor = $3)",
        tenant,
        entity,
        actor
    )?;
    Ok((rows, total))
}
