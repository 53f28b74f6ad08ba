//! The in-app inbox with its e-mail outbox, and the jobs table the background runner claims
//! work from (docs/architecture.md#notifications-and-jobs).

use crate::db::Arg;
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, like_escape, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// What a notification says; the e-mail state is decided per recipient from their choice.
pub struct NewNotification<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
}

/// `CASE` giving a recipient's outbox state: their `email_mode` when e-mail is on and they
/// chose one, else NULL (in-app only).
const EMAIL_STATE: &str = "CASE WHEN $email = TRUE AND u.email_mode IN ('instant', 'digest') THEN u.email_mode ELSE NULL END";

fn email_state(n: usize) -> String {
    EMAIL_STATE.replace("$email", &format!("${n}"))
}

/// Notifies one user.
pub async fn insert(
    c: &mut Conn,
    tenant: i64,
    user: i64,
    n: &NewNotification<'_>,
    email: bool,
) -> Result<u64> {
    Ok(execute!(
        c,
        sqlx::AssertSqlSafe(format!(
            "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, created_at, email) \
             SELECT u.tenant_id, u.id, $3, $4, $5, $6, $7, {} FROM users u \
             WHERE u.tenant_id = $1 AND u.id = $2 AND u.active",
            email_state(8)
        )),
        tenant,
        user,
        n.kind,
        n.title,
        n.body,
        n.link,
        now_ms(),
        email
    )?)
}

/// Notifies, in one statement, the active accounts linked to `employees`.
pub async fn insert_for_employees(
    c: &mut Conn,
    tenant: i64,
    employees: &[i64],
    n: &NewNotification<'_>,
    email: bool,
) -> Result<u64> {
    if employees.is_empty() {
        return Ok(0);
    }
    let mut d = crate::db::Dynamic::new("");
    d.push(
        &format!(
            "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, created_at, email) \
             SELECT u.tenant_id, u.id, ?, ?, ?, ?, ?, {} FROM users u \
             WHERE u.tenant_id = ? AND u.active = TRUE AND u.employee_id IN (",
            EMAIL_STATE.replace("$email", "?")
        ),
        [
            Arg::Text(n.kind.into()),
            Arg::Text(n.title.into()),
            Arg::Text(n.body.into()),
            Arg::Text(n.link.into()),
            Arg::I64(now_ms()),
            Arg::Bool(email),
            Arg::I64(tenant),
        ],
    );
    for (i, e) in employees.iter().enumerate() {
        d.push(if i == 0 { "?" } else { ", ?" }, [Arg::I64(*e)]);
    }
    d.sql.push(')');
    d.execute(c).await
}

/// Notifies, in one statement, the accounts of everyone a campaign targets under `scope`
/// who has not acknowledged `version` (`owing_only`), or all of them.
pub async fn insert_for_campaign(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    version: i64,
    scope: &str,
    n: &NewNotification<'_>,
    email: bool,
) -> Result<u64> {
    Ok(execute!(
        c,
        sqlx::AssertSqlSafe(format!(
            "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, created_at, email) \
             SELECT u.tenant_id, u.id, $4, $5, $6, $7, $8, {} FROM campaign_targets t \
             JOIN users u ON u.tenant_id = t.tenant_id AND u.employee_id = t.employee_id AND u.active \
             JOIN units un ON un.tenant_id = t.tenant_id AND un.id = t.unit_id \
             WHERE t.tenant_id = $1 AND t.campaign_id = $2 AND un.path LIKE $10 ESCAPE '\\' \
             AND NOT EXISTS (SELECT 1 FROM acknowledgements a WHERE a.tenant_id = t.tenant_id \
             AND a.campaign_id = t.campaign_id AND a.employee_id = t.employee_id AND a.version = $3)",
            email_state(9)
        )),
        tenant,
        campaign,
        version,
        n.kind,
        n.title,
        n.body,
        n.link,
        now_ms(),
        email,
        format!("{}%", like_escape(scope))
    )?)
}

/// A user's newest notifications.
pub async fn list(
    c: &mut Conn,
    tenant: i64,
    user: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    Ok(fetch_all!(
        c,
        NotificationRow,
        "SELECT id, kind, title, body, link, created_at, read_at FROM notifications \
         WHERE tenant_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT $3",
        tenant,
        user,
        limit
    )?)
}

pub async fn unread(c: &mut Conn, tenant: i64, user: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE tenant_id = $1 AND user_id = $2 \
         AND read_at IS NULL",
        tenant,
        user
    )?)
}

/// Marks one of the user's notifications read (`all`: every one); yields how many changed.
pub async fn mark_read(c: &mut Conn, tenant: i64, user: i64, id: Option<i64>) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND user_id = $3 \
         AND read_at IS NULL AND ($4 = -1 OR id = $4)",
        now_ms(),
        tenant,
        user,
        id.unwrap_or(-1)
    )?)
}

pub async fn owned(c: &mut Conn, tenant: i64, user: i64, id: i64) -> Result<bool> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT id FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
        tenant,
        user,
        id
    )?
    .is_some())
}

pub async fn set_email_mode(c: &mut Conn, tenant: i64, user: i64, mode: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE users SET email_mode = $1 WHERE tenant_id = $2 AND id = $3",
        mode,
        tenant,
        user
    )?)
}

pub async fn email_mode(c: &mut Conn, tenant: i64, user: i64) -> Result<String> {
    Ok(fetch_scalar!(
        c,
        String,
        "SELECT email_mode FROM users WHERE tenant_id = $1 AND id = $2",
        tenant,
        user
    )?)
}

/// A notification waiting in the outbox, with where it goes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub tenant_id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    /// The linked employee's address; none → nothing to send.
    pub address: Option<String>,
    pub name: String,
    pub tenant_name: String,
    /// The recipient's language (`id`, `en`, or none: Indonesian).
    pub locale: Option<String>,
}

/// Claims up to `limit` of the oldest notifications waiting in one outbox state (`instant` or
/// `digest`) for `owner` until `lease_until`, with those of that state whose earlier claim ran
/// out (a server died while sending); yields them. A row is claimed by one server only.
pub async fn claim_outbox(
    c: &mut Conn,
    state: &str,
    owner: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    // An owner is "<state>:<random>", so a run-out claim goes back to the state it came from.
    let stale = format!("{state}:%");
    execute!(
        c,
        "UPDATE notifications SET email = 'sending', email_owner = $1, email_lease = $2 \
         WHERE id IN (SELECT id FROM notifications WHERE email = $3 \
         OR (email = 'sending' AND email_owner LIKE $5 AND email_lease < $4) ORDER BY id LIMIT $6) \
         AND (email = $3 OR (email = 'sending' AND email_lease < $4))",
        owner,
        lease_until,
        state,
        now,
        stale,
        limit
    )?;
    Ok(fetch_all!(
        c,
        OutboxRow,
        "SELECT n.id, n.kind, n.tenant_id, n.user_id, n.title, n.body, n.link, n.created_at, \
         e.email AS address, COALESCE(e.name, u.username) AS name, t.name AS tenant_name, u.locale \
         FROM notifications n JOIN users u ON u.tenant_id = n.tenant_id AND u.id = n.user_id \
         JOIN tenants t ON t.id = n.tenant_id \
         LEFT JOIN employees e ON e.tenant_id = u.tenant_id AND e.id = u.employee_id \
         WHERE n.email = 'sending' AND n.email_owner = $1 ORDER BY n.id",
        owner
    )?)
}

/// Ends a claim: the rows `owner` holds among `ids` go to `to` (`sent`, `failed`, or back to
/// the state they were claimed from).
pub async fn release_outbox(c: &mut Conn, ids: &[i64], owner: &str, to: &str) -> Result<u64> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        // The ids are integers we read ourselves; nothing of a user's reaches the text.
        n += execute!(
            c,
            sqlx::AssertSqlSafe(format!(
                "UPDATE notifications SET email = $1, email_owner = NULL, email_lease = NULL \
                 WHERE email = 'sending' AND email_owner = $2 AND id IN ({list})"
            )),
            to,
            owner
        )?;
    }
    Ok(n)
}

/// A user's waiting e-mail is dropped (they chose none): the notices stay in the inbox.
pub async fn drop_waiting_email(c: &mut Conn, tenant: i64, user: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE notifications SET email = NULL WHERE tenant_id = $1 AND user_id = $2 \
         AND email IN ('instant', 'digest')",
        tenant,
        user
    )?)
}

/// Where one of the user's notifications points.
pub async fn link_of(c: &mut Conn, tenant: i64, user: i64, id: i64) -> Result<Option<String>> {
    Ok(fetch_optional!(
        c,
        (String,),
        "SELECT link FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
        tenant,
        user,
        id
    )?
    .map(|r| r.0))
}

// ---- jobs ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub tenant_id: i64,
    pub kind: String,
    pub subject: i64,
    pub run_at: i64,
    pub attempts: i64,
}

/// Schedules a job; the same kind, subject and time is scheduled once.
pub async fn schedule(
    c: &mut Conn,
    tenant: i64,
    kind: &str,
    subject: i64,
    run_at: i64,
) -> Result<u64> {
    Ok(execute!(
        c,
        "INSERT INTO jobs (tenant_id, kind, subject, run_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, kind, subject, run_at) DO NOTHING",
        tenant,
        kind,
        subject,
        run_at
    )?)
}

/// Jobs due at `now`: pending, or running with a lease that ran out (their server died).
pub async fn due(c: &mut Conn, now: i64, limit: i64) -> Result<Vec<JobRow>> {
    Ok(fetch_all!(
        c,
        JobRow,
        "SELECT id, tenant_id, kind, subject, run_at, attempts FROM jobs \
         WHERE (state = 'pending' AND run_at <= $1) OR (state = 'running' AND lease_until < $1) \
         ORDER BY run_at, id LIMIT $2",
        now,
        limit
    )?)
}

/// Claims a due job for `lease_ms`; `false` when another server got it first.
/// Claims a due job until `lease_until`; `false` when another server got it first.
pub async fn claim(c: &mut Conn, id: i64, now: i64, lease_until: i64) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE jobs SET state = 'running', lease_until = $1, attempts = attempts + 1 \
         WHERE id = $2 AND ((state = 'pending' AND run_at <= $3) OR (state = 'running' AND lease_until < $3))",
        lease_until,
        id,
        now
    )? == 1)
}

/// Marks a job done, if this server still holds its lease (`lease_until` as claimed); `false`
/// when the lease was lost (the caller rolls its work back, the new holder does it).
pub async fn finish(c: &mut Conn, id: i64, lease_until: i64) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE jobs SET state = 'done', done_at = $1, lease_until = NULL WHERE id = $2 \
         AND state = 'running' AND lease_until = $3",
        now_ms(),
        id,
        lease_until
    )? == 1)
}

/// Puts a failed job (still held under `lease_until`) back to run again at `retry_at`, or gives
/// up on it (`state = 'failed'`).
pub async fn fail(
    c: &mut Conn,
    id: i64,
    lease_until: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE jobs SET state = $1, run_at = COALESCE($2, run_at), lease_until = NULL, \
         last_error = $3 WHERE id = $4 AND state = 'running' AND lease_until = $5",
        if retry_at.is_some() {
            "pending"
        } else {
            "failed"
        },
        retry_at,
        error,
        id,
        lease_until
    )?)
}

/// Marks read the user's notifications that point to `link` (done with once acted on).
pub async fn read_link(c: &mut Conn, tenant: i64, user: i64, link: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND user_id = $3 \
         AND link = $4 AND read_at IS NULL",
        now_ms(),
        tenant,
        user,
        link
    )?)
}

/// Deletes the pending jobs of a kind and subject (a chain restarted elsewhere), so that the
/// restart may schedule the same time again.
pub async fn cancel_pending(c: &mut Conn, tenant: i64, kind: &str, subject: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "DELETE FROM jobs WHERE tenant_id = $1 AND kind = $2 AND subject = $3 AND state = 'pending'",
        tenant,
        kind,
        subject
    )?)
}
