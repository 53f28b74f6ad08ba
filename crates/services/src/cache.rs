//! Per-tenant caches for reads that are costly and change rarely (the unit tree, list totals,
//! gap results, 9-box maps, unit distributions), kept with the server's database
//! ([`Db::extension`]) in one registry.
//!
//! Each cache declares the [`Topic`]s its answers depend on ([`Spec::TOPICS`]); a write names
//! the topics it changed once, when it finishes ([`crate::change::Change::finish`]), and the
//! registry clears every cache of the tenant that depends on one of them. No service module
//! clears another's cache. Another server behind the same database sees a change within the
//! cache's time to live. A generation per tenant moves on every clearing, so a read that raced
//! a change cannot store its older answer. docs/architecture.md has the table of caches.
//!
//! A missing entry is filled once: [`TenantCache::get_or_fill`] lets the first reader of a key
//! compute it while the others wait for its answer (single flight), so 64 sessions opening a
//! page after a start or a change run its aggregate once, not 64 times at once.
//!
//! A cache of an aggregate many read at once may serve its answer from before a change while
//! one reader's fill of the new one runs ([`Spec::STALE`]): the others are given the previous
//! answer instead of all waiting, for at most [`STALE_AT_MOST`]. The reader who fills is given
//! the new answer, and so is everyone after the fill.
//!
//! The costliest cache (the leadership dashboard) also keeps its fill
//! ([`TenantCache::get_or_fill_kept`]): when a change clears an entry that was read in the
//! last minute ([`REFRESH_READ_WITHIN`]), the fill runs again in the background a moment later
//! ([`REFRESH_DELAY`]), so the next visitor finds the answer ready (or waits on a fill already
//! under way, or — for a [`Spec::STALE`] cache — is given the previous answer meanwhile)
//! instead of starting it.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::Db;

/// What a write can change, as the caches see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Employees: who they are, where they work, their positions.
    People,
    /// The unit tree.
    Units,
    /// Positions and their competency standards.
    Standards,
    /// The competency dictionary.
    Competencies,
    /// Assessment results (including those a course completion records).
    Assessments,
    /// Evaluations, plans, periods, unit predikat, potential scores, settings.
    Performance,
    /// Enrolments, completions, JP.
    Learning,
    /// Survey responses, service users, complaints, which units serve the public.
    Service,
    /// Regulations, their campaigns and acknowledgements.
    Regulations,
    /// Crisis readiness targets and who is away.
    Readiness,
    /// Response teams and drills as listed (neither changes anyone's readiness).
    Teams,
    /// TPP rules and imported attendance.
    Tpp,
    /// The points rule.
    Incentives,
    /// Who keeps out of the points leaderboards.
    Optouts,
    /// The nomination rule and the disciplinary/CLTN list.
    Recognition,
    /// The stored JPM of a year, refreshed after a change (crate::standings).
    Standings,
    /// The national figures, refreshed by their job (crate::national; cached under tenant 0:
    /// they are the country's, the same for every national reader).
    National,
}

impl Topic {
    pub const ALL: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Standards,
        Topic::Competencies,
        Topic::Assessments,
        Topic::Performance,
        Topic::Learning,
        Topic::Service,
        Topic::Regulations,
        Topic::Readiness,
        Topic::Teams,
        Topic::Tpp,
        Topic::Incentives,
        Topic::Optouts,
        Topic::Recognition,
        Topic::Standings,
        Topic::National,
    ];
}

/// A cache's shape: key, value, what it depends on, how long and how much it keeps.
pub trait Spec: 'static {
    type Key: Eq + Hash + Clone + Send + Sync + 'static;
    type Value: Clone + Send + Sync + 'static;
    const TOPICS: &'static [Topic];
    const TTL: Duration;
    /// Most entries kept; beyond it the oldest goes.
    const MAX: usize;
    /// After a change, readers that arrive while someone's fill of a cleared entry runs are
    /// given the answer from before the change rather than wait for it (at most
    /// [`STALE_AT_MOST`] after the change). For aggregates over many people that many read
    /// at once (a dashboard, successors), never for a record one person just edited.
    const STALE: bool = false;
}

/// The cache of `S` for this server's database (made and registered on first use).
pub fn of<S: Spec>(db: &Db) -> Arc<TenantCache<S::Key, S::Value>> {
    let registry = db.extension::<Registry>();
    let mut inner = registry
        .inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = inner.by_spec.get(&TypeId::of::<S>())
        && let Ok(cache) = Arc::clone(found).downcast::<TenantCache<S::Key, S::Value>>()
    {
        return cache;
    }
    let cache = Arc::new(TenantCache::<S::Key, S::Value>::new(
        S::TTL,
        S::MAX,
        S::STALE,
    ));
    inner.by_spec.insert(TypeId::of::<S>(), cache.clone());
    inner.clearers.push((S::TOPICS, cache.clone()));
    cache
}

/// Clears the tenant's entries of every cache that depends on one of `topics`.
pub(crate) fn changed(db: &Db, tenant: i64, topics: &[Topic]) {
    if topics.is_empty() {
        return;
    }
    let registry = db.extension::<Registry>();
    let inner = registry
        .inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (depends, cache) in &inner.clearers {
        if depends.iter().any(|t| topics.contains(t)) {
            Arc::clone(cache).clear(db, tenant);
        }
    }
}

/// Empties every cache of the tenant, stale answers and kept fills included, as a restart
/// would (the cold-page test opens each page after it).
pub fn forget(db: &Db, tenant: i64) {
    let registry = db.extension::<Registry>();
    let inner = registry
        .inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (_, cache) in &inner.clearers {
        cache.forget(tenant);
    }
}

/// Every cache of one server, by spec, with the topics each depends on.
pub struct Registry {
    inner: Mutex<RegistryInner>,
    /// One background refresh at a time on this server, whatever the cache or tenant: each
    /// may run an aggregate over a whole regency.
    refreshing: tokio::sync::Semaphore,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry {
            inner: Mutex::default(),
            refreshing: tokio::sync::Semaphore::new(1),
        }
    }
}

#[derive(Default)]
struct RegistryInner {
    by_spec: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
    clearers: Vec<(&'static [Topic], Arc<dyn Clear>)>,
}

trait Clear: Send + Sync {
    fn clear(self: Arc<Self>, db: &Db, tenant: i64);
    fn forget(&self, tenant: i64);
}

pub struct TenantCache<K, V> {
    ttl: Duration,
    max: usize,
    /// [`Spec::STALE`]: a change marks the entries stale instead of removing them.
    stale: bool,
    inner: Mutex<Inner<K, V>>,
    /// One lock per key being filled: the filler holds it, the others wait on it (or, with a
    /// stale answer at hand, do not wait: [`Spec::STALE`]).
    flights: Mutex<HashMap<(i64, K), Flight>>,
    /// Per tenant, the kept fills a change cleared, waiting for [`REFRESH_DELAY`] to run again.
    pending: Pending<K, V>,
}

/// How long after a change its cleared entries are filled again: writes that come together
/// (a run of assessments) cost one refresh. The refresh also waits for the tenant's stored
/// JPM to be refreshed first (crate::standings), which clears some of these caches again.
pub const REFRESH_DELAY: Duration = Duration::from_millis(500);

/// A cleared entry is filled again only if it was read this recently: a refresh is for the
/// page someone is looking at, not for every answer still within its time to live.
pub const REFRESH_READ_WITHIN: Duration = Duration::from_secs(60);

/// How long after a change a stale answer ([`Spec::STALE`]) may still be given while a fill
/// runs; after that, readers wait for the fill as for a missing entry.
pub const STALE_AT_MOST: Duration = Duration::from_secs(30);

/// Most entries of one cache and tenant filled again after a change (the last read first).
const REFRESH_MOST: usize = 8;

/// A fill kept with its entry, to run again when a change clears it. It is handed the server's
/// database rather than keeping a clone: the cache lives in the database's extensions.
type Refill<V> =
    Arc<dyn Fn(Db) -> Pin<Box<dyn Future<Output = Result<V, String>> + Send>> + Send + Sync>;

/// Per tenant, the cleared entries waiting to be filled again, with their kept fills.
type Pending<K, V> = Mutex<HashMap<i64, Vec<(K, Kept<V>)>>>;

/// A kept fill and when its entry was last read (a refresh is not a read).
#[derive(Clone)]
struct Kept<V> {
    refill: Refill<V>,
    read_at: Instant,
}

struct Entry<V> {
    at: Instant,
    value: V,
    kept: Option<Kept<V>>,
    /// Since when a change made this answer stale ([`Spec::STALE`] caches only).
    stale_since: Option<Instant>,
}

/// The turn of the readers of one key being filled.
type Flight = Arc<tokio::sync::Mutex<()>>;

/// A reader's hold on a key's flight; the last one out removes the key's lock from the map.
struct FlightGuard<'a, K: Eq + Hash> {
    flights: &'a Mutex<HashMap<(i64, K), Flight>>,
    key: (i64, K),
    flight: Flight,
}

impl<K: Eq + Hash> Drop for FlightGuard<'_, K> {
    fn drop(&mut self) {
        let mut flights = self
            .flights
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Let go of this reader's copy under the map's lock, so two readers leaving together
        // cannot both count the other and leave the lock behind.
        let own = std::mem::replace(&mut self.flight, Arc::new(tokio::sync::Mutex::new(())));
        let others = Arc::strong_count(&own) - 1;
        drop(own);
        if others <= 1 {
            flights.remove(&self.key);
        }
    }
}

struct Inner<K, V> {
    entries: HashMap<(i64, K), Entry<V>>,
    generations: HashMap<i64, u64>,
}

/// What a lookup found: the value, or the generation under which to store a fresh one (with
/// the answer from before the change, when it may still be given).
pub enum Lookup<V> {
    Hit(V),
    Stale(V, u64),
    Miss(u64),
}

impl<K: Eq + Hash + Clone, V: Clone> TenantCache<K, V> {
    fn new(ttl: Duration, max: usize, stale: bool) -> Self {
        TenantCache {
            ttl,
            max,
            stale,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                generations: HashMap::new(),
            }),
            flights: Mutex::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// The cached value, or `fill`'s answer stored for the next readers. Concurrent readers
    /// of the same missing key wait for the first one's fill instead of each running their
    /// own; if that fill fails, the next waiter tries in turn.
    pub async fn get_or_fill<E, F, Fut>(&self, tenant: i64, key: &K, fill: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        self.fill_once(tenant, key, fill, None, true).await
    }

    /// [`Self::get_or_fill`] for a costly answer: the fill is kept with the entry and runs
    /// again in the background when a change clears it, if the entry was read in the last
    /// [`REFRESH_READ_WITHIN`]. So `fill` is handed the database and owns the rest of what it
    /// needs (the actor, the arguments — never a value read before the change: it reads
    /// again whatever its answer shows); its answer must be the same for every reader of
    /// `key`, as for any cached answer.
    pub async fn get_or_fill_kept<E, F, Fut>(
        &self,
        db: &Db,
        tenant: i64,
        key: &K,
        fill: F,
    ) -> Result<V, E>
    where
        F: Fn(Db) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
        E: std::fmt::Display,
        V: Send + 'static,
    {
        let fill = Arc::new(fill);
        let refill: Refill<V> = {
            let fill = Arc::clone(&fill);
            Arc::new(move |db| {
                let answer = fill(db);
                Box::pin(async move { answer.await.map_err(|e| e.to_string()) })
            })
        };
        let kept = Kept {
            refill,
            read_at: Instant::now(),
        };
        self.fill_once(tenant, key, || fill(db.clone()), Some(kept), true)
            .await
    }

    /// The single flight of `key`; `reading`: a reader's (marks the entry read when found),
    /// not a refresh's.
    async fn fill_once<E, F, Fut>(
        &self,
        tenant: i64,
        key: &K,
        fill: F,
        kept: Option<Kept<V>>,
        reading: bool,
    ) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let stale = match self.lookup(tenant, key, reading) {
            Lookup::Hit(v) => return Ok(v),
            Lookup::Stale(v, _) => Some(v),
            Lookup::Miss(_) => None,
        };
        let flight = {
            let mut flights = self
                .flights
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            flights
                .entry((tenant, key.clone()))
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(())))
                .clone()
        };
        // Removes the key's lock when the last reader leaves, however it leaves (an answer,
        // an error, a dropped request).
        let flight = FlightGuard {
            flights: &self.flights,
            key: (tenant, key.clone()),
            flight,
        };
        // With a stale answer at hand, a reader waits for nobody: it fills the entry if no one
        // else is, or is given the answer from before the change.
        let turn = match stale {
            Some(v) => match flight.flight.try_lock() {
                Ok(turn) => turn,
                Err(_) => return Ok(v),
            },
            None => flight.flight.lock().await,
        };
        // Filled while this reader waited?
        let value = match self.lookup(tenant, key, reading) {
            Lookup::Hit(v) => Ok(v),
            Lookup::Stale(_, generation) | Lookup::Miss(generation) => {
                let value = fill().await;
                if let Ok(v) = &value {
                    self.store(tenant, key.clone(), generation, v.clone(), kept);
                }
                value
            }
        };
        drop(turn);
        drop(flight);
        value
    }

    pub fn get(&self, tenant: i64, key: &K) -> Lookup<V> {
        self.lookup(tenant, key, true)
    }

    fn lookup(&self, tenant: i64, key: &K, reading: bool) -> Lookup<V> {
        let Ok(mut inner) = self.inner.lock() else {
            return Lookup::Miss(u64::MAX);
        };
        let generation = inner.generations.get(&tenant).copied().unwrap_or(0);
        match inner.entries.get_mut(&(tenant, key.clone())) {
            Some(e) if e.at.elapsed() < self.ttl => {
                if let Some(kept) = &mut e.kept
                    && reading
                {
                    kept.read_at = Instant::now();
                }
                match e.stale_since {
                    None => Lookup::Hit(e.value.clone()),
                    // Only a reader may be given it; a fill always looks for a fresh answer.
                    Some(since) if reading && since.elapsed() < STALE_AT_MOST => {
                        Lookup::Stale(e.value.clone(), generation)
                    }
                    Some(_) => Lookup::Miss(generation),
                }
            }
            _ => Lookup::Miss(generation),
        }
    }

    /// Stores `value` read under `generation`, unless the tenant was cleared since.
    pub fn put(&self, tenant: i64, key: K, generation: u64, value: V) {
        self.store(tenant, key, generation, value, None);
    }

    fn store(&self, tenant: i64, key: K, generation: u64, value: V, kept: Option<Kept<V>>) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.generations.get(&tenant).copied().unwrap_or(0) != generation {
            return;
        }
        // Expired answers go now, not when their key is next asked for: some keys never are
        // (yesterday's date, a unit looked at once), and a gap result holds a whole regency.
        // So do stale answers too old to be given.
        let ttl = self.ttl;
        inner.entries.retain(|_, e| {
            e.at.elapsed() < ttl && e.stale_since.is_none_or(|s| s.elapsed() < STALE_AT_MOST)
        });
        let replacing = inner.entries.contains_key(&(tenant, key.clone()));
        if inner.entries.len() >= self.max && !replacing {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.at)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.entries.remove(&k);
            }
        }
        let at = Instant::now();
        let entry = Entry {
            at,
            value,
            kept,
            stale_since: None,
        };
        inner.entries.insert((tenant, key), entry);
    }
}

impl<K, V> Clear for TenantCache<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn clear(self: Arc<Self>, db: &Db, tenant: i64) {
        let mut again = Vec::new();
        let stale = self.stale;
        if let Ok(mut inner) = self.inner.lock() {
            inner.entries.retain(|k, e| {
                if k.0 != tenant {
                    return true;
                }
                if let Some(kept) = &e.kept
                    && kept.read_at.elapsed() < REFRESH_READ_WITHIN
                {
                    again.push((k.1.clone(), kept.clone()));
                }
                if stale {
                    // Kept (with its fill, for the next change) until a fill replaces it.
                    e.stale_since.get_or_insert_with(Instant::now);
                    return true;
                }
                false
            });
            *inner.generations.entry(tenant).or_insert(0) += 1;
        }
        if again.is_empty() {
            return;
        }
        // Outside a runtime (a command-line tool's last change) there is nobody to refresh for.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let first = {
            let mut pending = self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let waiting = pending.entry(tenant).or_default();
            let first = waiting.is_empty();
            for (key, kept) in again {
                match waiting.iter_mut().find(|(k, _)| *k == key) {
                    Some(w) => w.1 = kept,
                    None => waiting.push((key, kept)),
                }
            }
            first
        };
        // One task per cache and tenant collects what the changes of the next moment clear.
        if first {
            let db = db.clone();
            runtime.spawn(async move { self.refresh(db, tenant).await });
        }
    }

    fn forget(&self, tenant: i64) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.entries.retain(|k, _| k.0 != tenant);
            *inner.generations.entry(tenant).or_insert(0) += 1;
        }
    }
}

/// A tenant's waiting refreshes, taken out of `pending` by the task — or, if the task ends
/// before (a panic, a runtime shutting down), by its drop, so the next change starts a task.
struct Taken<'a, K, V> {
    pending: &'a Pending<K, V>,
    tenant: i64,
    done: bool,
}

impl<K, V> Taken<'_, K, V> {
    fn remove(&self) -> Vec<(K, Kept<V>)> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.tenant)
            .unwrap_or_default()
    }

    fn take(mut self) -> Vec<(K, Kept<V>)> {
        self.done = true;
        self.remove()
    }
}

impl<K, V> Drop for Taken<'_, K, V> {
    fn drop(&mut self) {
        if !self.done {
            drop(self.remove());
        }
    }
}

impl<K, V> TenantCache<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// Fills again, one after the other and one refresh at a time on the server, the kept
    /// entries that changes of `tenant` cleared (the last read first, at most
    /// [`REFRESH_MOST`]). Readers arriving meanwhile wait on the same single flight (or are
    /// given the stale answer, [`Spec::STALE`]); a
    /// refresh that fails or that a later change overtakes stores nothing (the next reader
    /// fills it).
    async fn refresh(self: Arc<Self>, db: Db, tenant: i64) {
        let taken = Taken {
            pending: &self.pending,
            tenant,
            done: false,
        };
        tokio::time::sleep(REFRESH_DELAY).await;
        // The stored JPM's refresh after the same change clears the caches built on it again
        // when it lands: fill them after it, once (bounded: a refresh that takes longer is
        // followed by a second round).
        for _ in 0..600 {
            if !crate::standings::refreshing(&db, tenant) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let registry = db.extension::<Registry>();
        let Ok(_turn) = registry.refreshing.acquire().await else {
            return;
        };
        let mut waiting = taken.take();
        waiting.sort_by_key(|(_, kept)| std::cmp::Reverse(kept.read_at));
        for (key, kept) in waiting.into_iter().take(REFRESH_MOST) {
            let refill = Arc::clone(&kept.refill);
            let db = db.clone();
            let fill = || async move { refill(db).await };
            if let Err(error) = self.fill_once(tenant, &key, fill, Some(kept), false).await {
                tracing::warn!(tenant, %error, "cache refresh failed; the next reader fills it");
            }
        }
    }
}

#[cfg(test)]
mod tests;
