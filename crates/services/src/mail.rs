//! E-mail through SMTP (`CAKAP_SMTP_URL`, e.g. `smtp://relay.local:25`; docs/operations.md#e-mail).
//! None configured → notifications stay in-app only. The mailer sends what the outbox holds
//! (`notifications.email`): instant ones on every tick of the job runner, digests once a day.

use std::sync::{Arc, RwLock};

use cakap_store::notifications::{self as store, OutboxRow};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::{Db, ServiceError, ServiceResult};

/// The configured mailer of a server, kept beside its database handle.
#[derive(Default)]
pub struct Outbox {
    mailer: RwLock<Option<Arc<Mailer>>>,
}

struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The server's public address, for links in messages.
    base_url: String,
}

/// Turns e-mail on for this server: `url` is `smtp://[user:pass@]host[:port]`, `from` the
/// sender, `base_url` what links in messages start with.
pub fn configure(db: &Db, url: &str, from: &str, base_url: &str) -> ServiceResult<()> {
    let relay = Relay::parse(url)
        .ok_or_else(|| ServiceError::Internal(format!("CAKAP_SMTP_URL: {}", Relay::EXPECTED)))?;
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host)
        .port(relay.port)
        .timeout(Some(std::time::Duration::from_secs(20)));
    if let Some((user, pass)) = relay.credentials {
        builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
            user, pass,
        ));
    }
    let transport = builder.build();
    let from: Mailbox = from
        .parse()
        .map_err(|e| ServiceError::Internal(format!("CAKAP_MAIL_FROM: {e}")))?;
    let outbox = db.extension::<Outbox>();
    *outbox
        .mailer
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(Mailer {
        transport,
        from,
        base_url: base_url.trim_end_matches('/').to_string(),
    }));
    Ok(())
}

/// Where the relay is: `smtp://[user:pass@]host[:port]` (port 25 by default). Plain SMTP to
/// the regency's own relay, which does the delivery onwards.
#[derive(Debug, PartialEq, Eq)]
struct Relay {
    host: String,
    port: u16,
    credentials: Option<(String, String)>,
}

impl Relay {
    const EXPECTED: &'static str = "expected smtp://[user:pass@]host[:port]";

    fn parse(url: &str) -> Option<Relay> {
        let rest = url.trim().strip_prefix("smtp://")?.trim_end_matches('/');
        let (credentials, hostport) = match rest.rsplit_once('@') {
            Some((auth, hp)) => {
                let (u, p) = auth.split_once(':')?;
                (Some((u.to_string(), p.to_string())), hp)
            }
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().ok()?),
            None => (hostport, 25),
        };
        if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
            return None;
        }
        Some(Relay {
            host: host.to_string(),
            port,
            credentials,
        })
    }
}

fn mailer(db: &Db) -> Option<Arc<Mailer>> {
    db.extension::<Outbox>()
        .mailer
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Whether this server sends e-mail (new notifications then wait in the outbox).
pub fn enabled(db: &Db) -> bool {
    mailer(db).is_some()
}

/// What a kind of notification is called in a message, in the recipient's language
/// (`en` when their account says so; Indonesian otherwise).
pub fn kind_label(kind: &str, en: bool) -> &'static str {
    match (kind, en) {
        ("campaign", false) => "Peraturan baru untuk dibaca dan dikonfirmasi",
        ("campaign", true) => "A new regulation to read and acknowledge",
        ("reminder", false) => "Pengingat: peraturan menunggu konfirmasi Anda",
        ("reminder", true) => "Reminder: a regulation awaits your acknowledgement",
        ("overdue", false) => "Terlambat: peraturan belum Anda konfirmasi",
        ("overdue", true) => "Overdue: a regulation you have not acknowledged",
        ("amended", false) => "Peraturan diubah: mohon baca dan konfirmasi lagi",
        ("amended", true) => "Regulation amended: please read and acknowledge again",
        ("callout", false) => "Panggilan tugas tanggap darurat: mohon jawab siap atau tidak bisa",
        ("callout", true) => "Emergency call-out: please answer ready or cannot come",
        ("cert_expiry", false) => "Sertifikasi kebencanaan Anda segera habis masa berlakunya",
        ("cert_expiry", true) => "Your disaster-response certification expires soon",
        (_, false) => "Pemberitahuan",
        (_, true) => "Notification",
    }
}

/// "due:2026-12-13" → "Batas waktu: 2026-12-13" (or "Due: …").
fn body_line(body: &str, en: bool) -> String {
    match (body.strip_prefix("due:"), body.strip_prefix("until:"), en) {
        (Some(d), _, false) => format!("Batas waktu: {d}"),
        (Some(d), _, true) => format!("Due: {d}"),
        (_, Some(d), false) => format!("Berlaku sampai: {d}"),
        (_, Some(d), true) => format!("Valid until: {d}"),
        _ => body.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// How long a server holds the messages it claimed before another may send them.
const SEND_LEASE_MS: i64 = 10 * 60 * 1000;

/// A claim's owner: the state it claimed from and a random part, so two servers never mistake
/// each other's claims (and a run-out claim is known by its state).
fn owner(state: &str) -> String {
    let mut bytes = [0u8; 12];
    let _ = getrandom::fill(&mut bytes);
    format!("{state}:{}", crate::auth::hex(&bytes))
}

/// Claims up to `limit` rows of the outbox in `state` for this server.
async fn claim(db: &Db, state: &str, owner: &str, limit: i64) -> ServiceResult<Vec<OutboxRow>> {
    let now = cakap_store::now_ms();
    let mut c = db.conn().await?;
    Ok(store::claim_outbox(&mut c, state, owner, now, now + SEND_LEASE_MS, limit).await?)
}

async fn release(db: &Db, ids: &[i64], owner: &str, to: &str) -> ServiceResult<()> {
    let mut c = db.conn().await?;
    store::release_outbox(&mut c, ids, owner, to).await?;
    Ok(())
}

/// Sends the instant notifications waiting in the outbox; yields how many went. Each server
/// claims the rows it sends first, so with several servers a message goes once. A message the
/// server refuses for good is marked `failed`; a connection failure puts the rest back for the
/// next tick.
pub async fn flush(db: &Db) -> ServiceResult<usize> {
    let Some(m) = mailer(db) else {
        return Ok(0);
    };
    let me = owner("instant");
    let mut sent = 0;
    loop {
        let rows = claim(db, "instant", &me, 100).await?;
        if rows.is_empty() {
            return Ok(sent);
        }
        let mut done = Vec::new();
        let mut refused = Vec::new();
        let mut down = None;
        for r in &rows {
            let en = r.locale.as_deref() == Some("en");
            let text = format!(
                "{}\n\n{}\n{}\n\n{}{}\n\n-- \nCakap · {}\n",
                kind_label(&r.kind, en),
                one_line(&r.title),
                body_line(&r.body, en),
                m.base_url,
                r.link,
                one_line(&r.tenant_name)
            );
            let subject = format!("[Cakap] {}", one_line(&r.title));
            match send(&m, r, &subject, text).await {
                Outcome::Sent => done.push(r.id),
                Outcome::Refused => refused.push(r.id),
                Outcome::Down(e) => {
                    down = Some(e);
                    break;
                }
            }
        }
        release(db, &done, &me, "sent").await?;
        release(db, &refused, &me, "failed").await?;
        sent += done.len();
        if let Some(e) = down {
            let rest: Vec<i64> = rows.iter().map(|r| r.id).collect();
            release(db, &rest, &me, "instant").await?;
            tracing::warn!(error = %e, "smtp unavailable; instant e-mail waits");
            return Ok(sent);
        }
    }
}

/// Sends each person one message with every digest notification waiting for them (claimed
/// first, like [`flush`]); yields how many messages went.
pub async fn digest(db: &Db) -> ServiceResult<usize> {
    let Some(m) = mailer(db) else {
        return Ok(0);
    };
    let me = owner("digest");
    let rows = claim(db, "digest", &me, 200_000).await?;
    let mut by_user: std::collections::HashMap<i64, Vec<&OutboxRow>> = Default::default();
    let mut order = Vec::new();
    for r in &rows {
        let list = by_user.entry(r.user_id).or_default();
        if list.is_empty() {
            order.push(r.user_id);
        }
        list.push(r);
    }
    let mut sent = 0;
    for user in order {
        let list = &by_user[&user];
        let first = list[0];
        let en = first.locale.as_deref() == Some("en");
        let (head, subject) = if en {
            ("Cakap daily digest", "Daily digest")
        } else {
            ("Ringkasan harian Cakap", "Ringkasan harian")
        };
        let word = if en { "notifications" } else { "pemberitahuan" };
        let mut text = format!("{head}: {} {word}\n\n", list.len());
        for r in list {
            text.push_str(&format!(
                "- {}: {}\n  {}\n  {}{}\n",
                kind_label(&r.kind, en),
                one_line(&r.title),
                body_line(&r.body, en),
                m.base_url,
                r.link
            ));
        }
        text.push_str(&format!(
            "\n-- \nCakap · {}\n",
            one_line(&first.tenant_name)
        ));
        let subject = format!("[Cakap] {subject}: {} {word}", list.len());
        let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
        match send(&m, first, &subject, text).await {
            Outcome::Sent => {
                release(db, &ids, &me, "sent").await?;
                sent += 1;
            }
            Outcome::Refused => release(db, &ids, &me, "failed").await?,
            Outcome::Down(e) => {
                tracing::warn!(error = %e, "smtp unavailable; the digest waits for the next day");
                let rest: Vec<i64> = rows.iter().map(|r| r.id).collect();
                release(db, &rest, &me, "digest").await?;
                return Ok(sent);
            }
        }
    }
    Ok(sent)
}

enum Outcome {
    Sent,
    /// The address or the message was refused for good (or there is no address).
    Refused,
    /// The server could not be reached: try again later.
    Down(String),
}

async fn send(m: &Mailer, r: &OutboxRow, subject: &str, text: String) -> Outcome {
    let Some(to) = r
        .address
        .as_deref()
        .and_then(|a| a.parse::<lettre::Address>().ok())
    else {
        return Outcome::Refused;
    };
    let message = Message::builder()
        .from(m.from.clone())
        .to(Mailbox::new(Some(one_line(&r.name)), to))
        .subject(subject)
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(text);
    let Ok(message) = message else {
        return Outcome::Refused;
    };
    match m.transport.send(message).await {
        Ok(_) => Outcome::Sent,
        Err(e) if e.is_permanent() => Outcome::Refused,
        Err(e) => Outcome::Down(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_urls() {
        let r = |host: &str, port, creds: Option<(&str, &str)>| Relay {
            host: host.into(),
            port,
            credentials: creds.map(|(u, p)| (u.into(), p.into())),
        };
        let cases = [
            ("smtp://relay.local", Some(r("relay.local", 25, None))),
            ("smtp://127.0.0.1:2525/", Some(r("127.0.0.1", 2525, None))),
            (
                "smtp://cakap:rahasia@mail.abdya.go.id:587",
                Some(r("mail.abdya.go.id", 587, Some(("cakap", "rahasia")))),
            ),
            ("smtps://mail.abdya.go.id", None),
            ("smtp://", None),
            ("smtp://host:port", None),
            ("http://host", None),
        ];
        for (url, want) in cases {
            assert_eq!(Relay::parse(url), want, "{url}");
        }
    }
}
