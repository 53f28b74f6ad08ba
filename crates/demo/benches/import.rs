//! `cargo bench -p cakap-demo --bench import [-- ROWS]`: importing a generated employee
//! XLSX (default 100,000 rows, our template's columns) into a demo tenant, on SQLite and
//! PostgreSQL: the time to read, check and write it all in one transaction, and the peak
//! memory of the process while doing so (Linux `VmHWM`, reset just before the import).

use std::time::Instant;

use cakap_demo as demo;
use cakap_services::{Actor, Db, exports, imports};

/// Resident memory now and at its peak since the last reset, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

/// Valid, distinct NIPs: birth dates over ~27 years, TMT at 22, both genders, a sequence
/// number that changes every 10,000 rows.
fn nip(i: u32) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("date")
        + chrono::Days::new(u64::from(i % 10_000));
    let tmt_year = birth.format("%Y").to_string().parse::<i32>().expect("year") + 22;
    format!(
        "{}{tmt_year}{:02}{}{:03}",
        birth.format("%Y%m%d"),
        1 + i % 12,
        1 + i % 2,
        900 + (i / 10_000) % 99
    )
}

async fn workbook(db: &Db, tenant: i64, rows: u32) -> Vec<u8> {
    let mut c = db.conn().await.expect("conn");
    let (positions, _) = cakap_store::positions::list(&mut c, tenant, "", None, 100_000, 0)
        .await
        .expect("positions");
    drop(c);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (i, h) in exports::headers("employees").iter().enumerate() {
        ws.write_string(0, i as u16, *h).expect("cell");
    }
    for i in 0..rows {
        let p = &positions[i as usize % positions.len()];
        let r = i + 1;
        let cells = [
            nip(i),
            format!("Pegawai Uji {i}"),
            "PNS".into(),
            "III/a".into(),
            p.unit_code.clone(),
            p.name.clone(),
            p.kind.clone(),
            p.jenjang.clone().unwrap_or_default(),
            String::new(),
            String::new(),
        ];
        for (col, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, col as u16, v).expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

async fn measure(label: &str, url: &str, rows: u32) {
    let db = cakap_services::open(url).await.expect("open");
    // Certificates are issued in the demo: their keys in a directory of this run.
    let keys = std::env::temp_dir().join(format!("cakap-bench-keys-{}", std::process::id()));
    cakap_services::learning::keys::open(&db, &keys)
        .await
        .expect("keys");
    let tenant = {
        let mut c = db.conn().await.expect("conn");
        cakap_store::tenants::by_code(&mut c, cakap_services::DEFAULT_TENANT.0)
            .await
            .expect("q")
            .expect("tenant")
            .id
    };
    let opts = demo::Options {
        employees: 500,
        seed: 1112,
    };
    demo::load(&db, tenant, &opts, &|_, _| {})
        .await
        .expect("demo");
    let bytes = workbook(&db, tenant, rows).await;
    let admin = Actor::system(tenant);
    let (rss_before, _) = memory();
    // Linux: writing 5 resets the peak (VmHWM) to the current resident size.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let t = Instant::now();
    let outcome = imports::run(&db, &admin, "employees", &bytes, false, &|_, _| {})
        .await
        .expect("import");
    let took = t.elapsed();
    let (_, peak) = memory();
    assert!(
        outcome.errors.is_empty(),
        "{:?}",
        &outcome.errors[..3.min(outcome.errors.len())]
    );
    assert_eq!(outcome.summary.valid, rows as usize);
    println!(
        "{label}: imported {rows} employee rows ({:.1} MiB XLSX; {} created, {} updated) in {took:.2?}; \
         peak resident memory {peak:.0} MiB ({:+.0} MiB over the {rss_before:.0} MiB before)",
        bytes.len() as f64 / 1048576.0,
        outcome.summary.created,
        outcome.summary.updated,
        peak - rss_before
    );
    db.close().await;
}

fn main() {
    let rows: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("cakap_import_bench_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        measure("sqlite", &format!("sqlite://{}/b.db", dir.display()), rows).await;
        let _ = std::fs::remove_dir_all(&dir);
        let admin = "postgres://postgres@127.0.0.1:5432";
        let a = Db::connect(&format!("{admin}/postgres"))
            .await
            .expect("postgres");
        let mut c = a.conn().await.expect("conn");
        let name = format!("cakap_import_bench_{}", std::process::id());
        cakap_store::execute!(c, sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .expect("create");
        measure("postgres", &format!("{admin}/{name}"), rows).await;
        cakap_store::execute!(
            c,
            sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))
        )
        .expect("drop");
    });
}
