//! Work that must happen later, once, whichever server runs it (docs/architecture.md#jobs):
//! campaign reminders and the daily e-mail digest live as rows of the `jobs` table, so they
//! survive restarts. A server claims a due job with a lease (one UPDATE; the loser changes
//! nothing), does its work and marks it done in one transaction that also checks the lease
//! is still its own — so a job's work is committed once, even with several servers.

use std::time::Duration;

use cakap_store::notifications as store;

use crate::{Db, ServiceResult};

/// How long a claimed job is a server's before another may take it over.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// Tries before a failing job is given up (and left `failed` for an operator to see).
const MAX_ATTEMPTS: i64 = 5;
/// The daily digest's job kind (tenant 0: it covers every tenant).
pub const DIGEST_JOB: &str = "email_digest";
/// Digests go out at this hour, WIB.
const DIGEST_HOUR: u32 = 7;

/// Runs the jobs due at `now` (Unix ms); yields how many ran. The server's loop calls it
/// every tick; tests call it with a time of their choosing.
pub async fn run_due(db: &Db, now: i64) -> ServiceResult<usize> {
    let due = {
        let mut c = db.conn().await?;
        store::due(&mut c, now, 200).await?
    };
    let mut ran = 0;
    let mut digest = false;
    for job in due {
        // The lease counts from the claim itself, not from the start of the batch; `now`
        // (the caller's clock) only decides what is due.
        let lease = now.max(cakap_store::now_ms()) + LEASE_MS;
        {
            let mut c = db.conn().await?;
            if !store::claim(&mut c, job.id, now, lease).await? {
                continue; // another server has it
            }
        }
        match run_one(db, &job, lease).await {
            Ok(true) => {
                ran += 1;
                digest |= job.kind == DIGEST_JOB;
            }
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
                let retry = (job.attempts + 1 < MAX_ATTEMPTS).then_some(now + 5 * 60 * 1000);
                let mut c = db.conn().await?;
                store::fail(&mut c, job.id, lease, &e.to_string(), retry).await?;
            }
        }
    }
    if digest {
        // After every claimed job is done: the digest may take long, and its job (with the
        // next day's) is committed already.
        crate::mail::digest(db).await?;
    }
    Ok(ran)
}

/// Does one claimed job's work and marks it done in one transaction; `false` when the lease
/// was lost meanwhile (nothing committed).
async fn run_one(db: &Db, job: &store::JobRow, lease: i64) -> ServiceResult<bool> {
    let email = crate::mail::enabled(db);
    if job.kind == crate::readiness::DAILY_JOB {
        // Its own transactions, one per tenant, before this job's (a second write
        // transaction inside this one would wait for its own lock on SQLite).
        crate::readiness::run_daily(db, job.run_at, email).await?;
    }
    if job.kind == crate::national::JOB
        && let Err(e) = crate::national::run_job(db).await
    {
        // Logged, not retried: the next hour's run (scheduled below) is the retry, and a
        // failing run must not end the hourly chain.
        tracing::warn!(error = %e, "national figures");
    }
    let mut c = db.begin().await?;
    match job.kind.as_str() {
        crate::regulations::campaigns::REMINDER_JOB => {
            crate::regulations::campaigns::run_reminder(
                &mut c,
                job.tenant_id,
                job.subject,
                job.run_at,
                email,
            )
            .await?;
        }
        crate::readiness::DAILY_JOB => {
            crate::readiness::schedule_daily(&mut c, job.run_at + 60_000).await?;
        }
        DIGEST_JOB => {
            schedule_digest(&mut c, job.run_at + 60_000).await?;
        }
        crate::national::JOB => {
            // From the run's time (the caller's clock, or the wall clock if later), not from
            // when it was due: after a long stop, one run, not one per hour missed.
            let after = job.run_at.max(lease - LEASE_MS);
            crate::national::schedule(&mut c, after + 60_000).await?;
        }
        other => tracing::warn!(kind = other, "unknown job kind; marked done"),
    }
    if !store::finish(&mut c, job.id, lease).await? {
        return Ok(false);
    }
    c.commit().await?;
    Ok(true)
}

/// Schedules the next digest after `after` (Unix ms), at 07:00 WIB, once whatever server asks.
async fn schedule_digest(c: &mut cakap_store::Conn, after: i64) -> ServiceResult<()> {
    let day = crate::wib::of(after).date_naive();
    let mut at = crate::wib::at(day, DIGEST_HOUR);
    if at <= after {
        at = crate::wib::at(day.succ_opt().unwrap_or(day), DIGEST_HOUR);
    }
    store::schedule(c, 0, DIGEST_JOB, 0, at).await?;
    Ok(())
}

/// The server's background loop: every `tick`, due jobs, then the instant e-mail.
pub fn spawn(db: Db, tick: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Ok(mut c) = db.conn().await
            && let Err(e) = schedule_digest(&mut c, cakap_store::now_ms()).await
        {
            tracing::warn!(error = %e, "could not schedule the digest");
        }
        if let Ok(mut c) = db.conn().await
            && let Err(e) = crate::readiness::schedule_daily(&mut c, cakap_store::now_ms()).await
        {
            tracing::warn!(error = %e, "could not schedule the readiness job");
        }
        // Only where a national super-tenant exists: a regency's server keeps no hourly rows.
        if let Ok(mut c) = db.conn().await
            && cakap_store::national::has_national(&mut c)
                .await
                .unwrap_or(false)
            && let Err(e) = crate::national::schedule(&mut c, cakap_store::now_ms()).await
        {
            tracing::warn!(error = %e, "could not schedule the national figures");
        }
        let mut every = tokio::time::interval(tick);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = run_due(&db, cakap_store::now_ms()).await {
                tracing::warn!(error = %e, "job runner");
            }
            if let Err(e) = crate::mail::flush(&db).await {
                tracing::warn!(error = %e, "mailer");
            }
        }
    })
}
