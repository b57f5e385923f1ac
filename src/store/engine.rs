//! The two storage engines behind one type. The embedded SQLite file is the
//! default (one association, one process); PostgreSQL is for a host running
//! many servers over several processes. The rest of the application holds a
//! [`Db`] and a [`Tx`] and never learns which engine runs.
//!
//! Most statements are the same text on both engines (`$1` placeholders,
//! `ON CONFLICT`, `RETURNING`, BIGINT 0/1 flags): a store function writes its
//! body once inside [`with_pool!`] or [`with_conn!`], which compile it once
//! per engine with `pool`/`conn` being that engine's own sqlx type. Where the
//! dialects differ the body picks its text with [`pick!`]; nothing else knows.

use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// A connection pool on one of the two engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction on one of the two engines.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A borrowed connection, inside a transaction or not: what store functions
/// that run as part of a bigger write take (`impl Into<Conn>`), so that a
/// caller can pass its [`Tx`] or, inside the store, the engine's own
/// connection.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// A pool or a borrowed connection: what a store function that runs one
/// statement takes, so it can run on its own or inside a caller's
/// transaction ([`with_exec!`]).
pub enum Exec<'a> {
    SqlitePool(&'a SqlitePool),
    PgPool(&'a PgPool),
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl<'a> From<&'a Db> for Exec<'a> {
    fn from(db: &'a Db) -> Self {
        match db {
            Db::Sqlite(pool) => Exec::SqlitePool(pool),
            Db::Postgres(pool) => Exec::PgPool(pool),
        }
    }
}

impl<'a> From<&'a SqlitePool> for Exec<'a> {
    fn from(pool: &'a SqlitePool) -> Self {
        Exec::SqlitePool(pool)
    }
}

impl<'a> From<&'a PgPool> for Exec<'a> {
    fn from(pool: &'a PgPool) -> Self {
        Exec::PgPool(pool)
    }
}

impl<'a> From<Conn<'a>> for Exec<'a> {
    fn from(conn: Conn<'a>) -> Self {
        match conn {
            Conn::Sqlite(conn) => Exec::Sqlite(conn),
            Conn::Postgres(conn) => Exec::Postgres(conn),
        }
    }
}

impl<'a> From<&'a mut Tx> for Exec<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Conn::from(tx).into()
    }
}

impl<'a> From<&'a mut SqliteConnection> for Exec<'a> {
    fn from(conn: &'a mut SqliteConnection) -> Self {
        Exec::Sqlite(conn)
    }
}

impl<'a> From<&'a mut PgConnection> for Exec<'a> {
    fn from(conn: &'a mut PgConnection) -> Self {
        Exec::Postgres(conn)
    }
}

impl<'a, 't> From<&'a mut Transaction<'t, Sqlite>> for Exec<'a> {
    fn from(tx: &'a mut Transaction<'t, Sqlite>) -> Self {
        Exec::Sqlite(tx)
    }
}

impl<'a, 't> From<&'a mut Transaction<'t, Postgres>> for Exec<'a> {
    fn from(tx: &'a mut Transaction<'t, Postgres>) -> Self {
        Exec::Postgres(tx)
    }
}

/// Which engine a URL asks for: `postgres://` / `postgresql://`, or SQLite
/// for anything else (`sqlite://file.db`, the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Engine {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Closes every connection (the end of a test, or of the process).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        }
    }
}

impl<'a> From<&'a mut Tx> for Conn<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        match tx {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }
}

impl<'a> From<&'a mut SqliteConnection> for Conn<'a> {
    fn from(conn: &'a mut SqliteConnection) -> Self {
        Conn::Sqlite(conn)
    }
}

impl<'a> From<&'a mut PgConnection> for Conn<'a> {
    fn from(conn: &'a mut PgConnection) -> Self {
        Conn::Postgres(conn)
    }
}

impl<'a, 't> From<&'a mut Transaction<'t, Sqlite>> for Conn<'a> {
    fn from(tx: &'a mut Transaction<'t, Sqlite>) -> Self {
        Conn::Sqlite(tx)
    }
}

impl<'a, 't> From<&'a mut Transaction<'t, Postgres>> for Conn<'a> {
    fn from(tx: &'a mut Transaction<'t, Postgres>) -> Self {
        Conn::Postgres(tx)
    }
}

/// Engine facts a statement's text may depend on ([`pick!`]).
pub trait Dialect {
    const POSTGRES: bool;
}

impl Dialect for Sqlite {
    const POSTGRES: bool = false;
}

impl Dialect for Postgres {
    const POSTGRES: bool = true;
}

/// The advisory lock every PostgreSQL write transaction takes first: it gives
/// writers the order SQLite's `BEGIN IMMEDIATE` gives them, across every
/// process sharing the database, so a read-then-write (a capacity check, a
/// promotion from the waitlist) sees no concurrent writer. A write that may
/// touch any server (a job claim, an erasure, a public address taken) holds
/// it alone; a write within given servers (a click, an edit, a poll answer)
/// shares it and holds one lock per server ([`SERVER_LOCKS`]), so servers
/// do not wait for one another's writes. Readers never wait for either.
/// (The numbers are arbitrary, only ours.)
const WRITE_LOCK: i64 = 0x5265_6e63_6f6e_7472;

/// The class of the per-server locks: PostgreSQL's two-integer advisory
/// keys, a key space apart from [`WRITE_LOCK`]'s; the second integer is
/// the server's id folded to 32 bits (two servers sharing one only wait
/// for each other, as all did before).
const SERVER_LOCKS: i32 = 0x5265_6e63;

/// The per-server locks in ascending order (the subquery fixes the order
/// of evaluation), so two writes over several servers cannot deadlock.
const SERVER_LOCKS_SQL: &str = "SELECT pg_advisory_xact_lock($1, key)
     FROM (SELECT DISTINCT key FROM unnest($2::int4[]) AS key ORDER BY key OFFSET 0) AS keys";

fn server_key(guild_id: u64) -> i32 {
    (guild_id ^ (guild_id >> 32)) as u32 as i32
}

/// Opens a write transaction: on SQLite `BEGIN IMMEDIATE` (the one write
/// lock at once, whatever the servers), on PostgreSQL a transaction holding
/// [`WRITE_LOCK`], alone or shared with the servers' own locks.
pub trait BeginWrite {
    type Tx;
    /// A write that may touch any server's data.
    fn begin_write(&self) -> impl std::future::Future<Output = Result<Self::Tx, sqlx::Error>> + Send;
    /// A write that touches only the data of `guilds`.
    fn begin_write_in(
        &self,
        guilds: &[u64],
    ) -> impl std::future::Future<Output = Result<Self::Tx, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Tx = Transaction<'static, Sqlite>;
    async fn begin_write(&self) -> Result<Self::Tx, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
    async fn begin_write_in(&self, _guilds: &[u64]) -> Result<Self::Tx, sqlx::Error> {
        self.begin_write().await
    }
}

impl BeginWrite for PgPool {
    type Tx = Transaction<'static, Postgres>;
    async fn begin_write(&self) -> Result<Self::Tx, sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
    async fn begin_write_in(&self, guilds: &[u64]) -> Result<Self::Tx, sqlx::Error> {
        if guilds.is_empty() {
            // No server named: nothing to share the lock with.
            return self.begin_write().await;
        }
        let mut tx = self.begin().await?;
        // Shared first, then the servers': every writer takes them in that order.
        sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        // Sorted here too, though the statement sorts them: the order is
        // what keeps two writes over the same servers from deadlocking.
        let mut keys: Vec<i32> = guilds.iter().copied().map(server_key).collect();
        keys.sort_unstable();
        keys.dedup();
        sqlx::query(SERVER_LOCKS_SQL)
            .bind(SERVER_LOCKS)
            .bind(keys)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

impl BeginWrite for Db {
    type Tx = Tx;
    async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_write().await?),
        })
    }
    async fn begin_write_in(&self, guilds: &[u64]) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_write_in(guilds).await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_write_in(guilds).await?),
        })
    }
}

/// Runs `$body` with `$pool` rebound to the engine's own pool type
/// (`&SqlitePool` or `&PgPool`) and the type alias `Engine` naming the sqlx
/// database type, so the body is written once and compiled for each engine.
macro_rules! with_pool {
    ($pool:ident, $body:block) => {
        match $pool {
            $crate::store::Db::Sqlite($pool) => {
                #[allow(dead_code)]
                type Engine = sqlx::Sqlite;
                $body
            }
            $crate::store::Db::Postgres($pool) => {
                #[allow(dead_code)]
                type Engine = sqlx::Postgres;
                $body
            }
        }
    };
}

/// [`with_pool!`] for a borrowed connection: `$conn` (anything that converts
/// into a [`Conn`]) is rebound to `&mut SqliteConnection` or
/// `&mut PgConnection`.
macro_rules! with_conn {
    ($conn:ident, $body:block) => {
        match Into::<$crate::store::Conn<'_>>::into($conn) {
            $crate::store::Conn::Sqlite($conn) => {
                #[allow(dead_code)]
                type Engine = sqlx::Sqlite;
                $body
            }
            $crate::store::Conn::Postgres($conn) => {
                #[allow(dead_code)]
                type Engine = sqlx::Postgres;
                $body
            }
        }
    };
}

/// [`with_pool!`] for an [`Exec`]: `$exec` is rebound to the engine's pool
/// or connection, and the body (one statement using `$exec` once) is
/// compiled for each of the four.
macro_rules! with_exec {
    ($exec:ident, $body:block) => {
        match Into::<$crate::store::engine::Exec<'_>>::into($exec) {
            $crate::store::engine::Exec::SqlitePool($exec) => {
                #[allow(dead_code)]
                type Engine = sqlx::Sqlite;
                $body
            }
            $crate::store::engine::Exec::PgPool($exec) => {
                #[allow(dead_code)]
                type Engine = sqlx::Postgres;
                $body
            }
            $crate::store::engine::Exec::Sqlite($exec) => {
                #[allow(dead_code)]
                type Engine = sqlx::Sqlite;
                $body
            }
            $crate::store::engine::Exec::Postgres($exec) => {
                #[allow(dead_code)]
                type Engine = sqlx::Postgres;
                $body
            }
        }
    };
}

/// Inside [`with_pool!`] / [`with_conn!`]: the statement text for the
/// engine at hand, where the two dialects differ.
macro_rules! pick {
    (sqlite: $sqlite:expr, postgres: $postgres:expr $(,)?) => {
        if <Engine as $crate::store::engine::Dialect>::POSTGRES {
            $postgres
        } else {
            $sqlite
        }
    };
}

pub(crate) use {pick, with_conn, with_exec, with_pool};

/// Runs `$body` with `$p` bound to the pool inside `$db` (a [`Db`]), for
/// code outside the store that checks the database directly: tests,
/// benchmarks. The body is compiled for each engine.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$p:ident| $body:expr) => {
        match &$db {
            $crate::store::Db::Sqlite($p) => $body,
            $crate::store::Db::Postgres($p) => $body,
        }
    };
}
