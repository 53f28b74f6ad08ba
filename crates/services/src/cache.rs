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

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
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
    let cache = Arc::new(TenantCache::<S::Key, S::Value>::new(S::TTL, S::MAX));
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
            cache.clear(tenant);
        }
    }
}

/// Every cache of one server, by spec, with the topics each depends on.
#[derive(Default)]
pub struct Registry {
    inner: Mutex<RegistryInner>,
}

#[derive(Default)]
struct RegistryInner {
    by_spec: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
    clearers: Vec<(&'static [Topic], Arc<dyn Clear>)>,
}

trait Clear: Send + Sync {
    fn clear(&self, tenant: i64);
}

pub struct TenantCache<K, V> {
    ttl: Duration,
    max: usize,
    inner: Mutex<Inner<K, V>>,
    /// One lock per key being filled: the filler holds it, the others wait on it.
    flights: Mutex<HashMap<(i64, K), Flight>>,
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
    entries: HashMap<(i64, K), (Instant, V)>,
    generations: HashMap<i64, u64>,
}

/// What a lookup found: the value, or the generation under which to store a fresh one.
pub enum Lookup<V> {
    Hit(V),
    Miss(u64),
}

impl<K: Eq + Hash + Clone, V: Clone> TenantCache<K, V> {
    fn new(ttl: Duration, max: usize) -> Self {
        TenantCache {
            ttl,
            max,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                generations: HashMap::new(),
            }),
            flights: Mutex::new(HashMap::new()),
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
        if let Lookup::Hit(v) = self.get(tenant, key) {
            return Ok(v);
        }
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
        let turn = flight.flight.lock().await;
        // Filled while this reader waited?
        let value = match self.get(tenant, key) {
            Lookup::Hit(v) => Ok(v),
            Lookup::Miss(generation) => {
                let value = fill().await;
                if let Ok(v) = &value {
                    self.put(tenant, key.clone(), generation, v.clone());
                }
                value
            }
        };
        drop(turn);
        drop(flight);
        value
    }

    pub fn get(&self, tenant: i64, key: &K) -> Lookup<V> {
        let Ok(inner) = self.inner.lock() else {
            return Lookup::Miss(u64::MAX);
        };
        match inner.entries.get(&(tenant, key.clone())) {
            Some((at, v)) if at.elapsed() < self.ttl => Lookup::Hit(v.clone()),
            _ => Lookup::Miss(inner.generations.get(&tenant).copied().unwrap_or(0)),
        }
    }

    /// Stores `value` read under `generation`, unless the tenant was cleared since.
    pub fn put(&self, tenant: i64, key: K, generation: u64, value: V) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.generations.get(&tenant).copied().unwrap_or(0) != generation {
            return;
        }
        if inner.entries.len() >= self.max {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.entries.remove(&k);
            }
        }
        inner.entries.insert((tenant, key), (Instant::now(), value));
    }
}

impl<K: Eq + Hash + Send, V: Send> Clear for TenantCache<K, V> {
    fn clear(&self, tenant: i64) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.entries.retain(|k, _| k.0 != tenant);
            *inner.generations.entry(tenant).or_insert(0) += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Totals;
    impl Spec for Totals {
        type Key = &'static str;
        type Value = i64;
        const TOPICS: &'static [Topic] = &[Topic::People];
        const TTL: Duration = Duration::from_secs(60);
        const MAX: usize = 2;
    }

    struct Tree;
    impl Spec for Tree {
        type Key = ();
        type Value = i64;
        const TOPICS: &'static [Topic] = &[Topic::Units];
        const TTL: Duration = Duration::from_secs(60);
        const MAX: usize = 10;
    }

    async fn db() -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "cakap_cache_{}_{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("dir");
        let db = Db::connect(&format!("sqlite://{}/c.db", dir.display()))
            .await
            .expect("db");
        (db, dir)
    }

    #[tokio::test]
    async fn a_change_clears_the_caches_that_depend_on_it_for_that_tenant_only() {
        let (db, dir) = db().await;
        let totals = of::<Totals>(&db);
        let tree = of::<Tree>(&db);
        assert!(
            Arc::ptr_eq(&totals, &of::<Totals>(&db)),
            "one cache per spec"
        );
        for tenant in [1, 2] {
            let Lookup::Miss(g) = totals.get(tenant, &"all") else {
                panic!("empty at first")
            };
            totals.put(tenant, "all", g, 10);
            let Lookup::Miss(g) = tree.get(tenant, &()) else {
                panic!("empty at first")
            };
            tree.put(tenant, (), g, 7);
        }
        changed(&db, 1, &[Topic::People]);
        assert!(matches!(totals.get(1, &"all"), Lookup::Miss(_)));
        assert!(
            matches!(totals.get(2, &"all"), Lookup::Hit(10)),
            "other tenant kept"
        );
        assert!(
            matches!(tree.get(1, &()), Lookup::Hit(7)),
            "units did not change"
        );
        // A read that raced a change cannot store its older answer.
        changed(&db, 1, &[Topic::Units]);
        let Lookup::Miss(read_under) = tree.get(1, &()) else {
            panic!("cleared")
        };
        changed(&db, 1, &[Topic::Units]);
        tree.put(1, (), read_under, 99);
        assert!(matches!(tree.get(1, &()), Lookup::Miss(_)));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_readers_of_a_missing_key_fill_it_once() {
        let (db, dir) = db().await;
        let totals = of::<Totals>(&db);
        let fills = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut readers = Vec::new();
        for _ in 0..32 {
            let (totals, fills) = (totals.clone(), fills.clone());
            readers.push(tokio::spawn(async move {
                totals
                    .get_or_fill(1, &"all", || async {
                        fills.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, ()>(42)
                    })
                    .await
            }));
        }
        for r in readers {
            assert_eq!(r.await.expect("reader"), Ok(42));
        }
        assert_eq!(fills.load(std::sync::atomic::Ordering::SeqCst), 1);
        // A failed fill stores nothing; the next reader fills it.
        changed(&db, 1, &[Topic::People]);
        assert_eq!(
            totals
                .get_or_fill(1, &"all", || async { Err("down") })
                .await,
            Err("down")
        );
        assert_eq!(
            totals
                .get_or_fill(1, &"all", || async { Ok::<_, &str>(7) })
                .await,
            Ok(7)
        );
        assert!(
            totals.flights.lock().expect("flights").is_empty(),
            "no lock left behind"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn at_most_max_entries_are_kept() {
        let (db, dir) = db().await;
        let totals = of::<Totals>(&db);
        for key in ["a", "b", "c"] {
            let Lookup::Miss(g) = totals.get(1, &key) else {
                panic!("empty")
            };
            totals.put(1, key, g, 1);
        }
        let kept = ["a", "b", "c"]
            .iter()
            .filter(|k| matches!(totals.get(1, k), Lookup::Hit(_)))
            .count();
        assert_eq!(kept, 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
