//! What the binary's test files share: reading a database from outside the binary under test,
//! a throw-away database on either backend, and the real `cakap serve` with a curl client.
// Each test file uses a part of these helpers; the rest would warn as unused in that file.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The demo logins' password (crates/demo: `DEMO_PASSWORD`).
pub const PASSWORD: &str = "Cakap-Demo-2026";

/// One value read from a SQLite file by Python's own sqlite3 (outside the binary under test);
/// empty when it cannot be read.
pub fn sqlite_scalar(path: &Path, sql: &str) -> String {
    let o = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])",
        ])
        .arg(path)
        .arg(sql)
        .output()
        .expect("python3");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The PostgreSQL server the tests use (README: `CAKAP_TEST_PG`, else 127.0.0.1:5432).
fn pg_server() -> String {
    std::env::var("CAKAP_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
        .trim_end_matches('/')
        .to_string()
}

/// A database made for one test and removed after it: a SQLite file in its own directory, or a
/// PostgreSQL database on the tests' server (unreachable is a failure, never a skip).
pub struct Backend {
    pub dir: PathBuf,
    pg: Option<String>,
}

impl Backend {
    pub fn sqlite(name: &str) -> Backend {
        Backend::new(&format!("{name}_sqlite"))
    }

    fn new(name: &str) -> Backend {
        let dir = std::env::temp_dir().join(format!("cakap_{name}_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        Backend { dir, pg: None }
    }

    pub fn postgres(name: &str) -> Backend {
        let mut b = Backend::new(&format!("{name}_pg"));
        let db = format!("cakap_{name}_{}", std::process::id());
        let drop = format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)");
        psql("postgres", &drop);
        psql("postgres", &format!("CREATE DATABASE {db}"));
        b.pg = Some(db);
        b
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    pub fn url(&self) -> String {
        match &self.pg {
            Some(db) => format!("{}/{db}", pg_server()),
            None => format!("sqlite://{}", self.dir.join("c.db").display()),
        }
    }

    /// One value, read outside the binary under test (Python's sqlite3, or psql).
    pub fn scalar(&self, sql: &str) -> String {
        self.column(sql).into_iter().next().unwrap_or_default()
    }

    /// The first column of every row, each as text.
    pub fn column(&self, sql: &str) -> Vec<String> {
        let text = match &self.pg {
            Some(db) => psql(db, sql),
            None => {
                let o = Command::new("python3")
                    .args([
                        "-c",
                        "import sqlite3,sys\nfor r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(r[0])",
                    ])
                    .arg(self.dir.join("c.db"))
                    .arg(sql)
                    .output()
                    .expect("python3");
                assert!(
                    o.status.success(),
                    "{sql}: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                String::from_utf8_lossy(&o.stdout).trim().to_string()
            }
        };
        text.lines().map(str::to_string).collect()
    }

    pub fn count(&self, sql: &str) -> i64 {
        let v = self.scalar(sql);
        v.parse().unwrap_or_else(|_| panic!("{sql} → {v:?}"))
    }

    /// After a `kill -9` on PostgreSQL: waits (at most 30 s) until the killed server's sessions
    /// are gone — a commit it had sent may still be finishing in its backend.
    pub fn settle(&self) {
        let Some(db) = &self.pg else { return };
        let sql = format!(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{db}' \
             AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        );
        let since = Instant::now();
        while psql(db, &sql) != "0" {
            assert!(
                since.elapsed() < Duration::from_secs(30),
                "the killed server's sessions end"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SQLite's own check of the file; on PostgreSQL the server keeps its files whole itself.
    pub fn sound(&self) {
        if !self.is_postgres() {
            assert_eq!(self.scalar("PRAGMA integrity_check"), "ok");
        }
    }

    /// The `cakap` binary on this database, with the keys directory its server uses (the
    /// demo signs certificates with keys it makes there).
    pub fn cakap(&self, args: &[&str]) -> std::process::Output {
        let keys = self.dir.join("keys");
        let mut all = vec!["--keys-dir", keys.to_str().expect("a UTF-8 path")];
        all.extend_from_slice(args);
        cakap(&self.url(), &all)
    }

    /// The real server on this database, started and answering.
    pub fn serve(&self) -> Server {
        Server::start(&self.url(), &self.dir.join("keys"), &[])
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some(db) = &self.pg {
            let _ = Command::new("psql")
                .arg("-d")
                .arg(format!("{}/postgres", pg_server()))
                .arg("-c")
                .arg(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One value from psql (which must succeed).
pub fn psql(db: &str, sql: &str) -> String {
    let o = Command::new("psql")
        .arg("-d")
        .arg(format!("{}/{db}", pg_server()))
        .args(["-tAq", "-v", "ON_ERROR_STOP=1"])
        .arg("-c")
        .arg(sql)
        .output()
        .expect("psql");
    assert!(
        o.status.success(),
        "psql {sql}: {} (the tests' PostgreSQL is needed, never skipped)",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The `cakap` binary, without the developer's own settings (`DATABASE_URL`, `CAKAP_*`: a
/// keys directory, an SMTP relay that would send mail, secure cookies).
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cakap"));
    c.env_remove("DATABASE_URL");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CAKAP_") {
            c.env_remove(name);
        }
    }
    c.stdin(Stdio::null());
    c
}

pub fn cakap(url: &str, args: &[&str]) -> std::process::Output {
    command()
        .args(["--database-url", url])
        .args(args)
        .output()
        .expect("cakap")
}

/// `cakap serve`, killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Starts `cakap serve` on a port the system picks, and waits until it says where it
    /// listens and `/healthz` answers.
    pub fn start(url: &str, keys: &Path, extra: &[&str]) -> Server {
        let mut child = command()
            .args(["--database-url", url])
            .arg("--keys-dir")
            .arg(keys)
            .args(extra)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("CAKAP_LOG", "error")
            .stdout(Stdio::piped())
            // CAKAP_TEST_LOG=1 shows the server's errors (when a test finds a 500).
            .stderr(if std::env::var_os("CAKAP_TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("cakap serve");
        // "Cakap is running at http://127.0.0.1:PORT/", then the rest drained in the background.
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(url) = line.strip_prefix("Cakap is running at ") {
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        // Killed on drop from here on, whatever happens next.
        let mut s = Server {
            child,
            base: String::new(),
        };
        s.base = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens within 60 s");
        let up = Instant::now();
        while get(&s.url("/healthz"), None).0 != 200 {
            assert!(
                s.child.try_wait().expect("wait").is_none(),
                "the server exited at start"
            );
            assert!(up.elapsed() < Duration::from_secs(60), "the server starts");
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory now, in KiB (Linux).
    pub fn rss_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.split_whitespace().next()?.parse().ok())
            })
            .unwrap_or(0)
    }

    /// `kill -9`, and the process reaped.
    pub fn kill9(&mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }

    pub fn running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (status, seconds, body) of a GET with curl, bounded so a hang shows as status 0.
pub fn get(url: &str, bearer: Option<&str>) -> (u16, f64, String) {
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

/// A logged-in client: a cookie jar and the session's CSRF token, driving curl.
#[derive(Clone)]
pub struct Client {
    base: String,
    jar: PathBuf,
    csrf: String,
}

impl Client {
    /// Logs `username` in through the API (the demo's password unless given).
    pub fn login(server: &Server, dir: &Path, username: &str) -> Client {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut c = Client {
            base: server.base.clone(),
            jar: dir.join(format!("jar-{username}-{n}")),
            csrf: String::new(),
        };
        let body = serde_json::json!({"username": username, "password": PASSWORD});
        let (status, login) = c.send("POST", "/api/v1/auth/login", Some(&body));
        assert_eq!(status, 200, "login {username}: {login}");
        c.csrf = login["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_string();
        c
    }

    /// (status, JSON body or Null) of a request with the session; status 0 when the server
    /// did not answer within 30 s.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let (status, text) = self.raw(method, path, body);
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    pub fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send("POST", path, Some(&body))
    }

    /// (status, body as text).
    pub fn raw(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> (u16, String) {
        let mut c = Command::new("curl");
        c.args([
            "-s",
            "--max-time",
            "30",
            "-w",
            "\n%{http_code}",
            "-X",
            method,
            "-b",
        ])
        .arg(&self.jar)
        .args(["-H", &format!("x-csrf-token: {}", self.csrf)]);
        // The jar is written by the login only: clones of a client send requests at once, and
        // curls rewriting one file together lose the cookie (a 401 that is the test's own).
        if self.csrf.is_empty() {
            c.arg("-c").arg(&self.jar);
        }
        if let Some(b) = body {
            c.args(["-H", "content-type: application/json", "-d", &b.to_string()]);
        }
        let o = c
            .arg(format!("{}{path}", self.base))
            .output()
            .expect("curl");
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let (text, status) = out.rsplit_once('\n').unwrap_or(("", &out));
        // An answer cut off (the server killed mid-body) is no answer: not confirmed.
        if !o.status.success() {
            return (0, text.to_string());
        }
        (status.trim().parse().unwrap_or(0), text.to_string())
    }
}

/// Runs an operator's command that must succeed (`what` names it in the failure).
pub fn must(c: &mut Command, what: &str) {
    let o = c.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// One at a time within a test file: each of these tests loads the machine (a server, clients,
/// a killed process), and their timings are only meaningful alone.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The date `days` from today (negative: ago), `YYYY-MM-DD`, by date(1).
pub fn date_in(days: i64) -> String {
    let o = Command::new("date")
        .args(["-d", &format!("{days} days"), "+%F"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// Sets the flag when dropped: client threads stop even when the test panics half way.
pub struct StopOnDrop(pub std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
