//! All SQL lives here, one file per table family: plain async functions over
//! a pool or a transaction. The only place that knows the schema.

pub mod announce_forms;
pub mod announcements;
pub mod bot_state;
pub mod copy;
pub mod engine;
pub mod event_change;
pub mod events;
pub mod feeds;
pub mod gateway;
pub mod guilds;
pub mod interactions;
pub mod intros;
pub mod jobs;
pub mod notices;
pub mod polls;
pub mod prefs;
pub mod privacy;
pub mod public;
pub mod recent;
pub mod report;
pub mod rsvps;
pub mod runners;
pub mod seed;
pub mod series;
pub mod settings;
pub mod threads;

#[cfg(test)]
mod plans;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub(crate) use engine::{pick, with_conn, with_exec, with_pool};
pub use engine::{BeginWrite, Conn, Db, Engine, Exec, Tx};

/// The SQLite migrations in `migrations/sqlite/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// The PostgreSQL schema in `migrations/postgres/`, embedded in the binary.
pub static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Opens and migrates the database `database_url` names: PostgreSQL for a
/// `postgres://` URL, the embedded SQLite file otherwise.
pub async fn connect(database_url: &str) -> anyhow::Result<Db> {
    match Engine::of_url(database_url) {
        Engine::Sqlite => Ok(Db::Sqlite(connect_sqlite(database_url).await?)),
        Engine::Postgres => Ok(Db::Postgres(connect_postgres(database_url).await?)),
    }
}

/// Opens a PostgreSQL pool and applies the schema. Errors name the host and
/// database, never the password (sqlx's own messages may quote the URL).
async fn connect_postgres(database_url: &str) -> anyhow::Result<sqlx::PgPool> {
    let options = PgConnectOptions::from_str(database_url)
        .map_err(|_| anyhow::anyhow!("DATABASE_URL is not a valid postgres:// URL"))?;
    let place = format!(
        "PostgreSQL at {}:{} (database {})",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("default")
    );
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|error| anyhow::anyhow!("cannot connect to {place}: {error}"))?;
    PG_MIGRATOR
        .run(&pool)
        .await
        .map_err(|error| anyhow::anyhow!("cannot apply the schema to {place}: {error}"))?;
    Ok(pool)
}

/// Opens (creating if needed) and migrates the database: WAL so readers never
/// wait for the writer, foreign keys on, a busy timeout so concurrent writers
/// queue instead of failing, `synchronous=NORMAL`, which in WAL mode keeps
/// every committed transaction across an application crash.
/// `secure_delete` zeroes what is deleted, so erased text does not linger
/// in free pages. The file is readable by its owner only (its `-wal` and
/// `-shm` files get the same mode from SQLite).
async fn connect_sqlite(database_url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .pragma("secure_delete", "ON")
        .busy_timeout(Duration::from_secs(10));
    let file = options.get_filename();
    if !file.as_os_str().is_empty() && file != std::path::Path::new(":memory:") {
        owner_only(file)?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        // A SQLite connection is a file handle, not a socket that can go
        // stale; the default ping before every checkout was one more round
        // trip to the connection's thread per query (sqlx still checks a
        // connection when it comes back to the pool).
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Whether the database answers (the HTTP health check).
pub async fn ping(pool: &Db) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query_scalar::<_, i32>("SELECT 1")
            .fetch_one(pool)
            .await
            .map(drop)
    })
}

/// A write transaction that holds the write lock from its start, so that a
/// read-then-write (a capacity check) cannot interleave with another writer
/// ([`BeginWrite`] says how, per engine).
pub async fn begin_write<P: BeginWrite + Sync>(pool: &P) -> Result<P::Tx, sqlx::Error> {
    pool.begin_write().await
}

/// [`begin_write`] for a write that touches only the data of `guilds`: on
/// PostgreSQL it waits only for writes to those servers (and for writes
/// that may touch any), so one association's storm of clicks does not hold
/// up another's.
pub async fn begin_write_in<P: BeginWrite + Sync>(pool: &P, guilds: &[u64]) -> Result<P::Tx, sqlx::Error> {
    pool.begin_write_in(guilds).await
}

/// Reads what a statement returned as one JSON value (`json_group_array`):
/// sqlx hands rows between threads one at a time, so the queries that
/// return many small rows return them as one array instead.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Discord snowflakes are u64 but fit in i64 (they will until 2084).
pub fn sql_id(id: u64) -> i64 {
    id as i64
}

pub fn from_sql_id(id: i64) -> u64 {
    id as u64
}

/// Times are stored as UTC unix seconds.
pub fn to_ts(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub fn from_ts(ts: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(ts, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A consistent copy of the database (`VACUUM INTO`), safe while the bot
/// writes: SQLite takes it from one read snapshot. The copy is readable by
/// its owner only, like the database.
pub async fn backup(pool: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    let Db::Sqlite(pool) = pool else {
        anyhow::bail!(
            "`rencontre backup` copies the SQLite file; back up PostgreSQL with pg_dump (see the README)"
        )
    };
    let path = file
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
    // Created empty with its final mode first (VACUUM INTO fills an empty
    // file); `create_new` also refuses to overwrite an existing one.
    match new_private_file(file) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            anyhow::bail!("{} already exists; choose a new file", file.display())
        }
        Err(error) => return Err(anyhow::Error::from(error).context(format!("creating {}", file.display()))),
    }
    if let Err(error) = sqlx::query("VACUUM INTO ?").bind(path).execute(pool).await {
        // Leave no empty file behind that would block the next try.
        let _ = std::fs::remove_file(file);
        return Err(error.into());
    }
    Ok(())
}

/// Creates an empty file only its owner can read and write.
fn new_private_file(file: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file).map(drop)
}

/// Makes the database file (created empty if missing: SQLite takes an empty
/// file as a new database) and its log files readable by the owner only;
/// files left readable by others by an older version are tightened.
fn owner_only(file: &std::path::Path) -> anyhow::Result<()> {
    match new_private_file(file) {
        Ok(()) => return Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        // e.g. a missing folder: SQLite's own error says it better.
        Err(_) => return Ok(()),
    }
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let path = std::path::PathBuf::from(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| anyhow::Error::from(e).context(format!("making {} private", path.display())))?;
            tracing::info!(file = %path.display(), "database file made readable by its owner only");
        }
    }
    Ok(())
}
