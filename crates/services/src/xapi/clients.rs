//! xAPI clients: the outside platforms allowed to write statements, each with a key and a
//! secret (shown once), limited to one tenant.

use cakap_store::xapi as store;

use super::{Client, XapiError, XapiResult};
use crate::auth::{random_token, sha256_hex};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// A client just made: the only time its secret is seen.
#[derive(Clone, serde::Serialize)]
pub struct NewClient {
    pub name: String,
    pub key: String,
    pub secret: String,
}

impl std::fmt::Debug for NewClient {
    // The secret never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewClient")
            .field("name", &self.name)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ClientInfo {
    pub name: String,
    pub key: String,
    pub created_at: i64,
    pub revoked: bool,
}

/// Makes a client for the actor's tenant (BKPSDM only).
pub async fn add(db: &Db, actor: &Actor, name: &str) -> ServiceResult<NewClient> {
    actor.require_admin()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid("name", "error.required"));
    }
    // The key is the Basic user name: random, so it can be looked up before the tenant is
    // known without telling anything about it.
    let key = random_token()[..32].to_string();
    let secret = random_token();
    let mut c = db.begin().await?;
    store::insert_client(&mut c, actor.tenant_id, name, &key, &sha256_hex(&secret))
        .await
        .map_err(|e| match e {
            cakap_store::StoreError::Duplicate(_) => ServiceError::Duplicate { field: "name" },
            e => e.into(),
        })?;
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "xapi_client",
        name,
        None,
        Some(&serde_json::json!({"name": name, "key": key})),
    )
    .await?;
    c.commit().await?;
    Ok(NewClient {
        name: name.to_string(),
        key,
        secret,
    })
}

pub async fn list(db: &Db, actor: &Actor) -> ServiceResult<Vec<ClientInfo>> {
    actor.require_admin()?;
    let mut c = db.conn().await?;
    Ok(store::clients(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .map(|r| ClientInfo {
            name: r.name,
            key: r.key,
            created_at: r.created_at,
            revoked: r.revoked_at.is_some(),
        })
        .collect())
}

/// Stops a client's key from working; its statements stay.
pub async fn revoke(db: &Db, actor: &Actor, name: &str) -> ServiceResult<()> {
    actor.require_admin()?;
    let mut c = db.begin().await?;
    if store::revoke_client(&mut c, actor.tenant_id, name).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    crate::audit::record::<()>(&mut c, actor, "revoke", "xapi_client", name, None, None).await?;
    c.commit().await?;
    Ok(())
}

/// The client a Basic key and secret belong to (the secret matched by its SHA-256).
pub async fn authenticate(
    db: &Db,
    key: &str,
    secret: &str,
    public_url: &str,
) -> XapiResult<Client> {
    if key.is_empty() || key.len() > 64 || secret.len() > 128 {
        return Err(XapiError::Unauthorized);
    }
    let mut c = db.conn().await?;
    let (row, tenant_code) = store::client_by_credentials(&mut c, key, &sha256_hex(secret))
        .await?
        .ok_or(XapiError::Unauthorized)?;
    Ok(Client {
        id: row.id,
        tenant_id: row.tenant_id,
        authority: serde_json::json!({
            "objectType": "Agent",
            "name": row.name,
            "account": {"homePage": super::home_page(public_url, &tenant_code), "name": format!("client:{}", row.key)},
        }),
        name: row.name,
    })
}
