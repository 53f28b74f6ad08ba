//! What readiness remembers (docs/domain.md#readiness): crisis certifications that expire soon
//! and their reminders, the daily job, the monthly snapshots and the trend drawn from them.

use cakap_domain::kecamatan::ACEH_BARAT_DAYA;
use cakap_store::readiness as store;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Board, Inputs, READERS, parse_hazard};
use crate::{Actor, Db, ServiceResult};

/// How far ahead expiring certifications are listed.
pub const EXPIRY_WINDOW_DAYS: u64 = 60;
/// Reminder stages: days before expiry.
pub const REMINDER_STAGES: [u64; 2] = [60, 14];

/// A crisis certification that expires soon.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Certification {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub competency: String,
    pub competency_name: String,
    pub level: i64,
    pub valid_until: String,
}

/// Crisis certifications expiring within 60 days, under the actor's scope, soonest first
/// (at most `limit`).
pub async fn expiring(db: &Db, actor: &Actor, limit: i64) -> ServiceResult<Vec<Certification>> {
    actor.require_any(READERS)?;
    let today = crate::wib::today();
    let mut c = db.conn().await?;
    Ok(store::expiring(
        &mut c,
        actor.tenant_id,
        &actor.unit_scope(),
        &ymd(today),
        &ymd(today + chrono::Days::new(EXPIRY_WINDOW_DAYS)),
        limit,
    )
    .await?
    .into_iter()
    .map(|r| Certification {
        nip: r.nip,
        name: r.name,
        unit: r.unit_name,
        competency: r.competency_code,
        competency_name: r.competency_name,
        level: r.level,
        valid_until: r.valid_until,
    })
    .collect())
}

pub(crate) fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The job kind of the daily readiness work (tenant 0: every tenant).
pub const DAILY_JOB: &str = "readiness_daily";
const DAILY_HOUR: u32 = 6;

/// The daily work, for every tenant with a target table: reminds holders of certifications
/// entering a reminder stage (once per stage) and stores this month's readiness snapshot.
/// Each tenant is its own transaction, its readiness computed before it starts writing; the
/// job runner calls this before opening the job's own transaction (which only reschedules
/// and finishes the job), so no write lock is held twice. A run cut short is simply run
/// again: reminders are claimed once, snapshots overwritten.
pub(crate) async fn run_daily(db: &Db, run_at: i64, email: bool) -> ServiceResult<()> {
    let today = crate::wib::of(run_at).date_naive();
    let tenants = {
        let mut r = db.conn().await?;
        store::tenants_with_targets(&mut r).await?
    };
    for tenant in tenants {
        // One regency's trouble does not stop the others' reminders.
        if let Err(e) = daily_for(db, tenant, today, email).await {
            tracing::warn!(tenant, error = %e, "readiness daily work failed for a tenant");
        }
    }
    Ok(())
}

async fn daily_for(db: &Db, tenant: i64, today: NaiveDate, email: bool) -> ServiceResult<()> {
    let board = Inputs::load(db, tenant, today, true, &[]).await?.board();
    let mut w = db.begin().await?;
    remind_expiring(&mut w, tenant, today, email).await?;
    store_snapshot(&mut w, tenant, &today.format("%Y-%m").to_string(), &board).await?;
    w.commit().await?;
    Ok(())
}

async fn remind_expiring(
    c: &mut cakap_store::Conn,
    tenant: i64,
    today: NaiveDate,
    email: bool,
) -> ServiceResult<()> {
    for stage in REMINDER_STAGES {
        let rows = store::expiring(
            c,
            tenant,
            "",
            &ymd(today),
            &ymd(today + chrono::Days::new(stage)),
            10_000,
        )
        .await?;
        for r in store::claim_reminders(c, tenant, &rows, stage as i64).await? {
            cakap_store::notifications::insert_for_employees(
                c,
                tenant,
                &[r.employee_id],
                &cakap_store::notifications::NewNotification {
                    kind: "cert_expiry",
                    title: &format!(
                        "{} {} (level {})",
                        r.competency_code, r.competency_name, r.level
                    ),
                    body: &format!("until:{}", r.valid_until),
                    link: "/kesiapsiagaan/saya",
                },
                email,
            )
            .await?;
        }
    }
    Ok(())
}

pub(crate) async fn store_snapshot(
    c: &mut cakap_store::Conn,
    tenant: i64,
    month: &str,
    board: &Board,
) -> ServiceResult<()> {
    for h in &board.hazards {
        for k in &h.kecamatan {
            if let Some(r) = k.readiness {
                store::put_snapshot(c, tenant, month, &h.hazard, &k.code, r).await?;
            }
        }
    }
    Ok(())
}

/// Schedules the next daily run after `after`, at 06:00 WIB, once whatever server asks.
pub async fn schedule_daily(c: &mut cakap_store::Conn, after: i64) -> ServiceResult<()> {
    let day = crate::wib::of(after).date_naive();
    let mut at = crate::wib::at(day, DAILY_HOUR);
    if at <= after {
        at = crate::wib::at(day.succ_opt().unwrap_or(day), DAILY_HOUR);
    }
    cakap_store::notifications::schedule(c, 0, DAILY_JOB, 0, at).await?;
    Ok(())
}

/// Readiness of one hazard month by month (the last 12 months), per kecamatan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Trend {
    pub months: Vec<String>,
    /// (kecamatan code, name, readiness per month — null where none was stored).
    pub kecamatan: Vec<(String, String, Vec<Option<f64>>)>,
}

pub async fn trend(db: &Db, actor: &Actor, hazard: &str) -> ServiceResult<Trend> {
    actor.require_any(READERS)?;
    let hazard = parse_hazard(hazard)?;
    let today = crate::wib::today();
    let months: Vec<String> = (0..12)
        .rev()
        .filter_map(|back| today.checked_sub_months(chrono::Months::new(back)))
        .map(|d| d.format("%Y-%m").to_string())
        .collect();
    let mut c = db.conn().await?;
    let rows = store::snapshots(&mut c, actor.tenant_id, hazard.as_str(), &months[0]).await?;
    let kecamatan = ACEH_BARAT_DAYA
        .iter()
        .filter(|k| hazard.exposes(k.code))
        .map(|k| {
            let series = months
                .iter()
                .map(|m| {
                    rows.iter()
                        .find(|r| &r.month == m && r.kecamatan == k.code)
                        .map(|r| r.readiness)
                })
                .collect();
            (k.code.to_string(), k.name.to_string(), series)
        })
        .collect();
    Ok(Trend { months, kecamatan })
}

/// Stores snapshots for the months before this one, each as of its last day (the demo, and
/// an operator after first setting targets): who was away then is not known, so everyone
/// counts as available.
pub async fn backfill(db: &Db, tenant: i64, months: u32) -> ServiceResult<()> {
    let today = crate::wib::today();
    let first = today.with_day0(0).unwrap_or(today);
    let mut c = db.begin().await?;
    for back in 1..=months {
        let Some(start) = first.checked_sub_months(chrono::Months::new(back)) else {
            continue;
        };
        let end = start
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        let inputs = Inputs::load(db, tenant, end, false, &[]).await?;
        store_snapshot(
            &mut c,
            tenant,
            &start.format("%Y-%m").to_string(),
            &inputs.board(),
        )
        .await?;
    }
    let inputs = Inputs::load(db, tenant, today, true, &[]).await?;
    store_snapshot(
        &mut c,
        tenant,
        &today.format("%Y-%m").to_string(),
        &inputs.board(),
    )
    .await?;
    c.commit().await?;
    Ok(())
}
