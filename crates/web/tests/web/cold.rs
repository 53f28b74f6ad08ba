//! Every page of the page benchmark (`bench/pages.conf`), opened by many sessions at once on a
//! server whose caches are empty — right after a start, or after a change cleared them. A
//! handler that holds a pooled connection while it waits for a cache fill (which needs a
//! connection of its own) starves the pool: with the six SQLite connections taken by waiters,
//! nobody is answered until the pool's acquire timeout turns them all into 503s
//! (docs/architecture.md, "Fast pages"). The page matrix found two such pages by hand
//! (stop 33); this finds the next one in the suite.

use crate::common;

use axum::http::StatusCode;
use common::{Session, TestApp};
use std::collections::HashMap;
use std::time::Duration;

/// Requests per page, all at once: twice the SQLite pool.
const COPIES: usize = 12;

/// (path, user) of every measured page, its `{param}` found by the line's SQL.
async fn pages(app: &TestApp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in include_str!("../../../../bench/pages.conf")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let (route, user, kind, query) = (f[0], f[1], f[2], f[3]);
        if kind != "page" || user == "-" {
            continue;
        }
        let path = if query == "-" {
            route.to_string()
        } else {
            let value = app
                .scalar_text(&format!("SELECT CAST(({query}) AS TEXT)"))
                .await;
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
        if !sessions.contains_key(user) {
            sessions.insert(user.clone(), app.login(user).await);
        }
    }
    // Logging in reads nothing cached but the session; every page's caches are still empty.
    let requests = pages.iter().flat_map(|(path, user)| {
        let s = &sessions[user];
        (0..COPIES).map(move |_| async move { (path, app.get(path, Some(s)).await.status) })
    });
    let answers = tokio::time::timeout(
        Duration::from_secs(120),
        futures_util::future::join_all(requests),
    )
    .await
    .expect("every cold page answered within two minutes");
    let mut by_page: HashMap<&String, Vec<StatusCode>> = HashMap::new();
    for (path, status) in answers {
        by_page.entry(path).or_default().push(status);
    }
    for (path, statuses) in by_page {
        assert!(
            statuses.iter().all(|s| !s.is_server_error()),
            "{path} opened by {COPIES} sessions at once, cold: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == statuses[0]),
            "{path}: {statuses:?}"
        );
    }
}

both_backends!(cold_pages_answer_many_sessions_at_once);
