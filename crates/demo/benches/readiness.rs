//! `cargo bench -p cakap-demo --bench readiness`: crisis readiness on the demo (4,500 ASN), on
//! SQLite and PostgreSQL (docs/domain.md#readiness):
//! 1. team assembly for a flood in Babahrot from its target table, saved (what the coordinator
//!    waits for at 21:00) — mean of 20 and the slowest;
//! 2. the readiness board, computed (every hazard × exposed kecamatan; what fills the page's
//!    cache once per change) — mean of 20.

mod common;

use std::time::Instant;

use cakap_demo as demo;
use cakap_services::Actor;
use cakap_services::readiness::teams::{self, TeamInput};

async fn measure(label: &str, url: &str) {
    let (db, tenant) = common::open(url).await;
    demo::load(&db, tenant, &demo::Options::default(), &|_, _| {})
        .await
        .expect("demo");
    let admin = Actor::system(tenant);
    let input = TeamInput {
        hazard: "banjir".into(),
        kecamatan: "11.12.06".into(),
        roles: Vec::new(),
    };
    // One warm-up (the board's cache is filled by the first, as on a running server).
    let first = teams::assemble(&db, &admin, &input).await.expect("team");
    let (mut total, mut worst) = (0.0_f64, 0.0_f64);
    for _ in 0..20 {
        let t = Instant::now();
        teams::assemble(&db, &admin, &input).await.expect("team");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        total += ms;
        worst = worst.max(ms);
    }
    println!(
        "{label}: team assembly (flood, Babahrot, {} members, saved): {:.1} ms mean of 20, {:.1} ms slowest",
        first.members.len(),
        total / 20.0,
        worst
    );
    let t = Instant::now();
    for _ in 0..20 {
        cakap_services::readiness::board_uncached(&db, tenant)
            .await
            .expect("board");
    }
    println!(
        "{label}: readiness board computed (5 hazards × exposed kecamatan): {:.1} ms mean of 20",
        t.elapsed().as_secs_f64() * 1000.0 / 20.0
    );
    db.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::temp_dir().join(format!("cakap-readiness-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("bench.db");
    measure("sqlite", &format!("sqlite://{}", file.display())).await;
    let _ = std::fs::remove_dir_all(&dir);

    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    let pool = sqlx::PgPool::connect(admin)
        .await
        .expect("PostgreSQL at 127.0.0.1:5432 is needed for the second half");
    let name = format!("cakap_readiness_bench_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&pool)
        .await
        .expect("create");
    measure(
        "postgres",
        &format!("postgres://postgres@127.0.0.1:5432/{name}"),
    )
    .await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&pool)
    .await
    .expect("drop");
}
