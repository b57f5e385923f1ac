//! Group commit for RSVP clicks. Every click needs its own capacity decision
//! inside a write transaction, but a transaction's fixed cost (taking the
//! write lock, writing the WAL frame) dwarfs the click's few statements.
//! So clicks that arrive while a transaction is under way queue up, and the
//! next one to get the turn (the "leader") decides all of them, one after
//! another in arrival order, in one transaction. Nobody is answered before
//! that transaction has committed, so an acknowledged RSVP is never lost,
//! and the order of decisions is still the order of arrival: capacity and
//! waitlist rules are exactly those of [`rsvps::respond`]. A lone click
//! pays nothing extra: it finds no queue and commits alone.
//!
//! The leader writes on a connection of its own, kept between batches
//! rather than taken from the pool: a pool checkout and return cost round
//! trips to the connection's thread (sqlx checks a connection when it
//! comes back), as much as the click's own statements.

use std::sync::Mutex;

use super::rsvp_batch;
use super::rsvps::{self, Answered, Request};
use crate::domain::rsvp::Asker;
use crate::domain::rsvp::RsvpChoice;
use crate::store::{BeginWrite, Db};
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnection;
use sqlx::{ConnectOptions, Connection};
use tokio::sync::oneshot;

/// At most this many clicks share one transaction, which bounds how long
/// the write lock is held (a few milliseconds).
const MAX_BATCH: usize = 256;

type Done = oneshot::Sender<Result<Answered, sqlx::Error>>;

/// A click waiting for its turn, with what [`Request`] borrows.
struct Queued {
    guild_id: u64,
    event_id: i64,
    user_id: u64,
    user_name: String,
    choice: RsvpChoice,
    guests: Option<i64>,
    note: Option<String>,
    asker: Asker,
    now: DateTime<Utc>,
    done: Done,
}

impl Queued {
    fn request(&self) -> Request<'_> {
        Request {
            guild_id: self.guild_id,
            event_id: self.event_id,
            user_id: self.user_id,
            user_name: &self.user_name,
            choice: self.choice,
            guests: self.guests,
            note: self.note.as_deref(),
            asker: &self.asker,
        }
    }
}

/// Shared by every handler through `AppState`.
#[derive(Default)]
pub struct RsvpWrites {
    queue: Mutex<Vec<Queued>>,
    /// Held by the leader while it decides and commits a batch. tokio's
    /// mutex is fair, so clicks take turns in arrival order. On SQLite it
    /// guards the writing connection, opened at the first click.
    turn: tokio::sync::Mutex<Option<SqliteConnection>>,
}

impl RsvpWrites {
    /// Records an answer like [`rsvps::respond`], sharing the transaction
    /// with the clicks that arrive meanwhile.
    pub async fn respond(
        &self,
        pool: &Db,
        req: Request<'_>,
        now: DateTime<Utc>,
    ) -> Result<Answered, sqlx::Error> {
        let (done, mut result) = oneshot::channel();
        self.lock_queue().push(Queued {
            guild_id: req.guild_id,
            event_id: req.event_id,
            user_id: req.user_id,
            user_name: req.user_name.to_owned(),
            choice: req.choice,
            guests: req.guests,
            note: req.note.map(str::to_owned),
            asker: req.asker.clone(),
            now,
            done,
        });
        let mut turn = self.turn.lock().await;
        // A leader before us may have decided our click while we waited:
        // it answers before giving up the turn.
        if let Ok(outcome) = result.try_recv() {
            return outcome;
        }
        loop {
            let batch: Vec<Queued> = {
                let mut queue = self.lock_queue();
                let split = queue.len().min(MAX_BATCH);
                let rest = queue.split_off(split);
                std::mem::replace(&mut *queue, rest)
            };
            if batch.is_empty() {
                break;
            }
            commit(pool, &mut turn, batch).await;
            if let Ok(outcome) = result.try_recv() {
                return outcome;
            }
        }
        drop(turn);
        // Only if a leader holding our click was cancelled mid-batch.
        result.await.unwrap_or(Err(sqlx::Error::WorkerCrashed))
    }

    fn lock_queue(&self) -> std::sync::MutexGuard<'_, Vec<Queued>> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Decides and commits a batch; if anything in it fails, the transaction
/// is rolled back and each click is retried alone, so one bad click cannot
/// fail the others and each gets its own result.
async fn commit(pool: &Db, writer: &mut Option<SqliteConnection>, batch: Vec<Queued>) {
    let shared = match (pool, &mut *writer) {
        (Db::Sqlite(_), Some(conn)) => together(conn, &batch).await,
        (Db::Sqlite(sqlite), None) => match sqlite.connect_options().connect().await {
            Ok(conn) => together(writer.insert(conn), &batch).await,
            Err(error) => Err(error),
        },
        // PostgreSQL connections are sockets a server may close; the pool
        // checks them, so the batch takes one from there.
        (Db::Postgres(pg), _) => together_on(pg, &batch).await,
    };
    if shared.is_err() {
        // Whatever went wrong, the next batch starts on a fresh connection.
        *writer = None;
    }
    match shared {
        Ok(outcomes) => {
            for (queued, outcome) in batch.into_iter().zip(outcomes) {
                let _ = queued.done.send(Ok(outcome));
            }
        }
        Err(error) => {
            if batch.len() > 1 {
                tracing::warn!(error = ?error, clicks = batch.len(), "a shared RSVP transaction failed; retrying each click alone");
            }
            for queued in batch {
                let outcome = rsvps::respond(pool, queued.request(), queued.now).await;
                let _ = queued.done.send(outcome);
            }
        }
    }
}

/// The batch in one transaction on SQLite's dedicated writer connection.
async fn together(conn: &mut SqliteConnection, batch: &[Queued]) -> Result<Vec<Answered>, sqlx::Error> {
    let clicks: Vec<(Request<'_>, DateTime<Utc>)> = batch.iter().map(|q| (q.request(), q.now)).collect();
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let outcomes = rsvp_batch::decide(&mut tx, &clicks).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// The batch in one write transaction on PostgreSQL.
async fn together_on(pool: &sqlx::PgPool, batch: &[Queued]) -> Result<Vec<Answered>, sqlx::Error> {
    let clicks: Vec<(Request<'_>, DateTime<Utc>)> = batch.iter().map(|q| (q.request(), q.now)).collect();
    let mut tx = pool.begin_write().await?;
    let outcomes = rsvp_batch::decide(&mut tx, &clicks).await?;
    tx.commit().await?;
    Ok(outcomes)
}
