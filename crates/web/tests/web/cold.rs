//! Every page of the page benchmark (`bench/pages.conf`), opened by many sessions at once on a
//! server whose caches are empty: right after a start (`cache::forget`), and again right after
//! a change cleared them (the background refresh of what was read before runs beside it). A
//! handler that holds a pooled connection while it waits for a cache fill (which needs a
//! connection of its own) starves the pool: with the six SQLite connections taken by waiters,
//! nobody is answered until the pool's acquire timeout turns them all into 503s
//! (docs/architecture.md, "Fast pages"). The page matrix found two such pages by hand
//! (stop 33); this can find the next one in the suite (by chance: see `COPIES`). One page at a
//! time, each within a time well under the pools' acquire timeouts (10 s on PostgreSQL, sqlx's
//! 30 s on SQLite), naming the page that hangs.

use crate::common;

use axum::http::StatusCode;
use cakap_services::cache::Topic;
use common::{Session, TestApp};
use std::collections::HashMap;
use std::time::Duration;

/// Requests per page, all at once: more than either pool holds (6 SQLite connections, 16
/// PostgreSQL). It catches the pattern by chance, not every time: with the connection taken
/// before the unit tree in `readiness::teams::get` (stop 35), SQLite failed on
/// `/kesiapsiagaan/tim/{id}` in 2 runs of 5 and PostgreSQL in none — the fill deadlocks only
/// when the waiting requests take every connection before it does.
const COPIES: usize = 20;

/// (path, user) of every measured page, its `{param}` found by the line's SQL.
async fn pages(app: &TestApp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in include_str!("../../../../bench/pages.conf")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let (route, user, kind, query) = (f[0], f[1], f[2], f[3]);
        if kind != "page" {
            continue;
        }
        let path = if query == "-" {
            route.to_string()
        } else {
            let mut c = app.db.conn().await.expect("conn");
            let sql = common::sqlx_safe(format!("SELECT CAST(({query}) AS TEXT)"));
            let found = cakap_store::fetch_scalar!(c, Option<String>, sql);
            // The test demo is smaller than the benchmark's: it makes no training plan.
            let Some(value) = found.expect("the line's SQL runs") else {
                assert!(
                    route.starts_with("/plans/"),
                    "the test demo has no value for: {line}"
                );
                continue;
            };
            let (head, rest) = route.split_once('{').expect("a {param}");
            let (_, tail) = rest.split_once('}').expect("a {param}");
            format!("{head}{value}{tail}")
        };
        out.push((path, user.to_string()));
    }
    out
}

async fn cold_pages_answer_many_sessions_at_once(app: &TestApp) {
    let pages = pages(app).await;
    assert!(pages.len() > 60, "bench/pages.conf was not read: {pages:?}");
    let mut sessions: HashMap<String, Session> = HashMap::new();
    for (_, user) in &pages {
        if user != "-" && !sessions.contains_key(user) {
            sessions.insert(user.clone(), app.login(user).await);
        }
    }
    for (path, user) in &pages {
        for how in ["after a start", "after a change"] {
            if how == "after a start" {
                // Every cache of the tenant empty, stale answers included.
                cakap_services::cache::forget(&app.db, app.tenant);
            } else {
                // Every cache of the tenant cleared as a change clears them: what was read
                // before is refreshed in the background meanwhile, and the aggregates that
                // may (cache::Spec::STALE) give their answer from before while one fills.
                cakap_services::change::changed(&app.db, app.tenant, Topic::ALL);
            }
            let s = sessions.get(user);
            let requests = (0..COPIES).map(|_| async move { app.get(path, s).await.status });
            let statuses: Vec<StatusCode> = tokio::time::timeout(
                Duration::from_secs(8),
                futures_util::future::join_all(requests),
            )
            .await
            .unwrap_or_else(|_| {
                panic!("{path} ({user}): {COPIES} sessions at once {how}, not all answered in 8 s")
            });
            assert!(
                statuses.iter().all(|s| !s.is_server_error()),
                "{path} ({user}) opened by {COPIES} sessions at once {how}: {statuses:?}"
            );
            assert!(
                statuses.iter().all(|s| *s == statuses[0]),
                "{path} ({user}) {how}: {statuses:?}"
            );
        }
    }
}

both_backends!(cold_pages_answer_many_sessions_at_once);
