//! Certificates and the public keys that check them.

use crate::{Conn, Result, execute, fetch_all, fetch_optional, now_ms};

/// What signing a tenant's certificate needs, in one read: the tenant's name and code, and
/// its current key's id and public key (none when the tenant has no current key).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SigningIdentity {
    pub name: String,
    pub code: String,
    pub kid: Option<String>,
    pub public_key: Option<String>,
}

pub async fn signing_identity(c: &mut Conn, tenant: i64) -> Result<Option<SigningIdentity>> {
    Ok(fetch_optional!(
        c,
        SigningIdentity,
        "SELECT t.name, t.code, k.kid, k.public_key FROM tenants t \
         LEFT JOIN signing_keys k ON k.tenant_id = t.id AND k.retired_at IS NULL \
         WHERE t.id = $1",
        tenant
    )?)
}

pub struct NewCertificate<'a> {
    pub code: &'a str,
    pub enrollment_id: i64,
    pub employee_id: i64,
    pub payload: &'a str,
    pub signature: &'a str,
    /// The key that signed it.
    pub kid: &'a str,
}

pub async fn insert_certificate(c: &mut Conn, tenant: i64, n: &NewCertificate<'_>) -> Result<()> {
    execute!(
        c,
        "INSERT INTO certificates (code, tenant_id, enrollment_id, employee_id, payload, \
         signature, kid, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        n.code,
        tenant,
        n.enrollment_id,
        n.employee_id,
        n.payload,
        n.signature,
        n.kid,
        now_ms()
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub code: String,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub enrollment_id: i64,
    pub employee_id: i64,
    pub payload: String,
    pub signature: String,
    /// The key that signed it (none: signed before keys had ids and never moved).
    pub kid: Option<String>,
    /// The published public key of `kid` (hex), from `signing_keys`.
    pub public_key: Option<String>,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
}

/// A certificate by its code, in any tenant (the public check has no tenant), with the
/// public key its `kid` names in its own tenant.
pub async fn certificate(c: &mut Conn, code: &str) -> Result<Option<CertificateRow>> {
    Ok(fetch_optional!(
        c,
        CertificateRow,
        "SELECT ce.code, ce.tenant_id, t.name AS tenant_name, ce.enrollment_id, ce.employee_id, \
         ce.payload, ce.signature, ce.kid, k.public_key, ce.revoked_at, ce.revoked_reason \
         FROM certificates ce JOIN tenants t ON t.id = ce.tenant_id \
         LEFT JOIN signing_keys k ON k.tenant_id = ce.tenant_id AND k.kid = ce.kid \
         WHERE ce.code = $1",
        code
    )?)
}

/// Revokes a certificate unless it already is; true when it changed.
pub async fn revoke_certificate(
    c: &mut Conn,
    tenant: i64,
    code: &str,
    reason: &str,
    by: &str,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE certificates SET revoked_at = $3, revoked_reason = $4, revoked_by = $5 \
         WHERE tenant_id = $1 AND code = $2 AND revoked_at IS NULL",
        tenant,
        code,
        now_ms(),
        reason,
        by
    )? == 1)
}

/// The id of an active trainer (or admin) account by username.
pub async fn instructor_id(c: &mut Conn, tenant: i64, username: &str) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT id FROM users WHERE tenant_id = $1 AND username = $2 \
         AND role IN ('instruktur', 'admin') AND active = TRUE",
        tenant,
        username
    )?
    .map(|r| r.0))
}

/// The results of one employee's competency that count on `on` (not self-assessments, not
/// expired, not in the future), for `cakap_domain::competency::effective_level`.
pub async fn counting_results(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    competency: i64,
    on: &str,
) -> Result<Vec<ResultRow>> {
    Ok(fetch_all!(
        c,
        ResultRow,
        "SELECT level, method, assessed_on, valid_until FROM assessments WHERE tenant_id = $1 \
         AND employee_id = $2 AND competency_id = $3 AND method <> 'self' AND assessed_on <= $4 \
         AND (valid_until IS NULL OR valid_until >= $4)",
        tenant,
        employee,
        competency,
        on
    )?)
}

/// One assessment result as the effective-level rule reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRow {
    pub level: i64,
    pub method: String,
    pub assessed_on: String,
    pub valid_until: Option<String>,
}

/// (id, NIP, name) of every employee of a tenant.
pub async fn employee_names(c: &mut Conn, tenant: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(fetch_all!(
        c,
        (i64, String, String),
        "SELECT id, nip, name FROM employees WHERE tenant_id = $1",
        tenant
    )?)
}
