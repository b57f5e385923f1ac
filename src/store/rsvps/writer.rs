//! Group commit for RSVP clicks. Every click needs its own capacity decision
//! inside a write transaction, but a transaction's fixed cost (taking the
//! write lock, writing the log) dwarfs the click's few statements.
//! So clicks that arrive while a transaction is under way queue up, and the
//! next one to get the turn (the "leader") decides all of them, one after
//! another in arrival order, in one transaction. Nobody is answered before
//! that transaction has committed, so an acknowledged RSVP is never lost,
//! and the order of decisions is still the order of arrival: capacity and
//! waitlist rules are exactly those of [`record`]. Before taking its
//! batch the leader lets the clicks already under way join it
//! ([`gather`]); a lone click pays two passes of the scheduler and commits
//! alone.
//!
//! The leader writes on a connection of its own, kept between batches
//! rather than taken from the pool: a pool checkout and return cost round
//! trips to the connection's thread (sqlx checks a connection when it
//! comes back), as much as the click's own statements.
//!
//! That connection checkpoints the log (copies it into the database file)
//! only past [`WRITER_CHECKPOINT_PAGES`], ten times SQLite's default. A
//! checkpoint syncs the log and the file, ~12 ms here, while the clicks of
//! the next batches wait: at the default every ~0.3 s of a storm, which
//! made the clicks' p99 (measured with strace, BENCHMARKS.md). The pool's
//! connections keep the default, so any other write (a job, a save) also
//! checkpoints, beside the writer rather than in its way.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{decide::decide_in, record, Answered, Request};
use crate::store::{BeginWrite, Db};
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnection;
use sqlx::{ConnectOptions, Connection};
use tokio::sync::oneshot;

/// At most this many clicks share one transaction, which bounds how long
/// the write lock is held (a few milliseconds).
const MAX_BATCH: usize = 256;

/// The longest a leader gathers clicks under way before taking its batch:
/// it stops sooner as soon as they stop coming. A rush at 50 in flight
/// brings ~20 clicks in ~1.5 ms; the bound only matters when clicks
/// trickle in one per pass of a busy scheduler.
const GATHER_AT_MOST: Duration = Duration::from_millis(2);

/// Log pages past which the writer's own commit checkpoints (~40 MB).
const WRITER_CHECKPOINT_PAGES: &str = "10000";

type Done = oneshot::Sender<Result<Answered, sqlx::Error>>;

/// A click waiting for its turn, and where its answer goes.
struct Queued {
    request: Request,
    now: DateTime<Utc>,
    done: Done,
}

/// Shared by every handler through `AppState`.
#[derive(Default)]
pub struct RsvpWriter {
    queue: Mutex<Vec<Queued>>,
    /// Held by the leader while it decides and commits a batch. tokio's
    /// mutex is fair, so clicks take turns in arrival order. On SQLite it
    /// guards the writing connection, opened at the first click.
    turn: tokio::sync::Mutex<Option<SqliteConnection>>,
    /// Transactions committed, and the clicks they decided (`/metrics`).
    transactions: AtomicU64,
    clicks: AtomicU64,
}

impl RsvpWriter {
    /// Records an answer like [`record`], sharing the transaction with the
    /// clicks that arrive meanwhile.
    pub async fn record(
        &self,
        pool: &Db,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Answered, sqlx::Error> {
        let (done, mut result) = oneshot::channel();
        self.lock_queue().push(Queued { request, now, done });
        let mut turn = self.turn.lock().await;
        // A leader before us may have decided our click while we waited:
        // it answers before giving up the turn.
        if let Ok(outcome) = result.try_recv() {
            return outcome;
        }
        loop {
            gather(&self.queue).await;
            let batch: Vec<Queued> = {
                let mut queue = self.lock_queue();
                let split = queue.len().min(MAX_BATCH);
                let rest = queue.split_off(split);
                std::mem::replace(&mut *queue, rest)
            };
            if batch.is_empty() {
                break;
            }
            self.commit(pool, &mut turn, batch).await;
            if let Ok(outcome) = result.try_recv() {
                return outcome;
            }
        }
        drop(turn);
        // Only if a leader holding our click was cancelled mid-batch.
        result.await.unwrap_or(Err(sqlx::Error::WorkerCrashed))
    }

    /// Decides and commits a batch; if anything in it fails, the transaction
    /// is rolled back and each click is retried alone, so one bad click cannot
    /// fail the others and each gets its own result.
    async fn commit(&self, pool: &Db, writer: &mut Option<SqliteConnection>, batch: Vec<Queued>) {
        let shared = together(pool, writer, &batch).await;
        if shared.is_err() {
            // Whatever went wrong, the next batch starts on a fresh connection.
            *writer = None;
        }
        match shared {
            Ok(outcomes) => {
                self.count(batch.len());
                for (queued, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = queued.done.send(Ok(outcome));
                }
            }
            Err(error) => {
                if batch.len() > 1 {
                    tracing::warn!(error = ?error, clicks = batch.len(), "a shared RSVP transaction failed; retrying each click alone");
                }
                for queued in batch {
                    let outcome = record(pool, &queued.request, queued.now).await;
                    if outcome.is_ok() {
                        self.count(1);
                    }
                    let _ = queued.done.send(outcome);
                }
            }
        }
    }

    /// Transactions the writer committed and the clicks they decided
    /// (recorded or refused): divided, the mean batch.
    pub fn committed(&self) -> (u64, u64) {
        (
            self.transactions.load(Ordering::Relaxed),
            self.clicks.load(Ordering::Relaxed),
        )
    }

    fn count(&self, clicks: usize) {
        self.transactions.fetch_add(1, Ordering::Relaxed);
        self.clicks.fetch_add(clicks as u64, Ordering::Relaxed);
    }

    fn lock_queue(&self) -> std::sync::MutexGuard<'_, Vec<Queued>> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Lets the clicks already under way join the batch before it is taken.
/// A transaction costs SQLite about what a whole click costs serenity
/// (~50 µs of CPU here), so the batch's size decides a click's cost. Each
/// `yield_now` lets every other task that is ready run first (and the
/// gateway's new messages be read), so a click parsed a moment ago reaches
/// the queue. The leader stops after two yields in a row that bring no one
/// (after one, clicks a step behind were left out: BENCHMARKS.md, stop 25),
/// at [`MAX_BATCH`], or after [`GATHER_AT_MOST`]. A lone click pays two
/// passes of the scheduler, microseconds, never a timer.
async fn gather(queue: &Mutex<Vec<Queued>>) {
    let waiting = || queue.lock().unwrap_or_else(|p| p.into_inner()).len();
    let started = Instant::now();
    let mut before = waiting();
    let mut idle = 0;
    while before < MAX_BATCH && started.elapsed() < GATHER_AT_MOST {
        tokio::task::yield_now().await;
        let now = waiting();
        if now == before {
            idle += 1;
            if idle == 2 {
                return;
            }
        } else {
            idle = 0;
        }
        before = now;
    }
}

/// The batch in one write transaction: on SQLite's dedicated writer
/// connection, on PostgreSQL on a connection from the pool.
async fn together(
    pool: &Db,
    writer: &mut Option<SqliteConnection>,
    batch: &[Queued],
) -> Result<Vec<Answered>, sqlx::Error> {
    let clicks: Vec<(&Request, DateTime<Utc>)> = batch.iter().map(|q| (&q.request, q.now)).collect();
    match pool {
        Db::Sqlite(sqlite) => {
            let conn = match writer {
                Some(conn) => conn,
                None => {
                    let options = (*sqlite.connect_options()).clone();
                    let options = options.pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES);
                    writer.insert(options.connect().await?)
                }
            };
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            let outcomes = decide_in(&mut tx, &clicks).await?;
            tx.commit().await?;
            Ok(outcomes)
        }
        // PostgreSQL connections are sockets a server may close; the pool
        // checks them, so the batch takes one from there.
        Db::Postgres(pg) => {
            let guilds: Vec<u64> = clicks.iter().map(|(request, _)| request.guild_id).collect();
            let mut tx = pg.begin_write_in(&guilds).await?;
            let outcomes = decide_in(&mut tx, &clicks).await?;
            tx.commit().await?;
            Ok(outcomes)
        }
    }
}
