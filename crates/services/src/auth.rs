//! Accounts and authentication: argon2id passwords, login throttling, server-side sessions
//! and bearer tokens. Only SHA-256 hashes of session ids and tokens are stored.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use cakap_domain::{Nip, Role};
use cakap_store::{now_ms, users};
use sha2::{Digest, Sha256};

use crate::{Actor, Db, ServiceError, ServiceResult};

/// Failures allowed for one account from one address within [`THROTTLE_WINDOW_MS`]; the
/// next try waits until the oldest of them leaves the window (`Retry-After`).
pub const MAX_FAILURES: i64 = 5;
/// Different accounts one address may fail on within the window before its further tries
/// at those accounts are held back (a second round of password spraying). Never applied to
/// an account with no failure of its own from the address: others' mistakes behind one NAT
/// address (a whole office) must not lock anyone out.
pub const MAX_ACCOUNTS_PER_ADDRESS: i64 = 20;
/// Longest account name recorded for a failure (longer names are cut; nothing matches them).
const MAX_ACCOUNT_LEN: usize = 64;
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Bearer tokens live this long unless their maker asks otherwise…
pub const TOKEN_DAYS_DEFAULT: i64 = 90;
/// …and never longer than this.
pub const TOKEN_DAYS_MAX: i64 = 365;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_MS: i64 = 2 * 60 * 60 * 1000;
/// …and at the latest this long after login.
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;

/// Common passwords refused whatever their length (docs/operations.md).
const COMMON: [&str; 12] = [
    "1234567890",
    "12345678910",
    "qwertyuiop",
    "password123",
    "password1234",
    "passw0rd123",
    "administrator",
    "bismillah123",
    "indonesia123",
    "1qaz2wsx3edc",
    "iloveyou123",
    "aceh123456",
];

/// A secret that never prints.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// At least 10 and at most 128 characters, not a common password.
pub fn check_password_policy(password: &str) -> ServiceResult<()> {
    let n = password.chars().count();
    if n < 10 {
        return Err(ServiceError::invalid("password", "password.too_short"));
    }
    if n > 128 {
        return Err(ServiceError::invalid("password", "password.too_long"));
    }
    if COMMON.contains(&password.to_lowercase().as_str()) {
        return Err(ServiceError::invalid("password", "password.common"));
    }
    Ok(())
}

pub fn hash_password(password: &str) -> ServiceResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("argon2: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A random 256-bit value as hex.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    // getrandom only fails when the OS has no entropy source; nothing can run then.
    getrandom::fill(&mut buf).expect("operating system random source");
    hex(&buf)
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Sixteen bytes as a version 4 UUID in lower case (the version and variant bits set).
pub(crate) fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::auth::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Bytes from lower- or upper-case hex; `None` for anything else.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new session: the cookie value (shown once) and its CSRF token.
pub struct NewSession {
    pub id: Secret,
    pub csrf: String,
}

/// Checks the password and opens a session, ending `previous` (the caller's old session,
/// if any) so a login always rotates the id. Unknown user and wrong password get the same
/// answer.
///
/// Failures are held back by (account, address): after [`MAX_FAILURES`] for one account from
/// one address, even the right password is refused there (429, `Retry-After`) until the
/// oldest failure leaves the window — so guessing slows to one try per few minutes, while the
/// same account from another address and other accounts from the same address go on
/// working. An address failing on [`MAX_ACCOUNTS_PER_ADDRESS`] different accounts (spraying)
/// is held back for every account. A try refused while held back is not recorded, so
/// hammering never extends the wait.
///
/// The attempt is recorded *before* the password is checked and counted with every other
/// attempt in flight, so parallel guesses cannot slip past the limit; a success removes its
/// own record. The argon2 check runs on the blocking pool without holding a connection.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    address: &str,
    previous: Option<&str>,
) -> ServiceResult<NewSession> {
    let username = username.trim();
    let account: String = username
        .to_lowercase()
        .chars()
        .take(MAX_ACCOUNT_LEN)
        .collect();
    let now = now_ms();
    let (creds, pending) = {
        let mut c = db.conn().await?;
        // Held back already: refuse without recording, so the wait does not grow.
        if let Some(retry) = held_back(&mut c, &account, address, now, 0).await? {
            return Err(retry);
        }
        let pending = users::record_failure(&mut c, &account, address, now).await?;
        // Counting this attempt and any in flight beside it.
        if let Some(retry) = held_back(&mut c, &account, address, now, 1).await? {
            users::forget_failures(&mut c, &[pending]).await?;
            return Err(retry);
        }
        (users::credentials(&mut c, username).await?, pending)
    };
    let hash = match &creds {
        Some(u) if u.active => u.password_hash.clone(),
        // Spend the same time as a real check so timing does not reveal usernames.
        _ => DUMMY_HASH.to_string(),
    };
    let password = Secret(password.to_string());
    let ok = verify_off_thread(password, hash).await && creds.as_ref().is_some_and(|u| u.active);
    let Some(user) = creds.filter(|_| ok) else {
        return Err(ServiceError::Unauthenticated);
    };
    let mut c = db.begin().await?;
    users::forget_failures(&mut c, &[pending]).await?;
    users::clear_failures(&mut c, &account, address).await?;
    if let Some(old) = previous {
        users::delete_session(&mut c, &sha256_hex(old)).await?;
    }
    let id = random_token();
    let csrf = random_token();
    users::create_session(&mut c, &sha256_hex(&id), user.tenant_id, user.id, &csrf).await?;
    c.commit().await?;
    Ok(NewSession {
        id: Secret(id),
        csrf,
    })
}

/// `Throttled` when `account` may not try from `address` now. `extra` is how many of the
/// recorded failures are attempts in flight (this one included) that may exceed the limit
/// by that much before being refused.
async fn held_back(
    c: &mut cakap_store::Conn,
    account: &str,
    address: &str,
    now: i64,
    extra: i64,
) -> ServiceResult<Option<ServiceError>> {
    let since = now - THROTTLE_WINDOW_MS;
    // Free again once enough failures have left the window to bring the count under the
    // limit: the wait runs from the k-th oldest one.
    let wait = |times: &[i64], limit: i64| -> Option<u64> {
        let n = times.len() as i64;
        if n < limit + extra {
            return None;
        }
        let k = usize::try_from(n - limit - extra).unwrap_or(0);
        let free_at = times.get(k).copied().unwrap_or(now) + THROTTLE_WINDOW_MS;
        Some(u64::try_from((free_at - now).max(1000) / 1000).unwrap_or(1))
    };
    let pair = users::pair_failures(c, account, address, since).await?;
    // The address-wide count holds back only accounts this address has already failed on
    // (beyond the attempts in flight): a clean account is never refused for others' failures.
    let spraying = if pair.len() as i64 > extra {
        let accounts = users::address_accounts(c, address, since).await?;
        wait(&accounts, MAX_ACCOUNTS_PER_ADDRESS)
    } else {
        None
    };
    let retry = [wait(&pair, MAX_FAILURES), spraying]
        .into_iter()
        .flatten()
        .max();
    Ok(retry.map(|retry_after_secs| ServiceError::Throttled { retry_after_secs }))
}

/// At most this many password checks run at once (each takes ~19 MiB and tens of ms).
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(2));

/// Verifies on the blocking pool so request threads keep serving.
async fn verify_off_thread(password: Secret, hash: String) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&password.0, &hash))
        .await
        .unwrap_or(false)
}

/// An argon2id hash of a random string, for constant-time refusals.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
    Qm0JcN0b4eNh0mQ2YqF8mY3P8zjvqk1gC0aH0s0l8dA";

/// The principal behind a session cookie, if the session is alive. Refreshes `last_seen` at
/// most once a minute, so reads do not turn into writes.
pub async fn session_principal(db: &Db, id: &str) -> ServiceResult<Option<users::Principal>> {
    let hash = sha256_hex(id);
    let mut c = db.conn().await?;
    let Some(p) = users::by_session(&mut c, &hash).await? else {
        return Ok(None);
    };
    let now = now_ms();
    if now - p.last_seen > IDLE_TIMEOUT_MS || now - p.created_at > ABSOLUTE_TIMEOUT_MS {
        users::delete_session(&mut c, &hash).await?;
        return Ok(None);
    }
    if now - p.last_seen > 60_000 {
        users::touch_session(&mut c, &hash).await?;
    }
    Ok(Some(p))
}

/// The principal behind a bearer token, if it exists and has not expired. Notes when it was
/// used, at most once a minute (reads stay reads).
pub async fn token_principal(db: &Db, token: &str) -> ServiceResult<Option<users::Principal>> {
    let hash = sha256_hex(token);
    let now = now_ms();
    let mut c = db.conn().await?;
    let p = users::by_token(&mut c, &hash, now).await?;
    if p.as_ref().is_some_and(|p| now - p.last_seen > 60_000) {
        users::touch_token(&mut c, &hash, now).await?;
    }
    Ok(p)
}

pub async fn logout(db: &Db, session_id: &str) -> ServiceResult<()> {
    let mut c = db.conn().await?;
    users::delete_session(&mut c, &sha256_hex(session_id)).await?;
    Ok(())
}

/// A bearer token just made: the secret (shown once) and what the list shows of it.
#[derive(Debug)]
pub struct NewToken {
    pub token: Secret,
    pub info: TokenInfo,
}

/// A bearer token in its owner's list: never the secret. Times are RFC 3339.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    /// Within a minute; null when never used.
    pub last_used_at: Option<String>,
    pub expired: bool,
}

impl TokenInfo {
    fn from_row(r: users::TokenRow, now: i64) -> TokenInfo {
        TokenInfo {
            id: r.id,
            name: r.name,
            created_at: rfc3339(r.created_at),
            expires_at: r.expires_at.map(rfc3339),
            last_used_at: r.last_used_at.map(rfc3339),
            expired: r.expires_at.is_none_or(|at| at <= now),
        }
    }
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Issues a bearer token for the actor, valid `days` days ([`TOKEN_DAYS_DEFAULT`] when not
/// given, at most [`TOKEN_DAYS_MAX`]); the token is returned once and stored hashed.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    name: &str,
    days: Option<i64>,
) -> ServiceResult<NewToken> {
    let name = crate::validate::text("name", name, 100)?;
    let days = days.unwrap_or(TOKEN_DAYS_DEFAULT);
    if !(1..=TOKEN_DAYS_MAX).contains(&days) {
        return Err(ServiceError::Invalid {
            field: "expires_in_days",
            key: "error.token_expiry",
            args: vec![("max", TOKEN_DAYS_MAX.to_string())],
        });
    }
    let token = random_token();
    let now = now_ms();
    let expires_at = now + days * DAY_MS;
    let mut c = db.begin().await?;
    let id = users::create_token(
        &mut c,
        actor.tenant_id,
        actor.user_id,
        &name,
        &sha256_hex(&token),
        now,
        expires_at,
    )
    .await?;
    let info = TokenInfo::from_row(
        users::TokenRow {
            id,
            name: name.clone(),
            created_at: now,
            expires_at: Some(expires_at),
            last_used_at: None,
        },
        now,
    );
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "api_token",
        &id.to_string(),
        None,
        Some(&serde_json::json!({
            "name": name, "user": actor.username, "expires_at": info.expires_at,
        })),
    )
    .await?;
    c.commit().await?;
    Ok(NewToken {
        token: Secret(token),
        info,
    })
}

/// The actor's own bearer tokens, newest first (expired ones too, marked, until revoked).
pub async fn list_tokens(db: &Db, actor: &Actor) -> ServiceResult<crate::Page<TokenInfo>> {
    let now = now_ms();
    let mut c = db.conn().await?;
    let items: Vec<TokenInfo> = users::tokens(&mut c, actor.tenant_id, actor.user_id)
        .await?
        .into_iter()
        .map(|r| TokenInfo::from_row(r, now))
        .collect();
    let total = items.len() as i64;
    Ok(crate::Page {
        items,
        total,
        page: 1,
        per_page: total.max(1),
    })
}

/// Revokes one of the actor's own tokens: it stops working at once. Another user's token
/// reads as not found.
pub async fn revoke_token(db: &Db, actor: &Actor, id: i64) -> ServiceResult<()> {
    let now = now_ms();
    let mut c = db.begin().await?;
    let row = users::revoke_token(&mut c, actor.tenant_id, actor.user_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = TokenInfo::from_row(row, now);
    crate::audit::record(
        &mut c,
        actor,
        "revoke",
        "api_token",
        &id.to_string(),
        Some(&serde_json::json!({
            "name": before.name, "user": actor.username, "expires_at": before.expires_at,
        })),
        None,
    )
    .await?;
    c.commit().await?;
    Ok(())
}

pub async fn set_locale(db: &Db, actor: &Actor, locale: &str) -> ServiceResult<()> {
    let mut c = db.conn().await?;
    users::set_locale(&mut c, actor.tenant_id, actor.user_id, locale).await?;
    Ok(())
}

/// `cakap user add`: an account with a role, optionally tied to a unit and an employee (a
/// `pimpinan` needs both).
pub async fn add_user(
    db: &Db,
    actor: &Actor,
    username: &str,
    role: Role,
    unit_code: Option<&str>,
    nip: Option<&str>,
    password: &str,
) -> ServiceResult<i64> {
    actor.require_admin()?;
    let username = crate::validate::code("username", username)?;
    check_password_policy(password)?;
    let hash = hash_password(password)?;
    let mut c = db.begin().await?;
    let unit_id = match unit_code {
        Some(code) => Some(
            cakap_store::units::by_code(&mut c, actor.tenant_id, code)
                .await?
                .ok_or_else(|| ServiceError::invalid("unit", "error.unknown_unit"))?
                .id,
        ),
        None => None,
    };
    let employee_id = match nip {
        Some(nip) => {
            let nip = Nip::parse(nip, chrono::Local::now().date_naive())
                .map_err(|e| ServiceError::domain("nip", &e))?;
            Some(
                cakap_store::employees::by_nip(&mut c, actor.tenant_id, nip.as_str())
                    .await?
                    .ok_or_else(|| ServiceError::invalid("nip", "error.unknown_employee"))?
                    .id,
            )
        }
        None => None,
    };
    if role == Role::Pimpinan && unit_id.is_none() {
        return Err(ServiceError::invalid("unit", "user.pimpinan_needs_unit"));
    }
    // A pimpinan approves and rates people: without their own employee record the
    // self-approval guards (Actor::may_decide_on) could not recognise their own records.
    if role == Role::Pimpinan && employee_id.is_none() {
        return Err(ServiceError::invalid("nip", "user.pimpinan_needs_nip"));
    }
    if credentials_exist(&mut c, &username).await? {
        return Err(ServiceError::Duplicate { field: "username" });
    }
    let id = users::insert(
        &mut c,
        actor.tenant_id,
        &users::NewUser {
            username: &username,
            password_hash: &hash,
            role: role.as_str(),
            unit_id,
            employee_id,
        },
    )
    .await?;
    let after =
        serde_json::json!({ "username": username, "role": role, "unit": unit_code, "nip": nip });
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "user",
        &username,
        None,
        Some(&after),
    )
    .await?;
    c.commit().await?;
    Ok(id)
}

async fn credentials_exist(c: &mut cakap_store::Conn, username: &str) -> ServiceResult<bool> {
    Ok(users::credentials(c, username).await?.is_some())
}

/// `cakap user passwd`: sets a new password and ends the user's sessions and tokens.
pub async fn set_password(
    db: &Db,
    actor: &Actor,
    username: &str,
    password: &str,
) -> ServiceResult<()> {
    actor.require_admin()?;
    check_password_policy(password)?;
    let hash = hash_password(password)?;
    let mut c = db.begin().await?;
    if users::set_password(&mut c, actor.tenant_id, username, &hash).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    users::end_sessions(&mut c, actor.tenant_id, username).await?;
    crate::audit::record::<()>(&mut c, actor, "passwd", "user", username, None, None).await?;
    c.commit().await?;
    Ok(())
}

/// `cakap user disable`: the account can no longer log in; its sessions and tokens end.
pub async fn disable_user(db: &Db, actor: &Actor, username: &str) -> ServiceResult<()> {
    actor.require_admin()?;
    let mut c = db.begin().await?;
    if users::disable(&mut c, actor.tenant_id, username).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    crate::audit::record::<()>(&mut c, actor, "disable", "user", username, None, None).await?;
    c.commit().await?;
    Ok(())
}

/// Periodic upkeep: forget old login failures and expired sessions.
pub async fn purge(db: &Db) -> ServiceResult<u64> {
    let now = now_ms();
    let mut c = db.conn().await?;
    Ok(users::purge(
        &mut c,
        now - THROTTLE_WINDOW_MS,
        now - IDLE_TIMEOUT_MS,
        now - ABSOLUTE_TIMEOUT_MS,
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("1234567890").is_err());
        assert!(check_password_policy("Password123").is_err());
        assert!(check_password_policy(&"x".repeat(129)).is_err());
        assert!(check_password_policy(&"x".repeat(128)).is_ok());
        assert!(check_password_policy("Blangpidie-2026").is_ok());
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password("Blangpidie-2026").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("Blangpidie-2026", &h));
        assert!(!verify_password("blangpidie-2026", &h));
        assert!(!verify_password("anything", DUMMY_HASH));
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret("abc".into())), "Secret(***)");
    }
}
