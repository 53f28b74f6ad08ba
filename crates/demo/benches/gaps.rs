//! `cargo bench -p cakap-demo --bench gaps [-- EMPLOYEES]`: the gap/JPM engine for a
//! whole tenant (default 5,000 ASN) against a plain scan of the same assessment rows, on
//! SQLite and (when reachable) PostgreSQL. Prints medians of 15 runs.

mod common;

use std::time::{Duration, Instant};

use cakap_demo as demo;
use cakap_services::{Actor, Db, gaps};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn measure(label: &str, url: &str, employees: u32) {
    let (db, tenant) = common::open(url).await;
    let loaded = Instant::now();
    let summary = demo::load(
        &db,
        tenant,
        &demo::Options {
            employees,
            seed: 1112,
        },
        &|_, _| {},
    )
    .await
    .expect("demo");
    println!(
        "{label}: demo of {} ASN, {} assessments loaded in {:.2?}",
        summary.employees,
        summary.assessments,
        loaded.elapsed()
    );
    let admin = Actor::system(tenant);
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();

    let mut engine = Vec::new();
    let mut scan = Vec::new();
    let mut pure = Vec::new();
    let mut cached = Vec::new();
    for _ in 0..15 {
        // The engine, not its cache.
        cakap_services::change::changed(&db, tenant, &[cakap_services::cache::Topic::Assessments]);
        let t = Instant::now();
        let g = gaps::unit(&db, &admin, None).await.expect("gaps");
        engine.push(t.elapsed());
        let t = Instant::now();
        let _ = gaps::unit(&db, &admin, None).await.expect("gaps");
        cached.push(t.elapsed());
        assert_eq!(g.employees, i64::from(summary.employees as u32));

        let t = Instant::now();
        let mut c = db.conn().await.expect("conn");
        let rows = cakap_store::assessments::counting_in_scope(&mut c, tenant, "", None, &today)
            .await
            .expect("scan");
        scan.push(t.elapsed());

        let people = cakap_store::employees::placements(&mut c, tenant, "")
            .await
            .expect("people");
        let standards = cakap_store::requirements::in_scope(&mut c, tenant, "")
            .await
            .expect("standards");
        drop(c);
        let tree = cakap_services::units::tree(&db, tenant)
            .await
            .expect("tree");
        let t = Instant::now();
        let _ = gaps::compute(None, &tree, "", &people, &standards, &rows);
        pure.push(t.elapsed());
    }
    let (e, s, p, k) = (median(engine), median(scan), median(pure), median(cached));
    println!(
        "{label}: gap/JPM for the tenant {e:.2?} (in-memory part {p:.2?}); plain scan of the assessment rows {s:.2?}; ratio {:.2}; from the cache {k:.2?}",
        e.as_secs_f64() / s.as_secs_f64()
    );
    db.close().await;
}

fn main() {
    let employees: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("cakap_bench_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        measure(
            "sqlite",
            &format!("sqlite://{}/b.db", dir.display()),
            employees,
        )
        .await;
        let _ = std::fs::remove_dir_all(&dir);
        let admin = "postgres://postgres@127.0.0.1:5432";
        if let Ok(a) = Db::connect(&format!("{admin}/postgres")).await {
            let mut c = a.conn().await.expect("conn");
            let name = format!("cakap_bench_{}", std::process::id());
            cakap_store::execute!(c, sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .expect("create");
            measure("postgres", &format!("{admin}/{name}"), employees).await;
            cakap_store::execute!(
                c,
                sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))
            )
            .expect("drop");
        } else {
            println!("postgres: not reachable, skipped");
        }
    });
}
