//! The `cakap` binary as an operator uses it: exit codes, one-line errors, accounts,
//! backup and restore, and a `kill -9` in the middle of a large load.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

mod common;
use common::sqlite_scalar;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cakap"));
    c.env_remove("DATABASE_URL")
        .env_remove("CAKAP_PASSWORD")
        .stdin(Stdio::null());
    c
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("cakap_cli_{name}_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        Dir(p)
    }
    fn url(&self, file: &str) -> String {
        format!("sqlite://{}", self.0.join(file).display())
    }
    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str], url: &str, password: Option<&str>) -> Output {
    let mut c = bin();
    c.arg("--database-url").arg(url).args(args);
    if let Some(p) = password {
        c.env("CAKAP_PASSWORD", p);
    }
    c.output().expect("run cakap")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn user_commands_follow_the_cli_contract() {
    let d = Dir::new("users");
    let url = d.url("c.db");
    assert!(run(&["migrate"], &url, None).status.success());
    // Password from the environment; the policy applies.
    let o = run(
        &["user", "add", "siti", "--role", "admin"],
        &url,
        Some("Blangpidie-2026"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        &["user", "add", "siti", "--role", "admin"],
        &url,
        Some("Blangpidie-2026"),
    );
    assert!(!o.status.success());
    assert_eq!(stderr(&o).lines().count(), 1, "one line: {}", stderr(&o));
    let o = run(
        &["user", "add", "budi", "--role", "admin"],
        &url,
        Some("short"),
    );
    assert!(
        !o.status.success() && stderr(&o).contains("password"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &["user", "add", "budi", "--role", "raja"],
        &url,
        Some("Blangpidie-2026"),
    );
    assert!(!o.status.success());
    // No password and no terminal: an error, not a hang.
    let o = run(&["user", "add", "budi", "--role", "admin"], &url, None);
    assert!(
        !o.status.success() && stderr(&o).contains("CAKAP_PASSWORD"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &["user", "add", "kapus", "--role", "pimpinan"],
        &url,
        Some("Blangpidie-2026"),
    );
    assert!(!o.status.success(), "a pimpinan needs a unit");
    assert!(
        run(
            &["user", "passwd", "siti"],
            &url,
            Some("Susoh-Manggeng-2026")
        )
        .status
        .success()
    );
    assert!(
        !run(
            &["user", "passwd", "nobody"],
            &url,
            Some("Susoh-Manggeng-2026")
        )
        .status
        .success()
    );
    assert!(
        run(&["user", "disable", "siti"], &url, None)
            .status
            .success()
    );
    assert_eq!(
        sqlite_scalar(
            &d.path("c.db"),
            "SELECT COUNT(*) FROM users WHERE username = 'siti' AND active = 0"
        ),
        "1"
    );
    assert_eq!(
        sqlite_scalar(
            &d.path("c.db"),
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'user'"
        ),
        "3"
    );
}

#[test]
fn demo_loads_once_and_backup_restore_round_trips() {
    let d = Dir::new("backup");
    let url = d.url("a.db");
    let o = run(&["demo", "--employees", "300"], &url, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("300 employees") && out.contains("kadinkes"),
        "{out}"
    );
    let o = run(&["demo", "--employees", "300"], &url, None);
    assert!(!o.status.success(), "a second demo load is refused");
    let backup = d.path("backup.db");
    let o = run(&["backup", backup.to_str().expect("path")], &url, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let restored = d.url("restored.db");
    let o = run(
        &["restore", backup.to_str().expect("path")],
        &restored,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let digest = "SELECT group_concat(nip || name || coalesce(golongan, '') || unit_id, ',') FROM (SELECT * FROM employees ORDER BY id)";
    let a = sqlite_scalar(&d.path("a.db"), digest);
    assert!(a.len() > 1000);
    assert_eq!(a, sqlite_scalar(&d.path("restored.db"), digest));
    assert_eq!(
        sqlite_scalar(&d.path("restored.db"), "PRAGMA integrity_check"),
        "ok"
    );
    // Not a database: refused with a message, nothing overwritten.
    std::fs::write(d.path("junk.db"), b"not sqlite").expect("write");
    let o = run(
        &["restore", d.path("junk.db").to_str().expect("path")],
        &url,
        None,
    );
    assert!(!o.status.success() && stderr(&o).contains("not an SQLite database"));
    assert_eq!(
        sqlite_scalar(&d.path("a.db"), "SELECT COUNT(*) FROM employees"),
        "300"
    );
}

#[test]
fn kill_9_during_a_large_load_leaves_nothing_half_written() {
    let d = Dir::new("kill");
    let url = d.url("k.db");
    assert!(run(&["migrate"], &url, None).status.success());
    let mut child = bin()
        .arg("--database-url")
        .arg(&url)
        .args(["demo", "--employees", "200000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until the load has written rows inside its transaction, then kill it hard.
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let started = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(started.starts_with("demo:"), "progress line: {started}");
    child.kill().expect("kill -9");
    let _ = child.wait();
    let db = d.path("k.db");
    assert_eq!(sqlite_scalar(&db, "PRAGMA integrity_check"), "ok");
    assert_eq!(sqlite_scalar(&db, "SELECT COUNT(*) FROM employees"), "0");
    assert_eq!(sqlite_scalar(&db, "SELECT COUNT(*) FROM units"), "0");
    // And the database works afterwards.
    let o = run(&["demo", "--employees", "100"], &url, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn export_writes_a_spreadsheet_and_refuses_unknown_kinds() {
    let d = Dir::new("export");
    let url = d.url("x.db");
    assert!(
        run(&["demo", "--employees", "120"], &url, None)
            .status
            .success()
    );
    let out = d.path("employees.csv");
    let o = run(
        &[
            "export",
            "employees",
            "--format",
            "csv",
            "-o",
            out.to_str().expect("path"),
        ],
        &url,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).expect("csv");
    assert!(text.starts_with("NIP,Nama,Status,Golongan,Kode Unit"));
    assert_eq!(text.lines().count(), 121);
    let xlsx = d.path("a.xlsx");
    let o = run(
        &["export", "assessments", "-o", xlsx.to_str().expect("path")],
        &url,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&xlsx).expect("xlsx").starts_with(b"PK"));
    let o = run(&["export", "salaries"], &url, None);
    assert!(!o.status.success());

    // The annual report: the extension picks the format; anything else is refused.
    // Any year 2000–2100 is reported on (a year without data has empty sections).
    let year = "2026".to_string();
    let pdf = d.path("laporan.pdf");
    let o = run(
        &[
            "report",
            "annual",
            "--year",
            &year,
            "-o",
            pdf.to_str().expect("path"),
        ],
        &url,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        String::from_utf8_lossy(&bytes)
            .contains(&format!("Laporan Pengembangan Kompetensi ASN {year}"))
    );
    let book = d.path("laporan.xlsx");
    let o = run(
        &[
            "report",
            "annual",
            "--year",
            &year,
            "-o",
            book.to_str().expect("path"),
        ],
        &url,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&book).expect("xlsx").starts_with(b"PK"));
    let o = run(
        &["report", "annual", "--year", &year, "-o", "laporan.doc"],
        &url,
        None,
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains(".pdf or .xlsx"), "{}", stderr(&o));
    let o = run(&["report", "annual", "--year", "1900"], &url, None);
    assert!(!o.status.success());
}

#[test]
fn kill_9_during_an_import_commit_leaves_the_database_as_before() {
    let d = Dir::new("kill_import");
    let url = d.url("k.db");
    assert!(
        run(&["demo", "--employees", "100"], &url, None)
            .status
            .success()
    );
    // 60,000 valid new employees: birth dates walk forward, sequences cycle.
    let mut csv = String::from("NIP,Nama,Status,Golongan,Kode Unit\n");
    let start = chrono_like_days();
    for i in 0..60_000u32 {
        let (y, m, dd) = start[(i / 999) as usize % start.len()];
        csv.push_str(&format!(
            "{y:04}{m:02}{dd:02}200501{}{:03},Pegawai {i},PNS,III/a,PKM.06\n",
            1 + i % 2,
            1 + i % 999
        ));
    }
    let file = d.path("big.csv");
    std::fs::write(&file, csv).expect("write");
    let mut child = bin()
        .arg("--database-url")
        .arg(&url)
        .args(["import", "employees", file.to_str().expect("path")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    // Progress past 50% means validation is done and rows are being written in the transaction.
    let writing = std::io::BufRead::lines(std::io::BufReader::new(stderr))
        .map_while(Result::ok)
        .find(|l| {
            l.strip_prefix("import employees: ")
                .and_then(|p| p.trim_end_matches('%').parse::<u32>().ok())
                .is_some_and(|p| p > 55 && p < 100)
        });
    assert!(writing.is_some(), "the import reached its writing phase");
    child.kill().expect("kill -9");
    let _ = child.wait();
    let db = d.path("k.db");
    assert_eq!(sqlite_scalar(&db, "PRAGMA integrity_check"), "ok");
    assert_eq!(
        sqlite_scalar(&db, "SELECT COUNT(*) FROM employees"),
        "100",
        "no half import"
    );
}

/// Birth dates 1970-01-01 onwards, one per 999 rows (day-of-month capped at 28).
fn chrono_like_days() -> Vec<(u32, u32, u32)> {
    let mut v = Vec::new();
    for y in 1970..1985 {
        for m in 1..=12 {
            for d in 1..=28 {
                v.push((y, m, d));
            }
        }
    }
    v
}
