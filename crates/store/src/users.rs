//! Accounts, server-side sessions, API tokens and login failures.

use serde::Serialize;

use crate::{Conn, Result, execute, fetch_optional, fetch_scalar, now_ms};

/// A user with what authorization needs, fetched in one query per request.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Principal {
    pub user_id: i64,
    pub tenant_id: i64,
    pub username: String,
    pub role: String,
    pub locale: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_path: Option<String>,
    pub employee_id: Option<i64>,
    pub employee_name: Option<String>,
    pub nip: Option<String>,
    /// Path of the unit the linked employee works in.
    pub employee_unit_path: Option<String>,
    /// Unread notifications (the header's count), read with the session in the same query.
    pub unread: i64,
    /// Whether the tenant is the national super-tenant (docs/national.md).
    pub national: bool,
    /// Session fields; empty for API tokens.
    pub csrf: String,
    pub last_seen: i64,
    pub created_at: i64,
}

const PRINCIPAL: &str = "u.id AS user_id, u.tenant_id, u.username, u.role, u.locale, u.unit_id, \
    un.code AS unit_code, un.path AS unit_path, u.employee_id, e.name AS employee_name, e.nip, eu.path AS employee_unit_path, \
    (SELECT COUNT(*) FROM notifications nt WHERE nt.tenant_id = u.tenant_id AND nt.user_id = u.id \
     AND nt.read_at IS NULL) AS unread, (t.kind = 'nasional') AS national";
const PRINCIPAL_JOINS: &str = "JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id \
    JOIN tenants t ON t.id = u.tenant_id \
    LEFT JOIN units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id \
    LEFT JOIN employees e ON e.tenant_id = u.tenant_id AND e.id = u.employee_id \
    LEFT JOIN units eu ON eu.tenant_id = e.tenant_id AND eu.id = e.unit_id";

pub async fn by_session(c: &mut Conn, id_hash: &str) -> Result<Option<Principal>> {
    Ok(fetch_optional!(
        c,
        Principal,
        sqlx::AssertSqlSafe(format!(
            "SELECT {PRINCIPAL}, s.csrf, s.last_seen, s.created_at FROM sessions s \
             {PRINCIPAL_JOINS} WHERE s.id_hash = $1 AND u.active = TRUE"
        )),
        id_hash
    )?)
}

/// The principal behind a bearer token that has not expired at `now` (revoked tokens are
/// deleted). `last_seen` is when the token was last used (0: never).
pub async fn by_token(c: &mut Conn, token_hash: &str, now: i64) -> Result<Option<Principal>> {
    Ok(fetch_optional!(
        c,
        Principal,
        sqlx::AssertSqlSafe(format!(
            "SELECT {PRINCIPAL}, '' AS csrf, COALESCE(s.last_used_at, 0) AS last_seen, \
             s.created_at FROM api_tokens s {PRINCIPAL_JOINS} \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE"
        )),
        token_hash,
        now
    )?)
}

pub async fn touch_token(c: &mut Conn, token_hash: &str, now: i64) -> Result<()> {
    execute!(
        c,
        "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2",
        now,
        token_hash
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub tenant_id: i64,
    pub password_hash: String,
    pub active: bool,
}

pub async fn credentials(c: &mut Conn, username: &str) -> Result<Option<Credentials>> {
    Ok(fetch_optional!(
        c,
        Credentials,
        "SELECT id, tenant_id, password_hash, active FROM users WHERE username = $1",
        username
    )?)
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub unit_id: Option<i64>,
    pub employee_id: Option<i64>,
}

pub async fn insert(c: &mut Conn, tenant: i64, u: &NewUser<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO users (tenant_id, username, password_hash, role, unit_id, employee_id, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        u.username,
        u.password_hash,
        u.role,
        u.unit_id,
        u.employee_id,
        now_ms()
    )?)
}

pub async fn set_password(c: &mut Conn, tenant: i64, username: &str, hash: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE users SET password_hash = $1 WHERE tenant_id = $2 AND username = $3",
        hash,
        tenant,
        username
    )?)
}

/// Disables an account and ends its sessions and tokens.
pub async fn disable(c: &mut Conn, tenant: i64, username: &str) -> Result<u64> {
    let n = execute!(
        c,
        "UPDATE users SET active = FALSE WHERE tenant_id = $1 AND username = $2",
        tenant,
        username
    )?;
    end_sessions(c, tenant, username).await?;
    Ok(n)
}

pub async fn set_locale(c: &mut Conn, tenant: i64, user: i64, locale: &str) -> Result<()> {
    execute!(
        c,
        "UPDATE users SET locale = $1 WHERE tenant_id = $2 AND id = $3",
        locale,
        tenant,
        user
    )?;
    Ok(())
}

pub async fn create_session(
    c: &mut Conn,
    id_hash: &str,
    tenant: i64,
    user: i64,
    csrf: &str,
) -> Result<()> {
    let now = now_ms();
    execute!(
        c,
        "INSERT INTO sessions (id_hash, tenant_id, user_id, csrf, created_at, last_seen) \
         VALUES ($1, $2, $3, $4, $5, $5)",
        id_hash,
        tenant,
        user,
        csrf,
        now
    )?;
    Ok(())
}

pub async fn touch_session(c: &mut Conn, id_hash: &str) -> Result<()> {
    execute!(
        c,
        "UPDATE sessions SET last_seen = $1 WHERE id_hash = $2",
        now_ms(),
        id_hash
    )?;
    Ok(())
}

pub async fn delete_session(c: &mut Conn, id_hash: &str) -> Result<()> {
    execute!(c, "DELETE FROM sessions WHERE id_hash = $1", id_hash)?;
    Ok(())
}

/// Removes sessions idle since `idle_before` or created before `created_before`.
pub async fn purge_sessions(c: &mut Conn, idle_before: i64, created_before: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2",
        idle_before,
        created_before
    )?)
}

/// A bearer token as its owner sees it in a list: never the token itself.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

pub async fn create_token(
    c: &mut Conn,
    tenant: i64,
    user: i64,
    name: &str,
    token_hash: &str,
    created_at: i64,
    expires_at: i64,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        tenant,
        user,
        name,
        token_hash,
        created_at,
        expires_at
    )?)
}

/// A user's tokens, newest first (expired ones too, until revoked).
pub async fn tokens(c: &mut Conn, tenant: i64, user: i64) -> Result<Vec<TokenRow>> {
    Ok(crate::fetch_all!(
        c,
        TokenRow,
        "SELECT id, name, created_at, expires_at, last_used_at FROM api_tokens \
         WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC",
        tenant,
        user
    )?)
}

/// Deletes one of a user's tokens; `None` when the user has no such token.
pub async fn revoke_token(
    c: &mut Conn,
    tenant: i64,
    user: i64,
    id: i64,
) -> Result<Option<TokenRow>> {
    Ok(fetch_optional!(
        c,
        TokenRow,
        "DELETE FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 AND id = $3 \
         RETURNING id, name, created_at, expires_at, last_used_at",
        tenant,
        user,
        id
    )?)
}

/// Records an attempt on `account` from `address` as failed (until [`forget_failures`] takes
/// it back); returns its id.
pub async fn record_failure(c: &mut Conn, account: &str, address: &str, at: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO login_failures (subject, account, address, at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
        format!("{account} {address}"),
        account,
        address,
        at
    )?)
}

pub async fn forget_failures(c: &mut Conn, ids: &[i64]) -> Result<()> {
    for id in ids {
        execute!(c, "DELETE FROM login_failures WHERE id = $1", id)?;
    }
    Ok(())
}

/// Drops failures older than `failures_before` and sessions past their timeouts.
pub async fn purge(
    c: &mut Conn,
    failures_before: i64,
    idle_before: i64,
    created_before: i64,
) -> Result<u64> {
    let a = execute!(
        c,
        "DELETE FROM login_failures WHERE at < $1",
        failures_before
    )?;
    let b = purge_sessions(c, idle_before, created_before).await?;
    Ok(a + b)
}

/// When each failure on `account` from `address` since `since` happened, oldest first (a
/// handful: attempts refused while held back are not recorded).
pub async fn pair_failures(
    c: &mut Conn,
    account: &str,
    address: &str,
    since: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = crate::fetch_all!(
        c,
        (i64,),
        "SELECT at FROM login_failures WHERE account = $1 AND address = $2 AND at >= $3 \
         ORDER BY at LIMIT 1000",
        account,
        address,
        since
    )?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}

/// For each account that failed from `address` since `since`, its latest failure, oldest
/// first: how many different accounts one address is trying (password spraying).
pub async fn address_accounts(c: &mut Conn, address: &str, since: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = crate::fetch_all!(
        c,
        (i64,),
        "SELECT MAX(at) AS latest FROM login_failures WHERE address = $1 AND at >= $2 \
         GROUP BY account ORDER BY latest LIMIT 10000",
        address,
        since
    )?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}

/// Forgets the failures on `account` from `address` (after the right password).
pub async fn clear_failures(c: &mut Conn, account: &str, address: &str) -> Result<()> {
    execute!(
        c,
        "DELETE FROM login_failures WHERE account = $1 AND address = $2",
        account,
        address
    )?;
    Ok(())
}

/// Ends every session and API token of a user (password change, disabling).
pub async fn end_sessions(c: &mut Conn, tenant: i64, username: &str) -> Result<()> {
    for table in ["sessions", "api_tokens"] {
        execute!(
            c,
            sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE tenant_id = $1 AND user_id IN \
                 (SELECT id FROM users WHERE tenant_id = $1 AND username = $2)"
            )),
            tenant,
            username
        )?;
    }
    Ok(())
}
