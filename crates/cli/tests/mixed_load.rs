//! A mixed load on the real server (issue 19 §3, docs/operations.md#faults), on SQLite and on
//! PostgreSQL: 64 sessions of every demo role for 60 s (`CAKAP_MIXED_SECONDS` to change it),
//! each opening the pages its role uses — every logged-in page of the page benchmark's list
//! (bench/pages.conf), so a new page is loaded here too — and writing now and then (the admin
//! records regulations, ASN report development activities). Afterwards: no 5xx and no request
//! unanswered, every confirmed write stored (counted in the database), and the server's memory
//! not growing once warm.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

mod common;
use common::{Backend, Client, one_at_a_time};

const SESSIONS: usize = 64;

#[test]
fn mixed_load_on_sqlite() {
    let _alone = one_at_a_time();
    mixed_load(&Backend::sqlite("mixed"));
}

#[test]
fn mixed_load_on_postgres() {
    let _alone = one_at_a_time();
    mixed_load(&Backend::postgres("mixed"));
}

/// (user, path) of every page of bench/pages.conf measured under load, its `{param}` filled in
/// from the database as the benchmark does.
fn pages(db: &Backend) -> Vec<(String, String)> {
    let conf = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/pages.conf");
    std::fs::read_to_string(&conf)
        .expect("bench/pages.conf")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split(" | ").map(str::trim).collect();
            (f.len() == 4 && f[1] != "-" && f[2] == "page").then(|| {
                let path = match f[0].find('{') {
                    Some(open) => {
                        let close = f[0].find('}').expect("a closed {param}");
                        let value = db.scalar(f[3]);
                        format!("{}{value}{}", &f[0][..open], &f[0][close + 1..])
                    }
                    None => f[0].to_string(),
                };
                (f[1].to_string(), path)
            })
        })
        .collect()
}

fn mixed_load(db: &Backend) {
    let seconds: u64 = std::env::var("CAKAP_MIXED_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    assert!(
        seconds >= 9,
        "CAKAP_MIXED_SECONDS: at least 9 (memory is compared by thirds)"
    );
    let o = db.cakap(&["demo", "--employees", "300"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages = pages(db);
    let mut by_user: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (user, path) in pages {
        by_user.entry(user).or_default().push(path);
    }
    let users: Vec<(String, Vec<String>)> = by_user.into_iter().collect();
    assert!(users.len() >= 4, "pages of every role: {users:?}");
    let started_on = common::date_in(-3);

    let mut server = db.serve();
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_panic = common::StopOnDrop(stop.clone());
    let regulations = Arc::new(AtomicUsize::new(0));
    let activities = Arc::new(AtomicUsize::new(0));
    // Status → how many, and the first few answers that were not right.
    let statuses: Arc<Mutex<BTreeMap<u16, usize>>> = Arc::default();
    let wrong: Arc<Mutex<Vec<String>>> = Arc::default();
    let threads: Vec<_> = (0..SESSIONS)
        .map(|s| {
            let (user, paths) = users[s % users.len()].clone();
            let me = Client::login(&server, &db.dir, &user);
            let (stop, regulations, activities, statuses, wrong, started_on) = (
                stop.clone(),
                regulations.clone(),
                activities.clone(),
                statuses.clone(),
                wrong.clone(),
                started_on.clone(),
            );
            std::thread::spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    // One request in eight writes, for the roles that write.
                    let (status, what) = match (user.as_str(), i % 8) {
                        ("admin", 7) => {
                            let body = json!({"jenis": "perbup", "nomor": format!("B{s}-{i}"),
                                "tahun": 2026, "judul": format!("Beban {s}-{i}")});
                            let (st, _) = me.post("/api/v1/regulations", body);
                            if st == 201 {
                                regulations.fetch_add(1, Ordering::Relaxed);
                            }
                            (st, "POST /api/v1/regulations".to_string())
                        }
                        ("asn", 7) => {
                            let body = json!({"jalur": "seminar", "title": format!("Beban {s}-{i}"),
                                "started_on": started_on, "days": 1});
                            let (st, _) = me.post("/api/v1/activities", body);
                            if st == 201 {
                                activities.fetch_add(1, Ordering::Relaxed);
                            }
                            (st, "POST /api/v1/activities".to_string())
                        }
                        _ => {
                            let path = &paths[(i + s) % paths.len()];
                            (me.raw("GET", path, None).0, format!("GET {path}"))
                        }
                    };
                    *statuses.lock().expect("lock").entry(status).or_default() += 1;
                    // A page may answer with a redirect (`/idp` to the reader's own).
                    let right = if what.starts_with("GET") {
                        (200..400).contains(&status)
                    } else {
                        status == 201
                    };
                    if !right {
                        let mut w = wrong.lock().expect("lock");
                        if w.len() < 20 {
                            w.push(format!("{user} {what} → {status}"));
                        }
                    }
                }
            })
        })
        .collect();
    // Memory once a second.
    let started = Instant::now();
    let mut rss = Vec::new();
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_secs(1));
        rss.push(server.rss_kib());
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("session");
    }
    assert!(server.running(), "the server kept running");

    let statuses = statuses.lock().expect("lock").clone();
    let total: usize = statuses.values().sum();
    let (regulations, activities) = (
        regulations.load(Ordering::Relaxed),
        activities.load(Ordering::Relaxed),
    );
    eprintln!(
        "{}: {total} requests in {seconds} s by {SESSIONS} sessions of {} users ({statuses:?}); \
         {regulations} regulations and {activities} activities confirmed; RSS {} → {} MB (peak {})",
        if db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        users.len(),
        rss.first().copied().unwrap_or(0) / 1024,
        rss.last().copied().unwrap_or(0) / 1024,
        rss.iter().max().copied().unwrap_or(0) / 1024,
    );
    let wrong = wrong.lock().expect("lock").clone();
    assert!(wrong.is_empty(), "answers that were not right: {wrong:#?}");
    assert!(
        regulations > 0 && activities > 0,
        "writes went on: {regulations} regulations, {activities} activities"
    );
    // Every confirmed write is stored, and nothing else of ours.
    assert_eq!(
        db.count("SELECT COUNT(*) FROM regulations WHERE judul LIKE 'Beban %'"),
        regulations as i64,
        "regulations lost or doubled"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM activities WHERE title LIKE 'Beban %'"),
        activities as i64,
        "activities lost or doubled"
    );
    // Memory stable: the peak of the last third no more than a quarter above the peak of the
    // middle third (the first third warms caches, pools and SQLite's page caches; the lists
    // grow a little with the writes).
    let third = rss.len() / 3;
    let middle = rss[third..2 * third].iter().max().copied().unwrap_or(0);
    let last = rss[2 * third..].iter().max().copied().unwrap_or(0);
    assert!(
        last <= middle + middle / 4,
        "memory grew under a steady load: {} MB then {} MB",
        middle / 1024,
        last / 1024
    );
    db.sound();
}
