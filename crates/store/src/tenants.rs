//! Tenants: one regency each, and the public keys that check their certificates (the
//! private keys never enter the database: see `cakap_services::learning::keys`).

use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

pub async fn by_code(c: &mut Conn, code: &str) -> Result<Option<TenantRow>> {
    Ok(fetch_optional!(
        c,
        TenantRow,
        "SELECT id, code, name FROM tenants WHERE code = $1",
        code
    )?)
}

pub async fn by_id(c: &mut Conn, id: i64) -> Result<Option<TenantRow>> {
    Ok(fetch_optional!(
        c,
        TenantRow,
        "SELECT id, code, name FROM tenants WHERE id = $1",
        id
    )?)
}

pub async fn insert(c: &mut Conn, code: &str, name: &str) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO tenants (code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        code,
        name,
        now_ms()
    )?)
}

/// The regional governments (every tenant but the national super-tenant, which has no
/// people, certificates or keys of its own), by id.
pub async fn regional(c: &mut Conn) -> Result<Vec<TenantRow>> {
    Ok(fetch_all!(
        c,
        TenantRow,
        "SELECT id, code, name FROM tenants WHERE kind <> 'nasional' ORDER BY id"
    )?)
}

pub async fn all(c: &mut Conn) -> Result<Vec<TenantRow>> {
    Ok(fetch_all!(
        c,
        TenantRow,
        "SELECT id, code, name FROM tenants ORDER BY id"
    )?)
}

// ---------------------------------------------------------------- signing keys

/// A published (public) certificate key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SigningKeyRow {
    pub tenant_id: i64,
    pub kid: String,
    pub algorithm: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    pub created_at: i64,
    /// Set: no longer signs; still checks what it signed.
    pub retired_at: Option<i64>,
}

const KEY_COLUMNS: &str = "tenant_id, kid, algorithm, public_key, created_at, retired_at";

/// A tenant's public keys, oldest first.
pub async fn signing_keys(c: &mut Conn, tenant: i64) -> Result<Vec<SigningKeyRow>> {
    Ok(fetch_all!(
        c,
        SigningKeyRow,
        sqlx::AssertSqlSafe(format!(
            "SELECT {KEY_COLUMNS} FROM signing_keys WHERE tenant_id = $1 ORDER BY created_at, kid"
        )),
        tenant
    )?)
}

/// Every tenant's public keys, by tenant then age.
pub async fn all_signing_keys(c: &mut Conn) -> Result<Vec<SigningKeyRow>> {
    Ok(fetch_all!(
        c,
        SigningKeyRow,
        sqlx::AssertSqlSafe(format!(
            "SELECT {KEY_COLUMNS} FROM signing_keys ORDER BY tenant_id, created_at, kid"
        ))
    )?)
}

/// Publishes a public key; `retired_at` None makes it the tenant's current key (retire the
/// previous one first: one current key per tenant, by a unique index).
pub async fn insert_signing_key(
    c: &mut Conn,
    tenant: i64,
    kid: &str,
    public_key: &str,
    created_at: i64,
    retired_at: Option<i64>,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO signing_keys (tenant_id, kid, public_key, created_at, retired_at) \
         VALUES ($1, $2, $3, $4, $5)",
        tenant,
        kid,
        public_key,
        created_at,
        retired_at
    )?;
    Ok(())
}

/// Retires the tenant's current key, if any.
pub async fn retire_current_key(c: &mut Conn, tenant: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE signing_keys SET retired_at = $2 WHERE tenant_id = $1 AND retired_at IS NULL",
        tenant,
        now_ms()
    )?)
}

/// Makes a published key current again (when a tenant has none current).
pub async fn reinstate_key(c: &mut Conn, tenant: i64, kid: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE signing_keys SET retired_at = NULL WHERE tenant_id = $1 AND kid = $2",
        tenant,
        kid
    )?)
}

/// The private key kept in the database before migration 0013 (hex), if still there.
pub async fn legacy_signing_key(c: &mut Conn, tenant: i64) -> Result<Option<String>> {
    Ok(fetch_scalar!(
        c,
        Option<String>,
        "SELECT signing_key FROM tenants WHERE id = $1",
        tenant
    )?)
}

/// Empties the old private-key column once its certificates are signed anew.
pub async fn clear_legacy_signing_key(c: &mut Conn, tenant: i64) -> Result<()> {
    execute!(
        c,
        "UPDATE tenants SET signing_key = NULL WHERE id = $1",
        tenant
    )?;
    Ok(())
}

/// (code, signed text) of the tenant's certificates signed before keys had ids.
pub async fn unkeyed_certificates(c: &mut Conn, tenant: i64) -> Result<Vec<(String, String)>> {
    Ok(fetch_all!(
        c,
        (String, String),
        "SELECT code, payload FROM certificates WHERE tenant_id = $1 AND kid IS NULL ORDER BY code",
        tenant
    )?)
}

/// Stores a certificate's new signature and the key that made it.
pub async fn resign_certificate(
    c: &mut Conn,
    tenant: i64,
    code: &str,
    signature: &str,
    kid: &str,
) -> Result<()> {
    execute!(
        c,
        "UPDATE certificates SET signature = $3, kid = $4 WHERE tenant_id = $1 AND code = $2",
        tenant,
        code,
        signature,
        kid
    )?;
    Ok(())
}
