//! Faults Cakap must survive (issue 19, docs/operations.md#faults), with the real `cakap`
//! binary: PostgreSQL stopped and started again under concurrent requests — on a throw-away
//! cluster of the test's own (`pg_createcluster`, another port), so restarting it touches
//! nothing else — and SQLite on a full disk (a small tmpfs the test mounts). Both need root,
//! as CI has; neither skips.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::sqlite_scalar;

/// Runs an operator's command that must succeed (`what` names it in the failure).
pub fn must(c: &mut Command, what: &str) {
    let o = c.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A PostgreSQL cluster made for this test and dropped after it.
struct Cluster {
    version: String,
    name: String,
    port: u16,
}

impl Cluster {
    fn new() -> Cluster {
        let version = std::fs::read_dir("/etc/postgresql")
            .expect("PostgreSQL is installed (/etc/postgresql): this test needs it, never skips")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .max()
            .expect("a PostgreSQL version");
        // Clusters left by a run that was killed (their process is gone).
        for e in std::fs::read_dir(format!("/etc/postgresql/{version}"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("cakapfault")
                && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = Command::new("pg_dropcluster")
                    .args(["--stop", &version, &name])
                    .output();
            }
        }
        let name = format!("cakapfault{}", std::process::id());
        // No port given: pg_createcluster takes the next free one (never the main cluster's);
        // never started at boot.
        must(
            Command::new("pg_createcluster").args([
                &version,
                &name,
                "--start-conf",
                "manual",
                "--",
                "-A",
                "trust",
            ]),
            "pg_createcluster",
        );
        let conf =
            std::fs::read_to_string(format!("/etc/postgresql/{version}/{name}/postgresql.conf"))
                .expect("postgresql.conf");
        let port = conf
            .lines()
            .find_map(|l| l.strip_prefix("port = "))
            .and_then(|p| p.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .expect("the cluster's port");
        // Made: from here on it is dropped whatever happens.
        let cluster = Cluster {
            version,
            name,
            port,
        };
        cluster.ctl("start");
        cluster
    }

    fn ctl(&self, action: &str) {
        must(
            Command::new("pg_ctlcluster").args([
                "--skip-systemctl-redirect",
                &self.version,
                &self.name,
                action,
                "-m",
                "fast",
            ]),
            &format!("pg_ctlcluster {action}"),
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("pg_dropcluster")
            .args(["--stop", &self.version, &self.name])
            .output();
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// (status, seconds, body) of a GET with curl, bounded so a hang shows as status 0.
fn get(url: &str, bearer: Option<&str>) -> (u16, f64, String) {
    let mut c = Command::new("curl");
    c.args([
        "-s",
        "--max-time",
        "15",
        "-w",
        "\n%{http_code} %{time_total}",
    ]);
    if let Some(b) = bearer {
        c.args(["-H", &format!("authorization: Bearer {b}")]);
    }
    let o = c.arg(url).output().expect("curl");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let (body, tail) = out.rsplit_once('\n').unwrap_or(("", &out));
    let mut it = tail.split(' ');
    let status = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let secs = it.next().and_then(|s| s.parse().ok()).unwrap_or(99.0);
    (status, secs, body.to_string())
}

/// When it came, which kind of request, status, seconds, body.
type Answer = (Instant, &'static str, u16, f64, String);

/// One fault at a time: each loads the machine (16 clients, a PostgreSQL cluster, a killed
/// server), and their timings are only meaningful alone.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[test]
fn postgres_restarted_under_load() {
    let _alone = one_at_a_time();
    let cluster = Cluster::new();
    let dir = std::env::temp_dir().join(format!("cakap_fault_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let http = 18600 + (std::process::id() % 300) as u16;
    let base = format!("http://127.0.0.1:{http}");
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_cakap"))
            .args([
                "--database-url",
                &format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port),
            ])
            .arg("--keys-dir")
            .arg(dir.join("keys"))
            .args(["serve", "--addr", &format!("127.0.0.1:{http}")])
            .env("CAKAP_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cakap serve"),
    );
    let up = Instant::now();
    let mut server = server;
    while get(&format!("{base}/healthz"), None).0 != 200 {
        assert!(
            server.0.try_wait().expect("wait").is_none(),
            "the server exited at start"
        );
        assert!(up.elapsed() < Duration::from_secs(60), "the server starts");
        std::thread::sleep(Duration::from_millis(100));
    }

    // 16 clients, each alternating a bearer token lookup (API: 401 when up) and a public page
    // that reads the database in its handler (an unknown unit's survey: 404 when up).
    let token = "ab".repeat(32);
    let stop = Arc::new(AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<Answer>>> = Arc::default();
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (stop, seen, base, token) =
                (stop.clone(), seen.clone(), base.clone(), token.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let (s, t, b) = get(&format!("{base}/api/v1/employees"), Some(&token));
                    seen.lock()
                        .expect("lock")
                        .push((Instant::now(), "api", s, t, b));
                    let (s, t, b) = get(&format!("{base}/survei/TIDAK-ADA"), None);
                    seen.lock()
                        .expect("lock")
                        .push((Instant::now(), "page", s, t, b));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    let down_at = Instant::now();
    cluster.ctl("stop");
    std::thread::sleep(Duration::from_secs(6));
    cluster.ctl("start");
    let started_at = Instant::now();
    // Back within seconds, with no restart of Cakap.
    let mut back = None;
    while started_at.elapsed() < Duration::from_secs(20) {
        if get(&format!("{base}/api/v1/employees"), Some(&token)).0 == 401
            && get(&format!("{base}/survei/TIDAK-ADA"), None).0 == 404
        {
            back = Some(started_at.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(1));
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("client");
    }
    let mut server = server;
    assert!(
        server.0.try_wait().expect("wait").is_none(),
        "the server kept running"
    );
    let back = back.expect("requests succeed again within 20 s of the restart");

    let seen = seen.lock().expect("lock");
    let during: Vec<_> = seen
        .iter()
        .filter(|r| r.0 > down_at && r.0 < started_at)
        .collect();
    assert!(
        during.iter().any(|r| r.2 == 503),
        "requests failed while the database was down"
    );
    for (_, kind, status, secs, body) in seen.iter() {
        let ok = if *kind == "api" { 401 } else { 404 };
        assert!(*status == ok || *status == 503, "{kind}: {status} {body}");
        // The pool waits 10 s for a connection before its 503 (docs/operations.md#faults).
        assert!(*secs < 15.0, "{kind}: answered in {secs} s — no hang");
        if *status == 503 && *kind == "api" {
            assert!(
                body.contains("\"code\":\"unavailable\""),
                "the error shape: {body}"
            );
        }
    }
    eprintln!(
        "{} requests; {} answered 503 while the database was down; back {:.1?} after its start",
        seen.len(),
        during.iter().filter(|r| r.2 == 503).count(),
        back
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A small tmpfs, mounted for the test and unmounted after it (even on a panic).
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn new(megabytes: u32) -> SmallDisk {
        let p = std::env::temp_dir().join(format!("cakap_full_{}", std::process::id()));
        std::fs::create_dir_all(&p).expect("dir");
        must(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
                .arg(&p),
            "mounting a tmpfs (needs root, as CI runs)",
        );
        SmallDisk(p)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cakap(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cakap"))
        .env_remove("DATABASE_URL")
        .args(["--database-url", url])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("cakap")
}

/// SQLite on a full disk: an import fails with a clear error and writes nothing, the file
/// stays sound, and the same import succeeds once space returns.
#[test]
fn sqlite_on_a_full_disk() {
    let _alone = one_at_a_time();
    let disk = SmallDisk::new(24);
    let db = disk.0.join("c.db");
    let url = format!("sqlite://{}", db.display());
    let o = cakap(&url, &["demo", "--employees", "100"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // 3,000 new employees, kept off the small disk.
    let csv = std::env::temp_dir().join(format!("cakap_full_{}.csv", std::process::id()));
    let mut rows = String::from("NIP,Nama,Status,Golongan,Kode Unit\n");
    for i in 0..3000u32 {
        let (y, m, d) = (1970 + i / 336, 1 + (i / 28) % 12, 1 + i % 28);
        rows.push_str(&format!(
            "{y:04}{m:02}{d:02}200501{}{:03},Pegawai Penuh {i},PNS,III/a,PKM.06\n",
            1 + i % 2,
            1 + i % 999
        ));
    }
    std::fs::write(&csv, rows).expect("csv");
    // Fill the disk to the last byte.
    let filler = disk.0.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 64 << 10];
        while f.write_all(&chunk).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
    }
    let import = |path: &std::path::Path| {
        cakap(&url, &["import", "employees", path.to_str().expect("path")])
    };
    let refused = |what: &str| {
        let o = import(&csv);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!o.status.success(), "{what}: the import cannot succeed");
        // After the progress lines, one line that says what went wrong.
        let last = err.trim().lines().last().unwrap_or("");
        assert!(
            last.starts_with("cakap: ") && last.contains("disk"),
            "{what}: a clear error: {err}"
        );
    };
    // Not a byte left: the database cannot even be opened (SQLite needs its shared memory file).
    refused("no space at all");
    // 256 KiB left: opened, the rows checked, the writing stops half way and is rolled back.
    let len = std::fs::metadata(&filler).expect("filler").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .and_then(|f| f.set_len(len.saturating_sub(256 << 10)))
        .expect("free 256 KiB");
    refused("256 KiB left");
    // Space returns: the file is sound and holds nothing of either attempt (no reader can open
    // a WAL database on a full disk to look before), and the same import goes through.
    std::fs::remove_file(&filler).expect("free the space");
    assert_eq!(sqlite_scalar(&db, "PRAGMA integrity_check"), "ok");
    assert_eq!(
        sqlite_scalar(&db, "SELECT COUNT(*) FROM employees"),
        "100",
        "nothing half written"
    );
    let o = import(&csv);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(sqlite_scalar(&db, "PRAGMA integrity_check"), "ok");
    assert_eq!(sqlite_scalar(&db, "SELECT COUNT(*) FROM employees"), "3100");
    let _ = std::fs::remove_file(&csv);
}

/// curl with a cookie jar: (status, body).
fn post_json(
    base: &str,
    path: &str,
    jar: &std::path::Path,
    csrf: &str,
    body: &str,
) -> (u16, String) {
    let o = Command::new("curl")
        .args(["-s", "--max-time", "10", "-w", "\n%{http_code}", "-b"])
        .arg(jar)
        .arg("-c")
        .arg(jar)
        .args([
            "-H",
            "content-type: application/json",
            "-H",
            &format!("x-csrf-token: {csrf}"),
        ])
        .args(["-d", body])
        .arg(format!("{base}{path}"))
        .output()
        .expect("curl");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let (body, status) = out.rsplit_once('\n').unwrap_or(("", &out));
    (status.trim().parse().unwrap_or(0), body.to_string())
}

fn start(url: &str, keys: &std::path::Path, port: u16) -> Server {
    let mut s = Server(
        Command::new(env!("CARGO_BIN_EXE_cakap"))
            .args(["--database-url", url])
            .arg("--keys-dir")
            .arg(keys)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("CAKAP_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cakap serve"),
    );
    let up = Instant::now();
    while get(&format!("http://127.0.0.1:{port}/healthz"), None).0 != 200 {
        assert!(
            s.0.try_wait().expect("wait").is_none(),
            "the server exited at start"
        );
        assert!(up.elapsed() < Duration::from_secs(60), "the server starts");
        std::thread::sleep(Duration::from_millis(100));
    }
    s
}

/// `kill -9` while campaigns are being created (each a regulation, then a campaign for everyone
/// with one target row per active ASN, in one transaction): afterwards the file is sound,
/// every campaign has all its targets, every campaign the server confirmed (201) is there, and
/// the server starts again on the same file.
#[test]
fn kill_9_during_campaign_creation() {
    let _alone = one_at_a_time();
    let dir = std::env::temp_dir().join(format!("cakap_kill_campaigns_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("k.db");
    let url = format!("sqlite://{}", db.display());
    let o = cakap(&url, &["demo", "--employees", "300"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let port = 18950 + (std::process::id() % 40) as u16;
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&url, &dir.join("keys"), port);
    let jar = dir.join("jar");
    let (status, login) = post_json(
        &base,
        "/api/v1/auth/login",
        &jar,
        "",
        r#"{"username":"admin","password":"Cakap-Demo-2026"}"#,
    );
    assert_eq!(status, 200, "{login}");
    let csrf = login
        .split("\"csrf_token\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf")
        .to_string();
    let due = Command::new("date")
        .args(["-d", "+14 days", "+%F"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .expect("date");
    let stop = Arc::new(AtomicBool::new(false));
    let confirmed = Arc::new(Mutex::new(0usize));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (stop, confirmed, base, jar, csrf, due) =
                (stop.clone(), confirmed.clone(), base.clone(), jar.clone(), csrf.clone(), due.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let reg = format!(
                        r#"{{"jenis":"perbup","nomor":"K{w}-{i}","tahun":2026,"judul":"Uji kill {w}-{i}"}}"#
                    );
                    let (s, body) = post_json(&base, "/api/v1/regulations", &jar, &csrf, &reg);
                    if s != 201 {
                        return; // the server is gone
                    }
                    let id = body
                        .split("\"id\":")
                        .nth(1)
                        .and_then(|r| r.split([',', '}']).next())
                        .expect("id")
                        .to_string();
                    let campaign = format!(r#"{{"audience":{{"all":true}},"due_on":"{due}"}}"#);
                    let (s, _) = post_json(&base, &format!("/api/v1/regulations/{id}/campaigns"), &jar, &csrf, &campaign);
                    if s != 201 {
                        return;
                    }
                    *confirmed.lock().expect("lock") += 1;
                }
            })
        })
        .collect();
    // Killed while writes go on: once a few campaigns are through (however loaded the machine
    // is: a fixed wait could end before the first one), and a moment later.
    let started = Instant::now();
    while *confirmed.lock().expect("lock") < 3 && started.elapsed() < Duration::from_secs(90) {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(700));
    server.0.kill().expect("kill -9");
    let _ = server.0.wait();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer");
    }
    let confirmed = *confirmed.lock().expect("lock");
    assert!(
        confirmed > 0,
        "campaigns were being created when the server was killed"
    );
    assert_eq!(sqlite_scalar(&db, "PRAGMA integrity_check"), "ok");
    // The test's campaigns (the demo has campaigns of its own, for some units).
    let ours =
        "c.regulation_id IN (SELECT r.id FROM regulations r WHERE r.judul LIKE 'Uji kill %')";
    let campaigns: usize = sqlite_scalar(
        &db,
        &format!("SELECT COUNT(*) FROM campaigns c WHERE {ours}"),
    )
    .parse()
    .expect("count");
    assert!(
        campaigns >= confirmed,
        "every confirmed campaign is there: {campaigns} < {confirmed}"
    );
    assert_eq!(
        sqlite_scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM campaigns c WHERE {ours} AND (SELECT COUNT(*) FROM \
                 campaign_targets t WHERE t.tenant_id = c.tenant_id AND t.campaign_id = c.id) \
                 <> (SELECT COUNT(*) FROM employees e WHERE e.tenant_id = c.tenant_id AND e.active)"
            )
        ),
        "0",
        "no campaign without all its targets"
    );
    eprintln!("{confirmed} campaigns confirmed before the kill, {campaigns} stored, each whole");
    // The same file serves again.
    let _again = start(&url, &dir.join("keys"), port);
    drop(_again);
    let _ = std::fs::remove_dir_all(&dir);
}
