//! One code path over two databases.
//!
//! `sqlx::Any` cannot decode booleans and timestamps on both (docs/architecture.md#fast-pages), so a [`Db`] is an
//! enum over the two concrete pools and [`Conn`] over their connections and transactions.
//! The `fetch_*!`/`execute!` macros run one SQL text (placeholders `$1…`) on whichever is
//! present, decoding into `FromRow` structs. Dialect differences sit in this file only.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint was violated (duplicate code, NIP, username, …).
    #[error("duplicate: {0}")]
    Duplicate(String),
    /// A referenced row does not exist, or a row is still referenced.
    #[error("reference: {0}")]
    Reference(String),
    #[error("the database URL must start with sqlite: or postgres:")]
    UnknownScheme,
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sql(sqlx::Error),
    /// The database cannot be reached now (down, restarting, the pool exhausted): worth
    /// trying again in a moment.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let what = db
                .constraint()
                .map(str::to_string)
                .unwrap_or_else(|| db.message().to_string());
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => return StoreError::Duplicate(what),
                sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::Reference(what),
                _ => {}
            }
            // PostgreSQL shutting down or starting, or a connection lost (never 08P01, a
            // protocol violation: that is a bug of ours).
            const GONE: &[&str] = &[
                "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "57P05",
            ];
            if db.code().is_some_and(|c| GONE.contains(&c.as_ref())) {
                LAST_OUTAGE_MS.store(now_ms(), Ordering::Relaxed);
                return StoreError::Unavailable(e);
            }
        }
        match e {
            sqlx::Error::Io(_) => {
                LAST_OUTAGE_MS.store(now_ms(), Ordering::Relaxed);
                StoreError::Unavailable(e)
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => StoreError::Unavailable(e),
            e => StoreError::Sql(e),
        }
    }
}

/// When a database last went away (ms since [`STARTED`] plus one, 0: never), set by each
/// [`StoreError::Unavailable`] made from a lost connection: PostgreSQL connections opened
/// before it are pinged before they are handed out again.
static LAST_OUTAGE_MS: AtomicU64 = AtomicU64::new(0);

/// The monotonic clock sqlx measures a connection's age with (a wall clock may jump).
static STARTED: std::sync::LazyLock<std::time::Instant> =
    std::sync::LazyLock::new(std::time::Instant::now);

fn now_ms() -> u64 {
    STARTED.elapsed().as_millis() as u64 + 1
}

/// Whether a pooled PostgreSQL connection opened `age` ago and idle for `idle` must be
/// pinged before use: idle for a minute (a firewall may have cut it), or older than the
/// last outage (the server it spoke to may have restarted).
fn needs_ping(age: Duration, idle: Duration) -> bool {
    let outage = LAST_OUTAGE_MS.load(Ordering::Relaxed);
    idle > Duration::from_secs(60)
        || (outage != 0 && now_ms().saturating_sub(age.as_millis() as u64) <= outage)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool on one of the two backends, and the state that lives as long as it (the services'
/// caches: [`Db::extension`]). Cloning is cheap; clones share the pool and the extensions.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    extensions: Arc<Extensions>,
}

/// One value per type, made on first use (docs/architecture.md, "caches").
#[derive(Default)]
struct Extensions(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

impl Pool {
    fn into_db(self) -> Db {
        Db {
            pool: self,
            extensions: Arc::default(),
        }
    }
}

impl std::fmt::Debug for Db {
    // Never print connection details: the URL may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.backend())
    }
}

impl Db {
    /// Opens a pool for `sqlite://file.db` (created if missing; WAL, foreign keys, busy
    /// timeout) or `postgres://…`.
    pub async fn connect(url: &str) -> crate::Result<Db> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Up to 4 MB of pages per connection (SQLite's default is 2 MB). Each of the
                // six connections fills its own cache; at 16 MB each they held 9 MB more over
                // the page matrix, at no gain in speed. At 2 MB the pages that read a person's
                // whole history (`/employees/{nip}`, `/audit`) fell below the goal: each page
                // missed here is a read from the kernel's page cache, a system call
                // (bench/RESULTS.md, stop 33 "Where the memory went", and stop 34).
                .pragma("cache_size", "-4000");
            let pool = SqlitePoolOptions::new()
                .max_connections(6)
                .min_connections(1)
                // sqlx pings every connection it hands out and again when it comes back; each
                // ping is a round trip to the connection's thread. A file does not hang up:
                // the ping on return is enough (docs/architecture.md, "Fast pages").
                .test_before_acquire(false)
                .connect_with(opts)
                .await?;
            Ok(Pool::Sqlite(pool).into_db())
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                // A database that is down makes requests wait this long before their 503
                // (docs/operations.md#faults); shorter would turn a busy moment into 503s.
                .acquire_timeout(Duration::from_secs(10))
                // No ping before every hand-out (a round trip per request and connection,
                // docs/operations.md#faults): only a connection idle for a minute or opened
                // before the last lost connection is pinged first; sqlx also pings each one
                // when it comes back and drops a broken one.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if needs_ping(meta.age, meta.idle_for) {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect_with(opts)
                .await?;
            Ok(Pool::Pg(pool).into_db())
        } else {
            Err(StoreError::UnknownScheme)
        }
    }

    /// The value of type `T` kept with this pool, made with `T::default()` on first use:
    /// how the services keep their caches with the server's database rather than in
    /// process-wide statics (two servers in one process, as the tests run, share nothing).
    pub fn extension<T: Any + Send + Sync + Default>(&self) -> Arc<T> {
        let mut map = self
            .extensions
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let any = map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        match Arc::clone(any).downcast::<T>() {
            Ok(value) => value,
            // Unreachable: the entry of `TypeId::of::<T>()` is always a `T`.
            Err(_) => Arc::new(T::default()),
        }
    }

    pub fn backend(&self) -> Backend {
        match &self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Pg(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations of this backend.
    pub async fn migrate(&self) -> crate::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Pg(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// A connection for reads or single statements.
    pub async fn conn(&self) -> crate::Result<Conn> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Pg(p) => Conn::Pg(p.acquire().await?),
        })
    }

    /// A transaction: commit it with [`Conn::commit`]; dropped, it rolls back.
    pub async fn begin(&self) -> crate::Result<Conn> {
        Ok(match &self.pool {
            // IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout
            // instead of failing with SQLITE_BUSY when one upgrades from reading.
            Pool::Sqlite(p) => Conn::SqliteTx(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Pg(p) => Conn::PgTx(p.begin().await?),
        })
    }

    /// Refreshes the planner's statistics after a bulk load: PostgreSQL otherwise plans the
    /// next queries for the empty tables it last measured (nested loops over thousands of rows).
    pub async fn analyze(&self) -> crate::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query("PRAGMA optimize").execute(p).await.map(drop)?,
            Pool::Pg(p) => sqlx::query("ANALYZE").execute(p).await.map(drop)?,
        }
        Ok(())
    }

    /// After a load of millions of rows (the national generator): PostgreSQL's `VACUUM
    /// (ANALYZE)` sets the visibility map as well as the statistics, without which every
    /// index-only scan still reads the heap (seen at national scale: a class's seat count read
    /// 6,500 heap pages). SQLite: as [`Db::analyze`].
    pub async fn vacuum_analyze(&self) -> crate::Result<()> {
        match &self.pool {
            Pool::Sqlite(_) => self.analyze().await,
            Pool::Pg(p) => Ok(sqlx::query("VACUUM (ANALYZE)").execute(p).await.map(drop)?),
        }
    }

    /// Like [`Db::analyze`], for the tables a bulk write touched (names from the code, never
    /// from input): on PostgreSQL a fraction of analysing the whole database.
    pub async fn analyze_tables(&self, tables: &[&'static str]) -> crate::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query("PRAGMA optimize").execute(p).await.map(drop)?,
            Pool::Pg(p) => {
                let list = tables.join(", ");
                sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {list}")))
                    .execute(p)
                    .await
                    .map(drop)?
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Pg(p) => p.close().await,
        }
    }

    /// Copies a consistent snapshot of the SQLite database to `path` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, path: &str) -> crate::Result<bool> {
        match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query("VACUUM INTO $1").bind(path).execute(p).await?;
                Ok(true)
            }
            Pool::Pg(_) => Ok(false),
        }
    }
}

/// A pooled connection or an open transaction on either backend.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Pg(PoolConnection<Postgres>),
    SqliteTx(Transaction<'static, Sqlite>),
    PgTx(Transaction<'static, Postgres>),
}

/// What an advisory lock ([`Conn::lock`]) is about; the number keeps locks of different
/// kinds apart.
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
pub enum LockSpace {
    /// An offering's seats and waitlist.
    Offering = 101,
    /// One learner's enrolments, progress, attempts and activities.
    Learner = 102,
    /// A tenant's TPP rule versions.
    TppRules = 103,
}

/// The concrete connection a macro runs its query on.
pub enum Raw<'a> {
    Sqlite(&'a mut SqliteConnection),
    Pg(&'a mut PgConnection),
}

impl Conn {
    pub fn raw(&mut self) -> Raw<'_> {
        match self {
            Conn::Sqlite(c) => Raw::Sqlite(c),
            Conn::Pg(c) => Raw::Pg(c),
            Conn::SqliteTx(t) => Raw::Sqlite(t),
            Conn::PgTx(t) => Raw::Pg(t),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) | Conn::SqliteTx(_) => Backend::Sqlite,
            Conn::Pg(_) | Conn::PgTx(_) => Backend::Postgres,
        }
    }

    /// Serialises writers of one tenant's unit tree inside this transaction. SQLite's
    /// `BEGIN IMMEDIATE` already serialises every writer; PostgreSQL takes a transaction-scoped
    /// advisory lock, so two concurrent moves cannot both pass the cycle check.
    pub async fn lock_tenant_tree(&mut self, tenant: i64) -> crate::Result<()> {
        if let Conn::PgTx(t) = self {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(tenant)
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }

    /// Serialises writers of one thing (an offering's seats, a learner's progress) inside
    /// this transaction: on PostgreSQL a transaction-scoped advisory lock on (`space`, `id`);
    /// SQLite's `BEGIN IMMEDIATE` already serialises every writer. Take several in a fixed
    /// order (offering before learners, learners by id) so that two callers never deadlock.
    pub async fn lock(&mut self, space: LockSpace, id: i64) -> crate::Result<()> {
        if let Conn::PgTx(t) = self {
            sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
                .bind(space as i32)
                .bind((id & 0x7fff_ffff) as i32)
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }

    /// Commits a transaction; a plain connection has nothing to commit.
    pub async fn commit(self) -> crate::Result<()> {
        match self {
            Conn::SqliteTx(t) => t.commit().await?,
            Conn::PgTx(t) => t.commit().await?,
            Conn::Sqlite(_) | Conn::Pg(_) => {}
        }
        Ok(())
    }
}

/// `fetch_all!(conn, Row, "SELECT … WHERE a = $1", a)` → `Result<Vec<Row>, sqlx::Error>`.
#[macro_export]
macro_rules! fetch_all {
    ($conn:expr, $t:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn.raw() {
            $crate::db::Raw::Sqlite(c) => {
                ::sqlx::query_as::<::sqlx::Sqlite, $t>($sql)$(.bind($arg))*.fetch_all(c).await
            }
            $crate::db::Raw::Pg(c) => {
                ::sqlx::query_as::<::sqlx::Postgres, $t>($sql)$(.bind($arg))*.fetch_all(c).await
            }
        }
    };
}

/// Like [`fetch_all!`], for at most one row.
#[macro_export]
macro_rules! fetch_optional {
    ($conn:expr, $t:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn.raw() {
            $crate::db::Raw::Sqlite(c) => {
                ::sqlx::query_as::<::sqlx::Sqlite, $t>($sql)$(.bind($arg))*.fetch_optional(c).await
            }
            $crate::db::Raw::Pg(c) => {
                ::sqlx::query_as::<::sqlx::Postgres, $t>($sql)$(.bind($arg))*.fetch_optional(c).await
            }
        }
    };
}

/// One value of the first row: `fetch_scalar!(conn, i64, "SELECT COUNT(*) …")`.
#[macro_export]
macro_rules! fetch_scalar {
    ($conn:expr, $t:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn.raw() {
            $crate::db::Raw::Sqlite(c) => {
                ::sqlx::query_scalar::<::sqlx::Sqlite, $t>($sql)$(.bind($arg))*.fetch_one(c).await
            }
            $crate::db::Raw::Pg(c) => {
                ::sqlx::query_scalar::<::sqlx::Postgres, $t>($sql)$(.bind($arg))*.fetch_one(c).await
            }
        }
    };
}

/// Runs a statement; yields the number of rows it changed.
#[macro_export]
macro_rules! execute {
    ($conn:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn.raw() {
            $crate::db::Raw::Sqlite(c) => ::sqlx::query::<::sqlx::Sqlite>($sql)$(.bind($arg))*
                .execute(c).await.map(|r| r.rows_affected()),
            $crate::db::Raw::Pg(c) => ::sqlx::query::<::sqlx::Postgres>($sql)$(.bind($arg))*
                .execute(c).await.map(|r| r.rows_affected()),
        }
    };
}

/// A value for a query whose text is built at run time (optional filters).
#[derive(Debug, Clone)]
pub enum Arg {
    I64(i64),
    F64(f64),
    Bool(bool),
    Text(String),
    /// A NULL text value.
    Null,
}

/// SQL text with `$n` placeholders numbered as arguments are pushed; only fixed fragments of
/// code go into the text, every value is bound.
#[derive(Debug, Default)]
pub struct Dynamic {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// Binds every [`Arg`] of a [`Dynamic`] to a query of either backend.
macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::I64(v) => q.bind(*v),
                Arg::F64(v) => q.bind(*v),
                Arg::Bool(v) => q.bind(*v),
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Null => q.bind(None::<String>),
            };
        }
        q
    }};
}

impl Dynamic {
    pub fn new(sql: &str) -> Dynamic {
        Dynamic {
            sql: sql.to_string(),
            args: Vec::new(),
        }
    }

    /// Appends `fragment`, replacing each `?` with the placeholder of the next argument.
    pub fn push(&mut self, fragment: &str, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        let mut args = args.into_iter();
        for (i, part) in fragment.split('?').enumerate() {
            if i > 0 {
                if let Some(a) = args.next() {
                    self.args.push(a);
                }
                self.sql.push_str(&format!("${}", self.args.len()));
            }
            self.sql.push_str(part);
        }
        self
    }

    pub async fn fetch_all<T>(&self, c: &mut Conn) -> crate::Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(match c.raw() {
            Raw::Sqlite(c) => {
                bind_all!(
                    sqlx::query_as::<Sqlite, T>(sqlx::AssertSqlSafe(self.sql.clone())),
                    &self.args
                )
                .fetch_all(c)
                .await?
            }
            Raw::Pg(c) => {
                bind_all!(
                    sqlx::query_as::<Postgres, T>(sqlx::AssertSqlSafe(self.sql.clone())),
                    &self.args
                )
                .fetch_all(c)
                .await?
            }
        })
    }

    /// Runs a statement; yields the number of rows it changed.
    pub async fn execute(&self, c: &mut Conn) -> crate::Result<u64> {
        Ok(match c.raw() {
            Raw::Sqlite(c) => bind_all!(
                sqlx::query::<Sqlite>(sqlx::AssertSqlSafe(self.sql.clone())),
                &self.args
            )
            .execute(c)
            .await?
            .rows_affected(),
            Raw::Pg(c) => bind_all!(
                sqlx::query::<Postgres>(sqlx::AssertSqlSafe(self.sql.clone())),
                &self.args
            )
            .execute(c)
            .await?
            .rows_affected(),
        })
    }

    pub async fn fetch_i64(&self, c: &mut Conn) -> crate::Result<i64> {
        let sql = || sqlx::AssertSqlSafe(self.sql.clone());
        Ok(match c.raw() {
            Raw::Sqlite(c) => {
                bind_all!(sqlx::query_scalar::<Sqlite, i64>(sql()), &self.args)
                    .fetch_one(c)
                    .await?
            }
            Raw::Pg(c) => {
                bind_all!(sqlx::query_scalar::<Postgres, i64>(sql()), &self.args)
                    .fetch_one(c)
                    .await?
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_numbers_placeholders_in_order() {
        let mut d = Dynamic::new("SELECT 1 FROM t WHERE a = $1");
        d.args.push(Arg::I64(1));
        d.push(
            " AND b LIKE ? AND (c = ? OR d = ?)",
            [Arg::Text("x".into()), Arg::I64(2), Arg::I64(3)],
        );
        assert_eq!(
            d.sql,
            "SELECT 1 FROM t WHERE a = $1 AND b LIKE $2 AND (c = $3 OR d = $4)"
        );
        assert_eq!(d.args.len(), 4);
    }

    #[test]
    fn connections_older_than_an_outage_or_idle_long_are_pinged() {
        let (second, minute) = (Duration::from_secs(1), Duration::from_secs(61));
        // The only test touching the outage mark: none yet, then one just now.
        assert!(!needs_ping(minute, second), "busy, no outage");
        assert!(needs_ping(minute, minute), "idle a minute");
        LAST_OUTAGE_MS.store(now_ms(), Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            needs_ping(minute, Duration::ZERO),
            "opened before the outage"
        );
        assert!(
            !needs_ping(Duration::ZERO, Duration::ZERO),
            "opened after it"
        );
    }
}
