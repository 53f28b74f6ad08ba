//! Cakap's store: the only place with SQL. One query text runs on SQLite and PostgreSQL;
//! see `db` for how, and `migrations/{sqlite,postgres}` for the two schemas.

pub mod assessments;
pub mod audit;
pub mod competencies;
pub mod db;
pub mod employees;
pub mod equity;
pub mod exports;
pub mod learning;
pub mod national;
pub mod notifications;
pub mod performance;
pub mod plans;
pub mod positions;
pub mod readiness;
pub mod recognition;
pub mod regulations;
pub mod requirements;
pub mod service_quality;
pub mod standings;
pub mod tenants;
pub mod tpp;
pub mod units;
pub mod users;
pub mod xapi;

pub use db::{Backend, Conn, Db, LockSpace, StoreError};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Milliseconds since the Unix epoch: how every time is stored.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Escapes `%`, `_` and `\` so user text is matched literally inside a `LIKE … ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
