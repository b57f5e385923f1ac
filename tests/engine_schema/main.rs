//! The schema on both engines: the same catalog, the query plans, the search.
//!
//! A binary of its own: `plans` installs the process-wide `tracing`
//! subscriber that records every query plan, which would also record (and
//! judge) the queries of any other test sharing the process.

mod catalog;
mod plans;
mod search;

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, PgPool, SqlitePool};

/// What only the PostgreSQL schema has: the introductions' search column
/// (it stands for SQLite's FTS5 table and triggers) and its index.
const PG_ONLY_COLUMN: (&str, &str) = ("introductions", "fts");
const PG_ONLY_INDEX: &str = "introductions_fts_by_guild";
/// What only the SQLite schema has: the FTS5 table (its shadow tables are
/// skipped by type).
const SQLITE_ONLY_TABLE: &str = "introductions_fts";

/// A fresh SQLite database migrated with migrations/sqlite.
async fn sqlite() -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("schema.db"))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate!("./migrations/sqlite").run(&pool).await.unwrap();
    (pool, dir)
}

/// Runs `test` on a fresh PostgreSQL database migrated with
/// migrations/postgres, and drops the database afterwards, failed or not.
async fn with_postgres<F, Fut>(test: F)
where
    F: FnOnce(PgPool) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let url = std::env::var("RENCONTRE_TEST_POSTGRES")
        .expect("RENCONTRE_TEST_POSTGRES=postgres://… names a server to create databases on");
    let admin_options = PgConnectOptions::from_str(&url).unwrap();
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(admin_options.clone())
        .await
        .unwrap();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("schema_{}_{stamp}", std::process::id());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(admin_options.database(&name))
        .await
        .unwrap();
    // The test runs as a task of its own, so that a failed assertion still
    // reaches the DROP below.
    let outcome: Result<(), Box<dyn std::any::Any + Send>> =
        match sqlx::migrate!("./migrations/postgres").run(&pool).await {
            Ok(()) => tokio::spawn(test(pool.clone())).await.map_err(|e| e.into_panic()),
            Err(e) => Err(Box::new(format!("migrations/postgres do not apply: {e}"))),
        };
    pool.close().await;
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(&admin)
        .await
        .unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
