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
    /// Session fields; empty for API tokens.
    pub csrf: String,
    pub last_seen: i64,
    pub created_at: i64,
}

const PRINCIPAL: &str = "u.id AS user_id, u.tenant_id, u.username, u.role, u.locale, u.unit_id, \
    un.code AS unit_code, un.path AS unit_path, u.employee_id, e.name AS employee_name, e.nip, eu.path AS employee_unit_path";
const PRINCIPAL_JOINS: &str = "JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id \
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

pub async fn by_token(c: &mut Conn, token_hash: &str) -> Result<Option<Principal>> {
    Ok(fetch_optional!(
        c,
        Principal,
        sqlx::AssertSqlSafe(format!(
            "SELECT {PRINCIPAL}, '' AS csrf, s.created_at AS last_seen, s.created_at \
             FROM api_tokens s {PRINCIPAL_JOINS} WHERE s.token_hash = $1 AND u.active = TRUE"
        )),
        token_hash
    )?)
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

pub async fn create_token(
    c: &mut Conn,
    tenant: i64,
    user: i64,
    name: &str,
    token_hash: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        tenant,
        user,
        name,
        token_hash,
        now_ms()
    )?)
}

/// Records an attempt as failed (until [`forget_failures`] takes it back); returns its id.
pub async fn record_failure(c: &mut Conn, subject: &str) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO login_failures (subject, at) VALUES ($1, $2) RETURNING id",
        subject,
        now_ms()
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

/// Failures for `subject` since `since`, and the oldest of them (for Retry-After).
pub async fn failures_since(c: &mut Conn, subject: &str, since: i64) -> Result<(i64, i64)> {
    let n = fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM login_failures WHERE subject = $1 AND at >= $2",
        subject,
        since
    )?;
    let oldest = fetch_scalar!(
        c,
        Option<i64>,
        "SELECT MIN(at) FROM login_failures WHERE subject = $1 AND at >= $2",
        subject,
        since
    )?;
    Ok((n, oldest.unwrap_or(since)))
}

pub async fn clear_failures(c: &mut Conn, subject: &str) -> Result<()> {
    execute!(c, "DELETE FROM login_failures WHERE subject = $1", subject)?;
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
