//! Short-lived per-tenant caches for reads that are costly and change rarely (list totals,
//! gap results). Changes made through this server clear the tenant's entries at once; another
//! server behind the same database sees them within the time to live. A generation per tenant
//! moves on every clearing, so a read that raced a change cannot store its older answer.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::Db;

pub struct TenantCache<K, V> {
    ttl: Duration,
    /// Most entries kept; beyond it the oldest goes.
    max: usize,
    inner: Mutex<Inner<K, V>>,
}

struct Inner<K, V> {
    entries: HashMap<(u64, i64, K), (Instant, V)>,
    generations: HashMap<(u64, i64), u64>,
}

/// What a lookup found: the value, or the generation under which to store a fresh one.
pub enum Lookup<V> {
    Hit(V),
    Miss(u64),
}

impl<K: Eq + Hash + Clone, V: Clone> TenantCache<K, V> {
    pub fn new(ttl: Duration, max: usize) -> Self {
        TenantCache {
            ttl,
            max,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                generations: HashMap::new(),
            }),
        }
    }

    pub fn get(&self, db: &Db, tenant: i64, key: &K) -> Lookup<V> {
        let Ok(inner) = self.inner.lock() else {
            return Lookup::Miss(u64::MAX);
        };
        match inner.entries.get(&(db.id(), tenant, key.clone())) {
            Some((at, v)) if at.elapsed() < self.ttl => Lookup::Hit(v.clone()),
            _ => Lookup::Miss(
                inner
                    .generations
                    .get(&(db.id(), tenant))
                    .copied()
                    .unwrap_or(0),
            ),
        }
    }

    /// Stores `value` read under `generation`, unless the tenant was cleared since.
    pub fn put(&self, db: &Db, tenant: i64, key: K, generation: u64, value: V) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let now = inner
            .generations
            .get(&(db.id(), tenant))
            .copied()
            .unwrap_or(0);
        if now != generation {
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
        inner
            .entries
            .insert((db.id(), tenant, key), (Instant::now(), value));
    }

    /// Forgets everything cached for the tenant.
    pub fn clear(&self, db: &Db, tenant: i64) {
        if let Ok(mut inner) = self.inner.lock() {
            let id = db.id();
            inner.entries.retain(|k, _| !(k.0 == id && k.1 == tenant));
            *inner.generations.entry((id, tenant)).or_insert(0) += 1;
        }
    }
}
