//! The caller's inbox (docs/interfaces.md, "Notifications"): newest first with the unread
//! count, marking read, and how they want e-mail (instant, a daily digest, or none).
//! Capabilities notify through `cakap_store::notifications` inside their own change, so a
//! notice is committed with what it is about.

use cakap_store::notifications as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Actor, Db, ServiceError, ServiceResult};

/// Notifications an inbox shows.
const SHOWN: i64 = 100;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    /// `campaign`, `reminder`, `overdue`, `amended`, …
    pub kind: String,
    pub title: String,
    /// A short detail (`due:YYYY-MM-DD` for campaign notices).
    pub body: String,
    pub link: String,
    pub read: bool,
    /// Unix milliseconds.
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: i64,
    /// `instant`, `digest` or `off`.
    pub email_mode: String,
    /// Whether this server sends e-mail at all.
    pub email_enabled: bool,
}

pub async fn inbox(db: &Db, actor: &Actor) -> ServiceResult<Inbox> {
    let mut c = db.conn().await?;
    let rows = store::list(&mut c, actor.tenant_id, actor.user_id, SHOWN).await?;
    let unread = store::unread(&mut c, actor.tenant_id, actor.user_id).await?;
    let email_mode = store::email_mode(&mut c, actor.tenant_id, actor.user_id)
        .await
        .unwrap_or_else(|_| "instant".into());
    Ok(Inbox {
        items: rows
            .into_iter()
            .map(|r| Notification {
                id: r.id,
                kind: r.kind,
                title: r.title,
                body: r.body,
                link: r.link,
                read: r.read_at.is_some(),
                created_at: r.created_at,
            })
            .collect(),
        unread,
        email_mode,
        email_enabled: crate::mail::enabled(db),
    })
}

/// Marks one of the caller's notifications read (someone else's: 404). Reading one already
/// read changes nothing.
pub async fn read(db: &Db, actor: &Actor, id: i64) -> ServiceResult<()> {
    let mut c = db.conn().await?;
    if !store::owned(&mut c, actor.tenant_id, actor.user_id, id).await? {
        return Err(ServiceError::NotFound);
    }
    store::mark_read(&mut c, actor.tenant_id, actor.user_id, Some(id)).await?;
    Ok(())
}

/// Where one of the caller's notifications points: a path of Cakap's own (anything else —
/// another site, `//host`, `/\\host` — is not followed). Someone else's: 404.
pub async fn link(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Option<String>> {
    let mut c = db.conn().await?;
    let link = store::link_of(&mut c, actor.tenant_id, actor.user_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Some(link).filter(|l| {
        l.starts_with('/') && !l.starts_with("//") && !l.contains('\\') && !l.contains("://")
    }))
}

/// Marks all of the caller's notifications read; yields how many were unread.
pub async fn read_all(db: &Db, actor: &Actor) -> ServiceResult<u64> {
    let mut c = db.conn().await?;
    Ok(store::mark_read(&mut c, actor.tenant_id, actor.user_id, None).await?)
}

/// How the caller wants e-mail.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EmailChoice {
    /// `instant`, `digest` or `off`.
    pub email_mode: String,
}

pub const EMAIL_MODES: [&str; 3] = ["instant", "digest", "off"];

pub async fn set_email_mode(db: &Db, actor: &Actor, choice: &EmailChoice) -> ServiceResult<()> {
    let mode = choice.email_mode.trim();
    if !EMAIL_MODES.contains(&mode) {
        return Err(ServiceError::invalid("email_mode", "notify.mode_invalid"));
    }
    let mut c = crate::change::Change::begin(db, actor).await?;
    store::set_email_mode(&mut c, actor.tenant_id, actor.user_id, mode).await?;
    if mode == "off" {
        store::drop_waiting_email(&mut c, actor.tenant_id, actor.user_id).await?;
    }
    c.record(
        "update",
        "email_mode",
        &actor.user_id.to_string(),
        None,
        Some(&serde_json::json!({"email_mode": mode})),
    )
    .await?;
    c.finish(&[]).await?;
    Ok(())
}
