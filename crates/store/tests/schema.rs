//! The two schemas are one schema: after every migration, SQLite and PostgreSQL have the same
//! tables, columns (types mapped, nullability), primary keys, foreign keys and indexes.
//! The SQL of the store runs unchanged on both (docs/architecture.md), so a column missing
//! or typed differently on one side is a bug that only one backend's users would meet.
//! PostgreSQL must be reachable (`CAKAP_TEST_PG`, default `postgres://postgres@127.0.0.1:5432`).

use std::collections::BTreeSet;

use cakap_store::Db;
use sqlx::Row;

/// One fact about the schema, comparable across backends.
type Facts = BTreeSet<String>;

/// A foreign key being read: the table it points at and (position, from, to) per column.
type ForeignKey = (String, Vec<(i64, String, String)>);

fn pg_admin_url() -> String {
    std::env::var("CAKAP_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Declared type → the one name both sides share.
fn mapped(ty: &str) -> String {
    match ty.to_ascii_lowercase().as_str() {
        "bigint" | "integer" | "int8" => "bigint".into(),
        "text" | "character varying" => "text".into(),
        "real" | "double precision" | "float8" => "double".into(),
        "blob" | "bytea" => "bytes".into(),
        "boolean" | "bool" => "boolean".into(),
        other => format!("unmapped:{other}"),
    }
}

async fn sqlite_facts(url: &str) -> Facts {
    let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    let mut facts = Facts::new();
    for t in &tables {
        facts.insert(format!("table {t}"));
        let cols = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA table_info(\"{t}\")")))
            .fetch_all(&pool)
            .await
            .expect("columns");
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in &cols {
            let name: String = c.get("name");
            let ty: String = c.get("type");
            let pk_pos: i64 = c.get("pk");
            // A primary key column is NOT NULL on PostgreSQL whatever SQLite declares.
            let not_null = c.get::<i64, _>("notnull") == 1 || pk_pos > 0;
            facts.insert(format!(
                "column {t}.{name} {} null={}",
                mapped(&ty),
                !not_null
            ));
            if pk_pos > 0 {
                pk.push((pk_pos, name));
            }
        }
        pk.sort();
        if !pk.is_empty() {
            let cols: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
            facts.insert(format!("primary key {t}({})", cols.join(", ")));
        }
        let fks = sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA foreign_key_list(\"{t}\")"
        )))
        .fetch_all(&pool)
        .await
        .expect("foreign keys");
        let mut by_id: std::collections::BTreeMap<i64, ForeignKey> = Default::default();
        for f in &fks {
            let id: i64 = f.get("id");
            let seq: i64 = f.get("seq");
            let table: String = f.get("table");
            let from: String = f.get("from");
            let to: Option<String> = f.get("to");
            let entry = by_id.entry(id).or_insert_with(|| (table, Vec::new()));
            entry.1.push((seq, from, to.unwrap_or_else(|| "id".into())));
        }
        for (_, (table, mut cols)) in by_id {
            cols.sort();
            let from: Vec<&str> = cols.iter().map(|c| c.1.as_str()).collect();
            let to: Vec<&str> = cols.iter().map(|c| c.2.as_str()).collect();
            facts.insert(format!(
                "foreign key {t}({}) → {table}({})",
                from.join(", "),
                to.join(", ")
            ));
        }
        let indexes = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA index_list(\"{t}\")")))
            .fetch_all(&pool)
            .await
            .expect("indexes");
        for ix in &indexes {
            let origin: String = ix.get("origin");
            if origin == "pk" {
                continue;
            }
            let name: String = ix.get("name");
            let unique: i64 = ix.get("unique");
            let partial: i64 = ix.get("partial");
            let cols = sqlx::query(sqlx::AssertSqlSafe(format!(
                "PRAGMA index_xinfo(\"{name}\")"
            )))
            .fetch_all(&pool)
            .await
            .expect("index columns");
            let mut keyed: Vec<(i64, String)> = cols
                .iter()
                .filter(|c| c.get::<i64, _>("key") == 1)
                .map(|c| {
                    let col: Option<String> = c.get("name");
                    let desc = if c.get::<i64, _>("desc") == 1 {
                        " DESC"
                    } else {
                        ""
                    };
                    (
                        c.get::<i64, _>("seqno"),
                        format!("{}{desc}", col.unwrap_or_else(|| "<expr>".into())),
                    )
                })
                .collect();
            keyed.sort();
            let cols: Vec<String> = keyed.into_iter().map(|(_, c)| c).collect();
            facts.insert(format!(
                "{}index {t}({}){}",
                if unique == 1 { "unique " } else { "" },
                cols.join(", "),
                if partial == 1 { " partial" } else { "" }
            ));
        }
    }
    pool.close().await;
    rowid_keys(facts)
}

/// SQLite numbers rows itself only for an `INTEGER PRIMARY KEY` column, so its tables declare
/// `id INTEGER PRIMARY KEY` with `UNIQUE (tenant_id, id)` where PostgreSQL declares
/// `PRIMARY KEY (tenant_id, id)` on an identity column: the same key, written per dialect.
fn rowid_keys(facts: Facts) -> Facts {
    let mut out = facts.clone();
    for f in &facts {
        let Some(rest) = f.strip_prefix("primary key ") else {
            continue;
        };
        let Some((table, cols)) = rest.split_once('(') else {
            continue;
        };
        let col = cols.trim_end_matches(')');
        if col.contains(',') {
            continue;
        }
        let unique = format!("unique index {table}(tenant_id, {col})");
        if facts.contains(&unique) {
            out.remove(f);
            out.remove(&unique);
            out.insert(format!("primary key {table}(tenant_id, {col})"));
        }
    }
    out
}

async fn pg_facts(url: &str) -> Facts {
    let pool = sqlx::PgPool::connect(url).await.expect("postgres");
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name NOT LIKE '_sqlx%' ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    for t in &tables {
        facts.insert(format!("table {t}"));
    }
    let cols = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, \
         is_nullable::text AS nullable FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&pool)
    .await
    .expect("columns");
    for c in &cols {
        let t: String = c.get("t");
        if !tables.contains(&t) {
            continue;
        }
        let name: String = c.get("c");
        let ty: String = c.get("ty");
        let nullable: String = c.get("nullable");
        facts.insert(format!(
            "column {t}.{name} {} null={}",
            mapped(&ty),
            nullable == "YES"
        ));
    }
    // Keys and indexes from the catalogue: (table, columns in order, unique, primary, partial).
    let indexes = sqlx::query(
        "SELECT t.relname::text AS t, ix.indisunique AS uniq, ix.indisprimary AS prim, \
         ix.indpred IS NOT NULL AS partial, \
         ARRAY(SELECT CASE WHEN k.attnum = 0 THEN '<expr>' ELSE a.attname::text END \
                 || CASE WHEN (ix.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END \
               FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
               LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
               WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord) AS cols \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relkind = 'r' AND t.relname NOT LIKE '_sqlx%'",
    )
    .fetch_all(&pool)
    .await
    .expect("indexes");
    for ix in &indexes {
        let t: String = ix.get("t");
        let cols: Vec<String> = ix.get("cols");
        if ix.get::<bool, _>("prim") {
            facts.insert(format!("primary key {t}({})", cols.join(", ")));
            continue;
        }
        facts.insert(format!(
            "{}index {t}({}){}",
            if ix.get::<bool, _>("uniq") {
                "unique "
            } else {
                ""
            },
            cols.join(", "),
            if ix.get::<bool, _>("partial") {
                " partial"
            } else {
                ""
            }
        ));
    }
    let fks = sqlx::query(
        "SELECT c.conrelid::regclass::text AS t, c.confrelid::regclass::text AS rt, \
         ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols, \
         ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS rcols \
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE c.contype = 'f' AND n.nspname = 'public'",
    )
    .fetch_all(&pool)
    .await
    .expect("foreign keys");
    for f in &fks {
        let t: String = f.get("t");
        let rt: String = f.get("rt");
        let cols: Vec<String> = f.get("cols");
        let rcols: Vec<String> = f.get("rcols");
        facts.insert(format!(
            "foreign key {t}({}) → {rt}({})",
            cols.join(", "),
            rcols.join(", ")
        ));
    }
    pool.close().await;
    facts
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_are_the_same() {
    let dir = std::env::temp_dir().join(format!("cakap_schema_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sqlite_url = format!("sqlite://{}/schema.db", dir.display());
    let db = Db::connect(&sqlite_url).await.expect("sqlite");
    db.migrate().await.expect("sqlite migrations");
    drop(db);

    let admin_url = pg_admin_url();
    let name = format!("cakap_schema_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&format!("{admin_url}/postgres"))
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for the tests: {e}"));
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&admin)
    .await;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create database");
    let pg_url = format!("{admin_url}/{name}");
    let db = Db::connect(&pg_url).await.expect("postgres");
    db.migrate().await.expect("postgres migrations");
    drop(db);

    let sqlite = sqlite_facts(&sqlite_url).await;
    let pg = pg_facts(&pg_url).await;
    // Statuses outside their enum are refused by both (migration 0016).
    let period = |status: &str| {
        format!(
            "INSERT INTO performance_periods (tenant_id, code, kind, year, starts_on, ends_on, \
             status) VALUES (1, '{status}', 'annual', 2026, '2026-01-01', '2026-12-31', '{status}')"
        )
    };
    let lite = sqlx::SqlitePool::connect(&sqlite_url)
        .await
        .expect("sqlite");
    let pgp = sqlx::PgPool::connect(&pg_url).await.expect("postgres");
    for (ok, status) in [(true, "open"), (false, "graded"), (false, "open ")] {
        let q = period(status);
        let on_sqlite = sqlx::query(sqlx::AssertSqlSafe(q.clone()))
            .execute(&lite)
            .await;
        let on_pg = sqlx::query(sqlx::AssertSqlSafe(q)).execute(&pgp).await;
        assert_eq!(
            on_sqlite.is_ok(),
            ok,
            "SQLite, status {status:?}: {on_sqlite:?}"
        );
        assert_eq!(
            on_pg.is_ok(),
            ok,
            "PostgreSQL, status {status:?}: {on_pg:?}"
        );
    }
    lite.close().await;
    pgp.close().await;

    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&admin)
    .await
    .expect("drop database");
    let _ = std::fs::remove_dir_all(&dir);

    assert!(
        sqlite.iter().any(|f| f.starts_with("table ")),
        "no tables read"
    );
    let only_sqlite: Vec<&String> = sqlite.difference(&pg).collect();
    let only_pg: Vec<&String> = pg.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "the schemas differ\n  only on SQLite:\n    {}\n  only on PostgreSQL:\n    {}",
        only_sqlite
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n    "),
        only_pg
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n    ")
    );
}

/// The status lists of migration 0016 are exactly the values of the enums in
/// `cakap_domain::status`, on both backends.
#[test]
fn status_checks_list_the_enum_values() {
    use cakap_domain::status::*;
    let tables: [(&str, Vec<&str>); 7] = [
        (
            "performance_periods",
            PeriodStatus::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "performance_plans",
            SkpStatus::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "offerings",
            OfferingStatus::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "enrollments",
            EnrolmentStatus::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "activities",
            ActivityStatus::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        ("idps", IdpStatus::ALL.iter().map(|s| s.as_str()).collect()),
        (
            "training_plans",
            PlanStatus::ALL.iter().map(|s| s.as_str()).collect(),
        ),
    ];
    let files = [
        include_str!("../migrations/sqlite/0016_status_checks.sql"),
        include_str!("../migrations/postgres/0016_status_checks.sql"),
    ];
    for sql in files {
        for (table, values) in &tables {
            let expected = values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let lists: Vec<&str> = sql
                .lines()
                .filter(|l| {
                    l.contains(&format!(" ON {table}")) || l.contains(&format!("TABLE {table} "))
                })
                .collect();
            assert!(!lists.is_empty(), "{table} has no status check");
            let body = sql
                .split(&format!("{table}_status"))
                .skip(1)
                .map(|part| part.split("IN (").nth(1).and_then(|p| p.split(')').next()))
                .collect::<Vec<_>>();
            assert!(
                body.iter().all(|b| *b == Some(expected.as_str())),
                "{table}: {body:?} != {expected}"
            );
        }
    }
}
