//! `cargo bench -p cakap-demo --bench campaigns [-- CAMPAIGNS]`: read-and-acknowledge campaigns
//! at the demo's size and beyond, on SQLite and PostgreSQL (docs/domain.md#regulations).
//!
//! On the demo (4,500 ASN), every one of them given an account so that each notice is a row:
//! 1. starting a campaign for everyone (targets and notices, set-based) — best of 3;
//! 2. a campaign's compliance by unit, computed (what fills the page's cache) — mean of 50;
//! 3. the reminder jobs of CAMPAIGNS campaigns for everyone (default 23: ~100,000 people
//!    targeted), each owing ~30 %: time, notices written, and statements per job.

mod common;

use std::time::Instant;

use cakap_demo as demo;
use cakap_services::regulations::campaigns::{self, AudienceInput, CampaignInput};
use cakap_services::{Actor, Db};
use serde_json::json;

async fn measure(label: &str, url: &str, campaigns_n: usize) {
    let (db, tenant) = common::open(url).await;
    demo::load(&db, tenant, &demo::Options::default(), &|_, _| {})
        .await
        .expect("demo");
    {
        let mut c = db.conn().await.expect("conn");
        let n = cakap_store::execute!(
            c,
            "INSERT INTO users (tenant_id, username, password_hash, role, employee_id, created_at) \
             SELECT e.tenant_id, 'bench' || e.nip, 'x', 'asn', e.id, 0 FROM employees e \
             WHERE e.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.employee_id = e.id)",
            tenant
        )
        .expect("accounts");
        println!("{label}: {n} accounts added (every ASN has one)");
    }
    db.analyze().await.expect("analyze");
    let admin = Actor::system(tenant);
    let reg = cakap_services::regulations::create(
        &db,
        &admin,
        &serde_json::from_value(json!({"jenis": "perbup", "nomor": "900", "tahun": 2026,
            "judul": "Perbup untuk pengukuran"}))
        .expect("input"),
    )
    .await
    .expect("regulation");
    let due = (chrono::Local::now().date_naive() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let everyone = CampaignInput {
        audience: AudienceInput {
            all: true,
            ..Default::default()
        },
        due_on: due.clone(),
        course: None,
    };
    let mut best = f64::MAX;
    let mut last = 0;
    let mut targeted = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let k = campaigns::create(&db, &admin, reg.id, &everyone)
            .await
            .expect("campaign");
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        (last, targeted) = (k.id, k.targeted);
    }
    println!(
        "{label}: a campaign for everyone ({targeted} targeted, {targeted} notices): {best:.0} ms (best of 3)"
    );

    // The aggregate itself (what fills the page's cache once per change).
    let t = Instant::now();
    for _ in 0..50 {
        let mut c = db.conn().await.expect("conn");
        cakap_store::regulations::compliance(&mut c, tenant, last, 1, "")
            .await
            .expect("compliance");
    }
    println!(
        "{label}: compliance by unit of one campaign, computed: {:.1} ms (mean of 50)",
        t.elapsed().as_secs_f64() * 1000.0 / 50.0
    );

    // The reminder jobs: campaigns_n campaigns for everyone, ~70 % acknowledged in each.
    let mut ids = Vec::new();
    for _ in 0..campaigns_n {
        ids.push(
            campaigns::create(&db, &admin, reg.id, &everyone)
                .await
                .expect("campaign")
                .id,
        );
    }
    {
        let mut c = db.conn().await.expect("conn");
        let now = cakap_store::now_ms();
        for id in &ids {
            cakap_store::regulations::demo_acknowledge(
                &mut c,
                tenant,
                *id,
                1,
                &[],
                70,
                None,
                now - 86_400_000,
                86_400_000,
            )
            .await
            .expect("acknowledgements");
        }
        // Thousands of acknowledgements arrived at once: as autovacuum would before long, let
        // the planner see them (unanalysed, PostgreSQL plans each reminder's anti-join as if
        // the campaign were empty: 1.3 s a campaign instead of milliseconds).
        drop(c);
        db.analyze().await.expect("analyze");
        let mut c = db.conn().await.expect("conn");
        // Every campaign's first reminder is due now.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        cakap_store::execute!(
            c,
            sqlx::AssertSqlSafe(format!(
                "UPDATE jobs SET run_at = 0 WHERE kind = 'campaign_reminder' AND state = 'pending' \
                 AND subject IN ({list})"
            ))
        )
        .expect("due now");
    }
    let notices = |db: Db| async move {
        let mut c = db.conn().await.expect("conn");
        cakap_store::fetch_scalar!(
            c,
            i64,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE kind IN ('reminder', 'overdue')"
        )
        .expect("count")
    };
    let before = notices(db.clone()).await;
    let t = Instant::now();
    let ran = cakap_services::jobs::run_due(&db, 1).await.expect("jobs");
    let took = t.elapsed().as_secs_f64();
    let written = notices(db.clone()).await - before;
    println!(
        "{label}: reminder jobs for {} people targeted ({ran} campaigns, ~30 % owing): {:.2} s, \
         {written} notices written; 9 statements per job (claim, begin, 3 reads, insert, schedule, \
         finish, commit), whatever its size",
        targeted * ran as i64,
        took
    );
    db.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let campaigns_n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(23);
    let dir = std::env::temp_dir().join(format!("cakap-campaign-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("bench.db");
    measure(
        "sqlite",
        &format!("sqlite://{}", file.display()),
        campaigns_n,
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);

    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    let pool = sqlx::PgPool::connect(admin)
        .await
        .expect("PostgreSQL at 127.0.0.1:5432 is needed for the second half");
    let name = format!("cakap_campaign_bench_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&pool)
        .await
        .expect("create");
    measure(
        "postgres",
        &format!("postgres://postgres@127.0.0.1:5432/{name}"),
        campaigns_n,
    )
    .await;
    if std::env::var_os("CAKAP_BENCH_KEEP").is_some() {
        println!("postgres: kept database {name}");
        return;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&pool)
    .await
    .expect("drop");
}
