//! The audit trail: every change records who, when, what, before and after, in the same
//! transaction as the change.

use cakap_domain::Role;
use cakap_store::{Conn, audit};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Actor, Db, Page, ServiceResult, paging};

/// Records one change inside the caller's transaction.
pub async fn record<T: Serialize>(
    c: &mut Conn,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> ServiceResult<()> {
    let json = |v: Option<&T>| v.and_then(|v| serde_json::to_string(v).ok());
    audit::record(
        c,
        actor.tenant_id,
        &audit::Entry {
            actor: &actor.username,
            action,
            entity,
            entity_id,
            before: json(before),
            after: json(after),
            request_id: actor.request_id.as_deref(),
        },
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditItem {
    /// RFC 3339 time of the change.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub actor: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The log, newest first: `admin` and `auditor` only.
pub async fn list(db: &Db, actor: &Actor, q: &AuditQuery) -> ServiceResult<Page<AuditItem>> {
    actor.require_any(&[Role::Admin, Role::Auditor])?;
    let (page, per_page) = paging(q.page, q.per_page);
    let mut c = db.conn().await?;
    let (rows, total) = audit::list(
        &mut c,
        actor.tenant_id,
        q.entity.as_deref().unwrap_or("").trim(),
        q.actor.as_deref().unwrap_or("").trim(),
        per_page,
        (page - 1) * per_page,
    )
    .await?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let items = rows
        .into_iter()
        .map(|r| AuditItem {
            at: chrono::DateTime::from_timestamp_millis(r.at)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: parse(r.before_json),
            after: parse(r.after_json),
            request_id: r.request_id,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}
