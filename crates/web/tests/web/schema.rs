//! The PostgreSQL schema stays ready to be distributed by `tenant_id` (Citus; docs/operations.md
//! "Distributing by tenant"): every table carries `tenant_id`, and every primary, unique and
//! foreign key includes it. The catalogue is read after all migrations; a new table or key
//! that breaks the rule fails here. The few that break it today are listed with why — each is
//! an open decision, not an accident, and the list may only shrink.

use crate::common;

use common::{Backend, TestApp};

/// Tables without `tenant_id`: (table, why).
const GLOBAL_TABLES: &[(&str, &str)] = &[
    (
        "_sqlx_migrations",
        "the migration ledger: local to each node",
    ),
    ("tenants", "the tenants themselves: a reference table"),
    (
        "login_failures",
        "throttling by account and address before a tenant is known: a reference table",
    ),
];

/// Keys without `tenant_id`: (table, constraint, why).
const GLOBAL_KEYS: &[(&str, &str, &str)] = &[
    (
        "_sqlx_migrations",
        "_sqlx_migrations_pkey",
        "local to each node",
    ),
    ("tenants", "tenants_pkey", "reference table"),
    ("tenants", "tenants_code_key", "reference table"),
    ("login_failures", "login_failures_pkey", "reference table"),
    (
        "users",
        "users_username_key",
        "one login name across regencies (decision pending: a reference table of accounts)",
    ),
    (
        "sessions",
        "sessions_pkey",
        "looked up by its hash before the tenant is known (same decision)",
    ),
    (
        "api_tokens",
        "api_tokens_token_hash_key",
        "looked up by its hash before the tenant is known (same decision)",
    ),
    (
        "certificates",
        "certificates_pkey",
        "verified publicly by its id alone (the QR code carries no tenant)",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_and_key_carries_the_tenant() {
    let app = TestApp::with_demo(Backend::Postgres, None).await;
    let mut c = app.db.conn().await.expect("conn");
    let tables: Vec<(String,)> = cakap_store::fetch_all!(
        c,
        (String,),
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT EXISTS ( \
         SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' \
         AND NOT a.attisdropped) ORDER BY 1"
    )
    .expect("tables");
    let tables: Vec<String> = tables.into_iter().map(|t| t.0).collect();
    let allowed: Vec<&str> = GLOBAL_TABLES.iter().map(|t| t.0).collect();
    let unexpected: Vec<&String> = tables
        .iter()
        .filter(|t| !allowed.contains(&t.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "tables without tenant_id (add the column, or argue the exception): {unexpected:?}"
    );

    let keys: Vec<(String, String)> = cakap_store::fetch_all!(
        c,
        (String, String),
        "SELECT k.conrelid::regclass::text, k.conname::text FROM pg_constraint k \
         JOIN pg_namespace n ON n.oid = k.connamespace \
         WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f') AND NOT EXISTS ( \
         SELECT 1 FROM unnest(k.conkey) AS col(attnum) JOIN pg_attribute a \
         ON a.attrelid = k.conrelid AND a.attnum = col.attnum WHERE a.attname = 'tenant_id') \
         ORDER BY 1, 2"
    )
    .expect("keys");
    let unexpected: Vec<&(String, String)> = keys
        .iter()
        .filter(|(t, k)| !GLOBAL_KEYS.iter().any(|(gt, gk, _)| gt == t && gk == k))
        .collect();
    assert!(
        unexpected.is_empty(),
        "keys without tenant_id (include it, or argue the exception): {unexpected:?}"
    );
    // Unique indexes made outside constraints count too.
    let indexes: Vec<(String, String)> = cakap_store::fetch_all!(
        c,
        (String, String),
        "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND i.indisunique AND NOT EXISTS ( \
         SELECT 1 FROM unnest(i.indkey) AS col(attnum) JOIN pg_attribute a \
         ON a.attrelid = i.indrelid AND a.attnum = col.attnum WHERE a.attname = 'tenant_id') \
         ORDER BY 1, 2"
    )
    .expect("indexes");
    let unexpected: Vec<&(String, String)> = indexes
        .iter()
        .filter(|(t, k)| !GLOBAL_KEYS.iter().any(|(gt, gk, _)| gt == t && gk == k))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unique indexes without tenant_id: {unexpected:?}"
    );
    // The exceptions are real: a fixed one must leave the list (it only shrinks).
    for (t, k, _) in GLOBAL_KEYS {
        assert!(
            keys.iter().any(|(kt, kk)| kt == t && kk == k),
            "{t}.{k} now carries the tenant (or is gone): remove it from GLOBAL_KEYS"
        );
    }
    for (t, _) in GLOBAL_TABLES {
        assert!(
            tables.iter().any(|x| x == t),
            "{t} has tenant_id now: remove it from GLOBAL_TABLES"
        );
    }
}
