//! The test harness: a database per test (SQLite in a temp dir, or a throw-away PostgreSQL
//! database), a copy of the process's template holding a small demo (see `Template`), and
//! the real router.
//!
//! `both_backends!(name, …)` turns each `async fn name(app: &TestApp)` into two tests,
//! `name::sqlite` and `name::postgres`. PostgreSQL must be reachable (`CAKAP_TEST_PG`,
//! default `postgres://postgres@127.0.0.1:5432`): an unreachable server fails the test.

#![allow(dead_code)]

pub mod smtp;
pub mod xapi;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use cakap_demo as demo;
use cakap_services::Db;
use serde_json::Value;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = demo::DEMO_PASSWORD;
/// Employees in the test demo: enough for every unit's head and some staff.
pub const DEMO_EMPLOYEES: u32 = 400;

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub tenant: i64,
    pub backend: Backend,
    /// The certificate keys directory of this app (a temp dir of its own).
    pub keys_dir: std::path::PathBuf,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Pg { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

pub fn pg_admin_url() -> String {
    std::env::var("CAKAP_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_demo(backend, Some(DEMO_EMPLOYEES)).await
    }

    pub async fn with_demo(backend: Backend, employees: Option<u32>) -> TestApp {
        if employees == Some(DEMO_EMPLOYEES) {
            return Self::from_template(backend).await;
        }
        let (url, cleanup) = database(backend, None).await;
        let db = cakap_services::open(&url).await.expect("open and migrate");
        let tenant = default_tenant(&db).await;
        let keys_dir = std::env::temp_dir().join(unique("cakap_keys"));
        cakap_services::learning::keys::open(&db, &keys_dir)
            .await
            .expect("keys directory");
        if let Some(n) = employees {
            load_demo(&db, tenant, n).await;
        }
        Self::serve(db, tenant, backend, keys_dir, cleanup)
    }

    /// A copy of the process's template database (the demo of `DEMO_EMPLOYEES`, see
    /// [`Template`]) with a copy of its keys.
    async fn from_template(backend: Backend) -> TestApp {
        let cell = match backend {
            Backend::Sqlite => &SQLITE_TEMPLATE,
            Backend::Postgres => &PG_TEMPLATE,
        };
        let template = cell.get_or_init(|| Template::build(backend)).await;
        let keys_dir = std::env::temp_dir().join(unique("cakap_keys"));
        copy_dir(&template.keys, &keys_dir);
        let (url, cleanup) = database(backend, Some(&template.source)).await;
        let db = cakap_services::open(&url).await.expect("open and migrate");
        cakap_services::learning::keys::open(&db, &keys_dir)
            .await
            .expect("keys directory");
        Self::serve(db, template.tenant, backend, keys_dir, cleanup)
    }

    fn serve(
        db: Db,
        tenant: i64,
        backend: Backend,
        keys_dir: std::path::PathBuf,
        cleanup: Cleanup,
    ) -> TestApp {
        let router = cakap_web::router(db.clone(), cakap_web::Config::default());
        TestApp {
            db,
            router,
            tenant,
            backend,
            keys_dir,
            cleanup,
        }
    }

    /// Sends a request through the real router, from 127.0.0.1 unless `from` says otherwise.
    pub async fn send(&self, req: Request<Body>) -> Resp {
        self.send_from(req, "127.0.0.1:40000").await
    }

    pub async fn send_from(&self, mut req: Request<Body>, from: &str) -> Resp {
        let addr: SocketAddr = from.parse().expect("address");
        req.extensions_mut().insert(ConnectInfo(addr));
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
            .await
            .expect("body");
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A JSON API call; `session` adds its cookie.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        body: Option<Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(s) = session {
            b = s.apply(b);
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.expect("request")).await
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> Resp {
        self.api(Method::GET, path, session, None).await
    }

    /// Logs in through the API and returns the session.
    pub async fn login(&self, username: &str) -> Session {
        let r = self
            .api(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
        let cookie = r.cookie("cakap_session").expect("session cookie");
        let csrf = r.json()["csrf_token"].as_str().expect("csrf").to_string();
        Session {
            cookie,
            csrf,
            bearer: None,
        }
    }

    /// A form post as a browser sends it.
    pub async fn form(&self, path: &str, session: &Session, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let req = session
            .apply(Request::builder().method(Method::POST).uri(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Runs one statement directly on the test database.
    /// A multipart form post as a browser sends it, with text fields and an optional file
    /// (field name, file name, bytes); the CSRF token goes in the query as the pages do.
    pub async fn multipart(
        &self,
        path: &str,
        session: &Session,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Resp {
        const B: &str = "cakapTestBoundaryQ29tcGV0ZW5jZQ";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, filename, bytes)) = file {
            body.extend_from_slice(format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        let req = session
            .apply(
                Request::builder()
                    .method(Method::POST)
                    .uri(format!("{path}{sep}_csrf={}", session.csrf)),
            )
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={B}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Any request with a raw body and extra headers (the CSRF header is added for cookies).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        session: &Session,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut b = session
            .apply(Request::builder().method(method).uri(path))
            .header("x-csrf-token", session.csrf.clone());
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::from(body)).expect("request")).await
    }

    pub async fn sql(&self, statement: &str) -> Result<u64, String> {
        let mut c = self.db.conn().await.map_err(|e| e.to_string())?;
        cakap_store::execute!(c, sqlx_safe(statement.to_string())).map_err(|e| e.to_string())
    }

    pub async fn scalar_text(&self, query: &str) -> String {
        let mut c = self.db.conn().await.expect("conn");
        cakap_store::fetch_scalar!(c, String, sqlx_safe(query.to_string())).expect("scalar")
    }

    pub async fn scalar(&self, query: &str) -> i64 {
        let mut c = self.db.conn().await.expect("conn");
        cakap_store::fetch_scalar!(c, i64, sqlx_safe(query.to_string())).expect("scalar")
    }
}

/// The demo every test starts from, loaded once per test process and backend and copied for
/// each test (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), with its
/// keys directory: loading it took seconds per test, four fifths of the suite's time. It is
/// named after the host, process and backend (`cakap_tpl_<host>_<pid>_sqlite`, `…_pg`: a
/// directory in the temp dir, and a database) and outlives the process — the tests cannot tell
/// which of them is the last — so building one first removes those of this host's processes
/// that have ended (another host's, sharing the PostgreSQL server, are left alone).
struct Template {
    /// The SQLite file, or the PostgreSQL database's name.
    source: String,
    keys: std::path::PathBuf,
    tenant: i64,
}

static SQLITE_TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
static PG_TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();

const TEMPLATE_PREFIX: &str = "cakap_tpl_";

impl Template {
    async fn build(backend: Backend) -> Template {
        let suffix = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "pg",
        };
        let base = format!(
            "{TEMPLATE_PREFIX}{}_{}_{suffix}",
            host(),
            std::process::id()
        );
        let dir = std::env::temp_dir().join(&base);
        remove_stale_templates(backend, &base).await;
        std::fs::create_dir_all(&dir).expect("template dir");
        let (url, source) = match backend {
            Backend::Sqlite => {
                let file = dir.join("test.db").display().to_string();
                (format!("sqlite://{file}"), file)
            }
            Backend::Postgres => {
                let admin_url = pg_admin_url();
                create_pg_database(&admin_url, &base, None).await;
                (format!("{admin_url}/{base}"), base.clone())
            }
        };
        let db = cakap_services::open(&url).await.expect("open and migrate");
        let tenant = default_tenant(&db).await;
        let keys = dir.join("keys");
        cakap_services::learning::keys::open(&db, &keys)
            .await
            .expect("keys directory");
        load_demo(&db, tenant, DEMO_EMPLOYEES).await;
        // Closed: SQLite folds its WAL into the file; PostgreSQL copies only a database nobody
        // is connected to, so no session may connect once it is built (an autovacuum worker
        // still may: CREATE DATABASE stops it, or the copy is retried).
        db.close().await;
        if backend == Backend::Postgres {
            let admin = admin_db(&pg_admin_url()).await;
            let mut c = admin.conn().await.expect("pg connection");
            cakap_store::execute!(
                c,
                sqlx_safe(format!("ALTER DATABASE \"{base}\" ALLOW_CONNECTIONS false"))
            )
            .expect("close the template");
            drop(c);
            admin.close().await;
        }
        let wal = std::path::PathBuf::from(format!("{source}-wal"));
        assert!(
            backend == Backend::Postgres || std::fs::metadata(&wal).is_err(),
            "the template's WAL was not folded into {source}"
        );
        Template {
            source,
            keys,
            tenant,
        }
    }
}

/// This host's name as letters and digits (at most 32), to tell its templates from others'.
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether a template (`cakap_tpl_<host>_<pid>_<backend>`) is this host's and of a process
/// that has ended (Linux: no `/proc/<pid>`), or this process's own name left by an ended one
/// with the same pid. Any other name is left alone.
fn stale(name: &str, own: &str) -> bool {
    if name == own {
        return true;
    }
    let Some(rest) = name.strip_prefix(TEMPLATE_PREFIX) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('_').collect();
    let [h, pid, "sqlite" | "pg"] = parts[..] else {
        return false;
    };
    h == host()
        && pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        })
}

async fn remove_stale_templates(backend: Backend, own: &str) {
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            if stale(&e.file_name().to_string_lossy(), own) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    if backend == Backend::Postgres {
        let admin_url = pg_admin_url();
        let admin = admin_db(&admin_url).await;
        let mut c = admin.conn().await.expect("pg connection");
        let names: Vec<String> = cakap_store::fetch_all!(
            c,
            (String,),
            "SELECT datname FROM pg_database WHERE datname LIKE 'cakap\\_tpl\\_%'"
        )
        .expect("databases")
        .into_iter()
        .map(|(n,)| n)
        .collect();
        for name in names.iter().filter(|n| stale(n, own)) {
            let _ = cakap_store::execute!(
                c,
                sqlx_safe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            );
        }
        drop(c);
        admin.close().await;
    }
}

async fn admin_db(admin_url: &str) -> Db {
    Db::connect(&format!("{admin_url}/postgres"))
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for the tests: {e}"))
}

/// Creates database `name`, empty or as a copy of `template`. Copies of one template made at
/// once can meet PostgreSQL's "source database is being accessed by other users": retried.
async fn create_pg_database(admin_url: &str, name: &str, template: Option<&str>) {
    let plain = |n: &str| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    assert!(
        plain(name) && template.is_none_or(plain),
        "database names are generated"
    );
    let admin = admin_db(admin_url).await;
    let sql = match template {
        Some(t) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{t}\""),
        None => format!("CREATE DATABASE \"{name}\""),
    };
    let mut tries = 0;
    loop {
        let mut c = admin.conn().await.expect("pg connection");
        match cakap_store::execute!(c, sqlx_safe(sql.clone())) {
            Ok(_) => break,
            // SQLSTATE 55006, object in use (whatever the server's language).
            Err(e)
                if tries < 100
                    && e.as_database_error()
                        .and_then(|d| d.code())
                        .is_some_and(|c| c == "55006") =>
            {
                tries += 1;
                drop(c);
                tokio::time::sleep(std::time::Duration::from_millis(100 + 10 * tries)).await;
            }
            Err(e) => panic!("{sql}: {e}"),
        }
    }
    admin.close().await;
}

/// A database of one test: empty, or a copy of a template (see [`Template`]).
async fn database(backend: Backend, template: Option<&str>) -> (String, Cleanup) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique("cakap_test"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            if let Some(file) = template {
                std::fs::copy(file, dir.join("test.db")).expect("copy the template");
            }
            (
                format!("sqlite://{}/test.db", dir.display()),
                Cleanup::Dir(dir),
            )
        }
        Backend::Postgres => {
            let admin_url = pg_admin_url();
            let name = unique("cakap_test");
            create_pg_database(&admin_url, &name, template).await;
            (
                format!("{admin_url}/{name}"),
                Cleanup::Pg { admin_url, name },
            )
        }
    }
}

async fn default_tenant(db: &Db) -> i64 {
    let mut c = db.conn().await.expect("conn");
    cakap_store::tenants::by_code(&mut c, cakap_services::DEFAULT_TENANT.0)
        .await
        .expect("tenant")
        .expect("default tenant")
        .id
}

async fn load_demo(db: &Db, tenant: i64, employees: u32) {
    demo::load(
        db,
        tenant,
        &demo::Options { employees, seed: 7 },
        &|_, _| {},
    )
    .await
    .expect("demo");
}

/// Copies the files of a flat directory (the keys) into a new one only its owner reads, as
/// `KeyDir::open` makes it, keeping the files' permissions.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    let mut dir = std::fs::DirBuilder::new();
    dir.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
    dir.create(to).expect("keys dir");
    for e in std::fs::read_dir(from).expect("template keys").flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy a key file");
        }
    }
}

pub fn sqlx_safe(s: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(s)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.keys_dir);
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Pg { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop cannot await: drop the database from a thread with its own runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async move {
                        if let Ok(admin) = Db::connect(&format!("{admin_url}/postgres")).await {
                            if let Ok(mut c) = admin.conn().await {
                                let _ = cakap_store::execute!(
                                    c,
                                    sqlx_safe(format!(
                                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                    ))
                                );
                            }
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub bearer: Option<String>,
}

impl Session {
    pub fn bearer(token: &str) -> Session {
        Session {
            cookie: String::new(),
            csrf: String::new(),
            bearer: Some(token.to_string()),
        }
    }

    pub fn apply(&self, b: axum::http::request::Builder) -> axum::http::request::Builder {
        match &self.bearer {
            Some(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            None => b.header(header::COOKIE, format!("cakap_session={}", self.cookie)),
        }
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The value a `Set-Cookie` header gives `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.split(';')
                    .next()?
                    .strip_prefix(&format!("{name}="))
                    .map(str::to_string)
            })
    }

    pub fn set_cookie_line(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn error_message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// Two tests per scenario: one on SQLite, one on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::common::TestApp::new($crate::common::Backend::Sqlite).await;
                    super::$name(&app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let app = $crate::common::TestApp::new($crate::common::Backend::Postgres).await;
                    super::$name(&app).await;
                }
            }
        )*
    };
}

/// Ids that live in a second tenant (another regency): a unit, a position and an employee.
pub struct OtherTenant {
    pub unit: String,
    pub position: i64,
    pub nip: String,
}

pub async fn other_tenant(app: &TestApp) -> OtherTenant {
    use cakap_store::{positions, tenants, units};
    let mut c = app.db.begin().await.expect("tx");
    let tenant = tenants::insert(&mut c, "11.06", "Kabupaten Aceh Besar")
        .await
        .expect("tenant");
    let unit = units::NewUnit {
        code: "OTHER.1",
        name: "Dinas Lain",
        parent: None,
        kecamatan: None,
    };
    let unit_id = units::insert(&mut c, tenant, &unit).await.expect("unit");
    let position = positions::insert(
        &mut c,
        tenant,
        &positions::PositionData {
            unit_id,
            name: "Pelaksana Lain",
            kind: "pelaksana",
            jenjang: None,
            kelas: Some(5),
        },
    )
    .await
    .expect("position");
    let nip = "197001012000031001";
    let checked = cakap_services::employees::Checked {
        nip: cakap_domain::Nip::parse(nip, chrono::NaiveDate::MAX).expect("nip"),
        name: "Pegawai Tenant Lain".into(),
        status: cakap_domain::NipKind::Pns,
        golongan: None,
        position_id: Some(position),
        unit_id,
        email: None,
        phone: None,
        active: true,
    };
    cakap_services::employees::insert_checked(&mut c, tenant, &checked)
        .await
        .expect("employee");
    c.commit().await.expect("commit");
    OtherTenant {
        unit: "OTHER.1".into(),
        position,
        nip: nip.into(),
    }
}

/// Uploads `bytes` as a CSV to `POST /api/v1/imports/{kind}` with the session's cookie and CSRF
/// header.
pub async fn upload(app: &TestApp, s: &Session, kind: &str, dry_run: bool, bytes: &[u8]) -> Resp {
    const B: &str = "cakapImportTestBoundary";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"import.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
    app.send(
        Request::post(format!("/api/v1/imports/{kind}?dry_run={dry_run}"))
            .header(header::COOKIE, format!("cakap_session={}", s.cookie))
            .header("x-csrf-token", s.csrf.clone())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={B}"),
            )
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

/// `GET path` as `session`, which must answer 200; its JSON.
pub async fn get_json(app: &TestApp, session: &Session, path: &str) -> Value {
    let r = app.get(path, Some(session)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()
}
