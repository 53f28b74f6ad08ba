//! Stored Job-Person Match ("standings", docs/architecture.md#standings): each person's JPM of
//! a year as the gap engine computes it (on 31 December, or today for this year), kept in
//! `jpm_standings` so that a view over 100,000 people reads 100,000 numbers instead of running
//! the engine over 800,000 assessment results.
//!
//! Every change that can alter a JPM moves the tenant's counter inside its own transaction
//! ([`touch`]); a year's standings are fresh while they were computed at the counter's value and
//! for the day asked. After such a change, and when a view finds one stale, the tenant's stale
//! recent years (this year and last) are refreshed in the background (one task per tenant and
//! server), writing only the rows that changed and then clearing the caches built on them
//! ([`Topic::Standings`]); meanwhile views read what is stored. A year never computed, or an
//! older year after a change, is computed when viewed. One refresh runs at a time per server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cakap_store::Conn;
use cakap_store::standings as store;

use crate::cache::{self, Topic};
use crate::{Db, ServiceResult};

/// The topics whose changes can alter someone's JPM.
const COMPETENCE: &[Topic] = &[
    Topic::People,
    Topic::Units,
    Topic::Standards,
    Topic::Competencies,
    Topic::Assessments,
];

/// Inside a change's transaction: moves the tenant's counter when `topics` can alter a JPM.
pub async fn touch(c: &mut Conn, tenant: i64, topics: &[Topic]) -> ServiceResult<()> {
    if topics.iter().any(|t| COMPETENCE.contains(t)) {
        store::bump(c, tenant).await?;
    }
    Ok(())
}

/// A year's stored JPM of the people in a scope.
pub struct Stored {
    /// JPM by NIP, for those whose position has a standard.
    pub jpm: HashMap<String, f64>,
    /// When they were computed (Unix ms).
    pub computed_at: i64,
}

/// The year whose standings stand for `year`: a later year is counted as of today, exactly as
/// this year (one stored copy, not one per future year asked).
fn stored_year(year: i64) -> i64 {
    year.min(this_year())
}

/// This year in WIB, as [`day_of`] counts days.
fn this_year() -> i64 {
    i64::from(chrono::Datelike::year(&crate::wib::today()))
}

/// The years a change refreshes in the background (this year and last); an older year is
/// refreshed when viewed.
fn recent(year: i64) -> bool {
    (this_year() - 1..=this_year()).contains(&year)
}

fn day_of(year: i64) -> String {
    crate::validate::year_end_or_today(year)
        .format("%Y-%m-%d")
        .to_string()
}

/// The year's stored JPM of the active people under `scope` ('' for all). Fresh: as stored.
/// Stale and recent (this year or last): as stored, while the background task refreshes it.
/// Never computed, or an older year after a change: computed now.
pub async fn read(db: &Db, tenant: i64, year: i64, scope: &str) -> ServiceResult<Stored> {
    let year = stored_year(year);
    let day = day_of(year);
    let (generation, state) = {
        let mut c = db.conn().await?;
        let g = store::generation(&mut c, tenant).await?;
        (g, store::state(&mut c, tenant, year).await?)
    };
    let computed_at = match state {
        Some(s) if s.generation == generation && s.day == day => s.computed_at,
        Some(s) if recent(year) => {
            spawn_refresh(db, tenant);
            s.computed_at
        }
        _ => refresh(db, tenant, year).await?,
    };
    let mut c = db.conn().await?;
    let jpm = store::by_nip(&mut c, tenant, year, scope)
        .await?
        .into_iter()
        .map(|s| (s.nip, s.jpm))
        .collect();
    Ok(Stored { jpm, computed_at })
}

/// Recomputes the year's standings from the gap engine and writes the rows that changed;
/// yields when they were computed (Unix ms). The counter is read before the engine reads
/// anything, so a change committed meanwhile leaves the year stale for the next refresh.
pub async fn refresh(db: &Db, tenant: i64, year: i64) -> ServiceResult<i64> {
    // One refresh at a time on this server, whatever the tenant: each runs the gap engine over
    // a whole regency, and two of one year would only write the same rows.
    let gate = db.extension::<Gate>();
    let _turn = gate.0.acquire().await;
    let day = day_of(year);
    let (generation, before) = {
        let mut c = db.conn().await?;
        let g = store::generation(&mut c, tenant).await?;
        (g, store::state(&mut c, tenant, year).await?)
    };
    // Refreshed while this one waited for its turn: nothing to do.
    if let Some(s) = &before
        && s.generation == generation
        && s.day == day
    {
        return Ok(s.computed_at);
    }
    let gaps = crate::gaps::read_and_compute(db, tenant, "", None, &day).await?;
    let new: HashMap<i64, f64> = gaps
        .people
        .iter()
        .filter_map(|p| Some((p.id, p.jpm?)))
        .collect();
    let mut c = db.begin().await?;
    // The state row first (made if missing, held until commit on PostgreSQL): another
    // server's refresh that read a later counter has written newer figures, which this one
    // must not replace — but this server's caches may hold older ones.
    store::lock_state(&mut c, tenant, year).await?;
    if let Some(s) = store::state(&mut c, tenant, year).await?
        && s.generation > generation
    {
        drop(c);
        cache::changed(db, tenant, &[Topic::Standings]);
        return Ok(s.computed_at);
    }
    let old: HashMap<i64, f64> = store::of_year(&mut c, tenant, year)
        .await?
        .into_iter()
        .map(|s| (s.employee_id, s.jpm))
        .collect();
    // In employee order, so that two writers take row locks in the same order.
    let mut changed: Vec<store::Standing> = new
        .iter()
        .filter(|(id, jpm)| old.get(id) != Some(jpm))
        .map(|(&employee_id, &jpm)| store::Standing { employee_id, jpm })
        .collect();
    changed.sort_by_key(|s| s.employee_id);
    let mut gone: Vec<i64> = old
        .keys()
        .filter(|id| !new.contains_key(id))
        .copied()
        .collect();
    gone.sort_unstable();
    store::upsert(&mut c, tenant, year, &changed).await?;
    store::delete(&mut c, tenant, year, &gone).await?;
    let at = cakap_store::now_ms();
    store::save_state(&mut c, tenant, year, &day, generation, at).await?;
    c.commit().await?;
    tracing::debug!(
        tenant,
        year,
        changed = changed.len(),
        gone = gone.len(),
        "standings refreshed"
    );
    // Caches built on the stored figures, when there were any and they moved (a first
    // computation inside a cache fill must not throw that fill's answer away).
    if before.is_some() && !(changed.is_empty() && gone.is_empty()) {
        cache::changed(db, tenant, &[Topic::Standings]);
    }
    Ok(at)
}

/// One refresh at a time on this server.
struct Gate(tokio::sync::Semaphore);

impl Default for Gate {
    fn default() -> Gate {
        Gate(tokio::sync::Semaphore::new(1))
    }
}

/// The tenants whose stale years this server is refreshing, each with "changed again since".
#[derive(Default)]
struct Running(Mutex<HashMap<i64, bool>>);

/// Removes a tenant from [`Running`] when its task ends by a panic (a task that ends normally
/// removes it itself, under the same lock that tells it no change came meanwhile).
struct Done(Arc<Running>, i64);

impl Drop for Done {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&self.1);
        }
    }
}

/// After a change that can alter a JPM (committed): refreshes the tenant's stale years in the
/// background, so the next visitor reads fresh standings instead of waiting for them.
pub(crate) fn changed(db: &Db, tenant: i64, topics: &[Topic]) {
    if topics.iter().any(|t| COMPETENCE.contains(t)) {
        spawn_refresh(db, tenant);
    }
}

/// Refreshes the tenant's stale recent years in the background: one task per tenant on this
/// server, which goes round again when a change came while it ran.
fn spawn_refresh(db: &Db, tenant: i64) {
    let running = db.extension::<Running>();
    {
        let mut map = running
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(again) = map.get_mut(&tenant) {
            *again = true;
            return;
        }
        map.insert(tenant, false);
    }
    let db = db.clone();
    tokio::spawn(async move {
        let _done = Done(running.clone(), tenant);
        loop {
            refresh_stale(&db, tenant).await;
            let mut map = running
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match map.get_mut(&tenant) {
                Some(again) if *again => *again = false,
                _ => {
                    map.remove(&tenant);
                    return;
                }
            }
        }
    });
}

/// Refreshes the tenant's recent years whose standings are stale (a change since, or another
/// day); a failure is logged and the next year tried (retried at the next change or view).
async fn refresh_stale(db: &Db, tenant: i64) {
    let stale = async {
        let mut c = db.conn().await?;
        let g = store::generation(&mut c, tenant).await?;
        let states = store::states(&mut c, tenant).await?;
        Ok::<_, crate::ServiceError>(
            states
                .into_iter()
                .filter(|s| recent(s.year) && (s.generation != g || s.day != day_of(s.year)))
                .map(|s| s.year)
                .collect::<Vec<i64>>(),
        )
    };
    let years = match stale.await {
        Ok(years) => years,
        Err(e) => {
            tracing::warn!(tenant, error = %e, "standings: could not read their state");
            return;
        }
    };
    for year in years {
        if let Err(e) = refresh(db, tenant, year).await {
            tracing::warn!(tenant, year, error = %e, "standings refresh failed; retried at the next change or view");
        }
    }
}

/// Whether this server is refreshing the tenant's stored JPM now (the caches' background
/// refresh waits for it: its end clears `Topic::Standings`).
pub(crate) fn refreshing(db: &Db, tenant: i64) -> bool {
    db.extension::<Running>()
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains_key(&tenant)
}

/// Waits for this server's background refreshes (tests).
pub async fn settle(db: &Db) {
    let running = db.extension::<Running>();
    loop {
        let idle = running
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_empty();
        if idle {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
