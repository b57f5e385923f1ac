//! The persisted schedule. Every time-driven action is a row with a due
//! time; the runner claims due rows in a transaction, performs them and marks
//! them done, so a restart (even `kill -9`) neither loses nor repeats one.

use crate::store::{with_conn, with_pool, Conn, Db};
use chrono::{DateTime, Duration, Utc};

use super::runners::{self, runner_id, ORPHANED, RUNNER_LEASE};
use super::{begin_write, from_sql_id, sql_id, to_ts};

mod kind;
pub use kind::{Job, Kind, ARCHIVE_THREAD};

pub(crate) async fn upsert(
    conn: impl Into<Conn<'_>>,
    kind: Kind,
    guild_id: i64,
    ref_id: i64,
    detail: i64,
    due_at: i64,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let replanned: Option<i64> = sqlx::query_scalar(
            "INSERT INTO jobs (kind, guild_id, ref_id, detail, due_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind, ref_id, detail) DO UPDATE SET due_at = excluded.due_at,
             status = 'pending', attempts = 0, last_error = NULL
         WHERE jobs.due_at != excluded.due_at OR jobs.status = 'dropped'
         RETURNING id",
        )
        .bind(kind.as_str())
        .bind(guild_id)
        .bind(ref_id)
        .bind(detail)
        .bind(due_at)
        .fetch_optional(&mut *conn)
        .await?;
        // Who the job reached belongs to its previous time: a member reminded
        // before the event moved is reminded again for the new time.
        if let Some(job_id) = replanned {
            sqlx::query("DELETE FROM job_deliveries WHERE job_id = $1")
                .bind(job_id)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    })
}

/// (Re)plans everything time-driven about one event: reminders at the
/// server's offsets, the deadline closing, the check-in window. Runs inside
/// the transaction that wrote the event, so the plan and the event agree.
/// A moved event gets its reminders again; past instants are not planned.
pub async fn plan_event(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
    reminder_offsets: &[i64],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let row: Option<(i64, i64, i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT guild_id, starts_at, ends_at, rsvp_deadline, status FROM events WHERE id = $1",
        )
        .bind(event_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((guild_id, starts, ends, deadline, status)) = row else {
            return Ok(());
        };
        if status == "cancelled" {
            return drop_event(&mut *conn, event_id).await;
        }
        let now = to_ts(now);
        // Offsets no longer configured are dropped.
        sqlx::query(
        "UPDATE jobs SET status = 'dropped' WHERE kind = 'reminder' AND ref_id = $1 AND status = 'pending'",
    )
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
        for minutes in reminder_offsets {
            let due = starts - minutes * 60;
            if due > now {
                upsert(&mut *conn, Kind::Reminder, guild_id, event_id, *minutes, due).await?;
            }
        }
        if let Some(deadline) = deadline.filter(|d| *d > now) {
            upsert(&mut *conn, Kind::Deadline, guild_id, event_id, 0, deadline).await?;
        }
        let check_in_opens = starts - crate::domain::event::CHECK_IN_BEFORE_MINUTES * 60;
        if check_in_opens > now {
            upsert(
                &mut *conn,
                Kind::CardRefresh,
                guild_id,
                event_id,
                0,
                check_in_opens,
            )
            .await?;
        }
        if ends > now {
            upsert(&mut *conn, Kind::CardRefresh, guild_id, event_id, 1, ends).await?;
        }
        super::threads::plan_archive(&mut *conn, event_id).await
    })
}

/// A date a series just gained gets its card from the runner, planned in the
/// transaction that adds the date: no crash can separate the two.
pub async fn plan_card(
    conn: impl Into<Conn<'_>>,
    guild_id: u64,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        upsert(
            &mut *conn,
            Kind::CardRefresh,
            sql_id(guild_id),
            event_id,
            2,
            to_ts(now),
        )
        .await
    })
}

/// A cancelled event: nothing more is sent about it. Its thread, where
/// members were told of the cancellation, is still archived in its time.
pub async fn drop_event(conn: impl Into<Conn<'_>>, event_id: i64) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        sqlx::query(
            "UPDATE jobs SET status = 'dropped'
         WHERE kind IN ('reminder', 'deadline', 'card_refresh') AND ref_id = $1 AND status = 'pending'
           AND NOT (kind = 'card_refresh' AND detail = $2)",
        )
        .bind(event_id)
        .bind(ARCHIVE_THREAD)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

/// A job that was claimed but never finished is due again after this long;
/// performing it is idempotent per recipient. A safety net: a restarted bot
/// takes up the claims of the process that died at once
/// ([`super::runners::release_claims`]), so this only matters for a runner stuck mid-job.
pub const STALE_CLAIM: Duration = Duration::minutes(5);

/// Claims up to `limit` due jobs for this process's runner, in one write
/// transaction: due ones, and those whose claim is stale or whose runner is
/// gone. Rows another runner is claiming at the same moment are skipped on
/// PostgreSQL (`SKIP LOCKED`), never claimed twice.
pub async fn claim_due(pool: &Db, now: DateTime<Utc>, limit: i64) -> Result<Vec<Job>, sqlx::Error> {
    let lock = match pool.engine() {
        super::Engine::Sqlite => "",
        super::Engine::Postgres => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', claimed_at = $1, claimed_by = $5, attempts = attempts + 1
         WHERE id IN (SELECT id FROM jobs
                      WHERE (status = 'pending' AND due_at <= $1)
                         OR (status = 'running' AND (claimed_at <= $3 OR {}))
                      ORDER BY due_at LIMIT $4 {lock})
         RETURNING id, kind, guild_id, ref_id, due_at, detail, attempts, payload",
        ORPHANED
    );
    with_pool!(pool, {
        let mut tx = begin_write(pool).await?;
        // A runner that claims is alive now: its claims are its own.
        sqlx::query(runners::SAY_ALIVE)
            .bind(runner_id())
            .bind(to_ts(now))
            .execute(&mut *tx)
            .await?;
        type Claimed = (i64, String, i64, i64, i64, i64, i64, Option<String>);
        let rows: Vec<Claimed> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(to_ts(now))
            .bind(to_ts(now - RUNNER_LEASE))
            .bind(to_ts(now - STALE_CLAIM))
            .bind(limit)
            .bind(runner_id())
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut jobs: Vec<Job> = rows
            .into_iter()
            .filter_map(|(id, kind, guild, ref_id, due, detail, attempts, payload)| {
                Some(Job {
                    id,
                    kind: Kind::parse(&kind)?,
                    guild_id: from_sql_id(guild),
                    ref_id,
                    due_at: super::from_ts(due),
                    detail,
                    attempts,
                    payload,
                })
            })
            .collect();
        jobs.sort_by_key(|j| (j.due_at, j.id));
        Ok(jobs)
    })
}

/// Finished jobs, and who they reached, are kept this long (for
/// `/privacy export` and to diagnose a complaint), then deleted.
pub const RETENTION: Duration = Duration::days(30);

/// Deletes the jobs that finished (done, dropped or given up) more than
/// [`RETENTION`] ago, with their delivery records; returns how many.
pub async fn sweep(pool: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write(pool).await?;
        let before = to_ts(now - RETENTION);
        // Deleted explicitly rather than trusting the cascade, which only runs
        // on connections with foreign keys on.
        sqlx::query(
            "DELETE FROM job_deliveries WHERE job_id IN (SELECT id FROM jobs
             WHERE status IN ('done', 'dropped', 'failed') AND COALESCE(done_at, due_at) < $1)",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        let swept = sqlx::query(
        "DELETE FROM jobs WHERE status IN ('done', 'dropped', 'failed') AND COALESCE(done_at, due_at) < $1",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
        tx.commit().await?;
        Ok(swept.rows_affected())
    })
}

/// Marks a claimed job finished; a job that rescheduled itself while
/// running (series extension) stays pending for its next time.
pub async fn finish(pool: &Db, id: i64, status: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE jobs SET status = $1, done_at = $2 WHERE id = $3 AND status = 'running'")
            .bind(status)
            .bind(to_ts(now))
            .bind(id)
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// After a failure: retried later with exponential backoff, or given up.
pub async fn retry_later(
    pool: &Db,
    job: &Job,
    error: &str,
    now: DateTime<Utc>,
    max_attempts: i64,
) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let give_up = job.attempts >= max_attempts;
        let next = now + Duration::seconds(30 * (1 << job.attempts.clamp(0, 10)));
        sqlx::query("UPDATE jobs SET status = $1, due_at = $2, last_error = $3, done_at = $4 WHERE id = $5")
            .bind(if give_up { "failed" } else { "pending" })
            .bind(to_ts(next))
            .bind(error)
            .bind(give_up.then(|| to_ts(now)))
            .bind(job.id)
            .execute(pool)
            .await?;
        Ok(!give_up)
    })
}

/// When the next pending job is due, so the runner can sleep until then.
pub async fn next_due(pool: &Db) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    with_pool!(pool, {
        let due: Option<i64> = sqlx::query_scalar("SELECT MIN(due_at) FROM jobs WHERE status = 'pending'")
            .fetch_one(pool)
            .await?;
        Ok(due.map(super::from_ts))
    })
}

/// Records that one recipient got a job's DM; `false` if already recorded,
/// so a job resumed after a crash skips those already served.
pub async fn record_delivery(
    pool: &Db,
    job_id: i64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let done = sqlx::query(
        "INSERT INTO job_deliveries (job_id, user_id, delivered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(job_id)
    .bind(sql_id(user_id))
    .bind(to_ts(now))
    .execute(pool)
    .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Whether this recipient was already served by this job.
pub async fn delivered(pool: &Db, job_id: i64, user_id: u64) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM job_deliveries WHERE job_id = $1 AND user_id = $2")
                .bind(job_id)
                .bind(sql_id(user_id))
                .fetch_optional(pool)
                .await?;
        Ok(found.is_some())
    })
}

/// For monitoring: jobs waiting, and how late (seconds) the oldest due one is.
pub async fn stats(pool: &Db, now: DateTime<Utc>) -> Result<(i64, i64), sqlx::Error> {
    with_pool!(pool, {
        let (pending, oldest_due): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(CASE WHEN due_at <= $1 THEN due_at END) FROM jobs WHERE status = 'pending'",
        )
        .bind(to_ts(now))
        .fetch_one(pool)
        .await?;
        Ok((pending, oldest_due.map(|due| to_ts(now) - due).unwrap_or(0)))
    })
}
