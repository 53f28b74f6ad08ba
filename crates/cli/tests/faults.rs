//! Faults Cakap must survive (issue 19, docs/operations.md#faults), with the real `cakap`
//! binary: PostgreSQL stopped and started again under concurrent requests — on a throw-away
//! cluster of the test's own (`pg_createcluster`, another port), so restarting it touches
//! nothing else — and SQLite on a full disk (a small tmpfs the test mounts). Both need root,
//! as CI has; neither skips.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::{Server, cakap, get, must, one_at_a_time, sqlite_scalar};

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

/// When it came, which kind of request, status, seconds, body.
type Answer = (Instant, &'static str, u16, f64, String);

#[test]
fn postgres_restarted_under_load() {
    let _alone = one_at_a_time();
    let cluster = Cluster::new();
    let dir = std::env::temp_dir().join(format!("cakap_fault_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    let mut server = Server::start(&url, &dir.join("keys"), &[]);
    let base = server.base.clone();

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
    assert!(server.running(), "the server kept running");
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
