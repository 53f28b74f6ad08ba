//! Stored Job-Person Match ("standings", docs/architecture.md#standings): each person's JPM of
//! a year as the gap engine computes it (on 31 December, or today for this year), kept in
//! `jpm_standings` so that a view over 100,000 people reads 100,000 numbers instead of running
//! the engine over 800,000 assessment results.
//!
//! Every change that can alter a JPM moves the tenant's counter inside its own transaction
//! ([`touch`]); a year's standings are fresh while they were computed at the counter's value and
//! for the day asked. After such a change, and when a view finds a year stale, the tenant's
//! stale years are refreshed in the background (one task per tenant and server), writing only
//! the rows that changed and then clearing the caches built on them ([`Topic::Standings`]);
//! meanwhile views read what is stored. A year never computed is computed on first use.

use std::collections::HashMap;
use std::sync::Mutex;

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
    /// False: a change came after; a refresh is under way.
    pub fresh: bool,
}

fn day_of(year: i64) -> String {
    crate::validate::year_end_or_today(year)
        .format("%Y-%m-%d")
        .to_string()
}

/// The year's stored JPM of the active people under `scope` ('' for all): computed now when
/// the year has none yet; when stale, as stored, with a refresh started in the background.
pub async fn read(db: &Db, tenant: i64, year: i64, scope: &str) -> ServiceResult<Stored> {
    let day = day_of(year);
    let (generation, state) = {
        let mut c = db.conn().await?;
        let g = store::generation(&mut c, tenant).await?;
        (g, store::state(&mut c, tenant, year).await?)
    };
    let (computed_at, fresh) = match state {
        None => (refresh(db, tenant, year).await?, true),
        Some(s) => {
            let fresh = s.generation == generation && s.day == day;
            if !fresh {
                spawn_refresh(db, tenant);
            }
            (s.computed_at, fresh)
        }
    };
    let mut c = db.conn().await?;
    let jpm = store::by_nip(&mut c, tenant, year, scope)
        .await?
        .into_iter()
        .map(|s| (s.nip, s.jpm))
        .collect();
    Ok(Stored {
        jpm,
        computed_at,
        fresh,
    })
}

/// Recomputes the year's standings from the gap engine and writes the rows that changed;
/// yields when (Unix ms). The counter is read before the engine reads anything, so a change
/// committed meanwhile leaves the year stale for the next refresh.
pub async fn refresh(db: &Db, tenant: i64, year: i64) -> ServiceResult<i64> {
    let day = day_of(year);
    let generation = {
        let mut c = db.conn().await?;
        store::generation(&mut c, tenant).await?
    };
    let gaps = crate::gaps::read_and_compute(db, tenant, "", None, &day).await?;
    let new: HashMap<i64, f64> = gaps
        .people
        .iter()
        .filter_map(|p| Some((p.id, p.jpm?)))
        .collect();
    let mut c = db.begin().await?;
    let old: HashMap<i64, f64> = store::of_year(&mut c, tenant, year)
        .await?
        .into_iter()
        .map(|s| (s.employee_id, s.jpm))
        .collect();
    let changed: Vec<store::Standing> = new
        .iter()
        .filter(|(id, jpm)| old.get(id) != Some(jpm))
        .map(|(&employee_id, &jpm)| store::Standing { employee_id, jpm })
        .collect();
    let gone: Vec<i64> = old
        .keys()
        .filter(|id| !new.contains_key(id))
        .copied()
        .collect();
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
    cache::changed(db, tenant, &[Topic::Standings]);
    Ok(at)
}

/// The tenants whose stale years this server is refreshing, each with "changed again since".
#[derive(Default)]
struct Running(Mutex<HashMap<i64, bool>>);

/// After a change that can alter a JPM (committed): refreshes the tenant's stale years in the
/// background, so the next visitor reads fresh standings instead of waiting for them.
pub(crate) fn changed(db: &Db, tenant: i64, topics: &[Topic]) {
    if topics.iter().any(|t| COMPETENCE.contains(t)) {
        spawn_refresh(db, tenant);
    }
}

/// Refreshes every stale year of the tenant in the background: one task per tenant on this
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
        loop {
            if let Err(e) = refresh_stale(&db, tenant).await {
                tracing::warn!(tenant, error = %e, "standings refresh failed; retried at the next change or view");
            }
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

/// Refreshes the tenant's years whose standings are stale (a change since, or another day).
async fn refresh_stale(db: &Db, tenant: i64) -> ServiceResult<()> {
    let (generation, states) = {
        let mut c = db.conn().await?;
        let g = store::generation(&mut c, tenant).await?;
        (g, store::states(&mut c, tenant).await?)
    };
    for (year, s) in states {
        if s.generation != generation || s.day != day_of(year) {
            refresh(db, tenant, year).await?;
        }
    }
    Ok(())
}

/// Waits for this server's background refreshes (tests, and a clean shutdown).
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
