//! Job runners sharing a database, and whose claims are whose. Each process
//! runs one runner; a claimed job names its runner ([`runner_id`]). A runner
//! says it is alive every few seconds; the claims of one that stopped are
//! taken up by the others — after its lease ([`RUNNER_LEASE`]) in general,
//! at once when a runner on the same host sees that its process is gone.

use chrono::{DateTime, Duration, Utc};

use super::{to_ts, with_pool, Db, Engine};

/// A runner not seen alive for this long is gone: its claims are taken up
/// by the runners still alive.
pub const RUNNER_LEASE: Duration = Duration::seconds(60);

/// This process's job runner, as its claims name it: unique across
/// processes and machines sharing a database (the process id, the start
/// time, and randomly keyed hashing's key).
pub fn runner_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(started);
        format!("{}-{:016x}", std::process::id(), hasher.finish())
    })
}

/// Where this runner runs, when the system can say it (Linux): its host —
/// the machine's boot and the process namespace, the scope in which a
/// process id means one process — and its process (id and start time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub host: Option<String>,
    pub process: Option<String>,
}

/// Marks the runner `$1` alive at `$2`, keeping where it runs.
pub(super) const SAY_ALIVE: &str = "INSERT INTO job_runners (id, seen_at) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at";

/// Says this process's runner is alive and where it runs (every few
/// seconds, whatever the runner is doing), and forgets runners gone for a day.
pub async fn heartbeat(pool: &Db, now: DateTime<Utc>, place: &Place) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
            "INSERT INTO job_runners (id, seen_at, host, process) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE
             SET seen_at = excluded.seen_at, host = excluded.host, process = excluded.process",
        )
        .bind(runner_id())
        .bind(to_ts(now))
        .bind(place.host.as_deref())
        .bind(place.process.as_deref())
        .execute(pool)
        .await?;
        sqlx::query("DELETE FROM job_runners WHERE seen_at < $1")
            .bind(to_ts(now - Duration::days(1)))
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// The other runners on `host`, with their process: (runner, process).
pub async fn neighbours(pool: &Db, host: &str) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    with_pool!(pool, {
        sqlx::query_as("SELECT id, process FROM job_runners WHERE host = $1 AND id <> $2 ORDER BY id")
            .bind(host)
            .bind(runner_id())
            .fetch_all(pool)
            .await
    })
}

/// Forgets a runner known to be dead: its claims become orphaned
/// ([`ORPHANED`]), to be taken up at once.
pub async fn forget(pool: &Db, runner: &str) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("DELETE FROM job_runners WHERE id = $1")
            .bind(runner)
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// The claims whose runner is gone: none named (claimed before runners
/// named their claims), or not seen alive within [`RUNNER_LEASE`] (`$2` is
/// the time the lease began), or forgotten as dead.
pub(super) const ORPHANED: &str = "(claimed_by IS NULL
          OR claimed_by NOT IN (SELECT id FROM job_runners WHERE seen_at > $2))";

/// Which claims [`release_claims`] puts back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// At start-up, before this runner claims anything: on SQLite, where
    /// one process works a file, every claim is the dead predecessor's; on
    /// PostgreSQL, the orphaned ones (live runners' claims are theirs).
    AtStart,
    /// While running: only orphaned claims, never this runner's own.
    Orphaned,
}

/// Puts back the claims dead runners left behind (`kill -9`, power loss):
/// due again now, not [`super::jobs::STALE_CLAIM`] later, when Discord
/// would no longer recognise the nonces of what they had begun to send. The
/// attempt the dead process counted is given back: a crash is not the
/// job's failure. Returns how many claims were released.
pub async fn release_claims(pool: &Db, now: DateTime<Utc>, which: Release) -> Result<u64, sqlx::Error> {
    // At start this runner has claimed nothing yet, unless it is the same
    // runner starting again in one process (the tests' restarts): those
    // claims are a dead run's too. While running, its own are never touched.
    let which_claims = match which {
        Release::AtStart => format!("$1 OR claimed_by = $3 OR {ORPHANED}"),
        Release::Orphaned => format!("$1 OR (claimed_by IS DISTINCT FROM $3 AND {ORPHANED})"),
    };
    let sql = format!(
        "UPDATE jobs SET status = 'pending', claimed_at = NULL, claimed_by = NULL,
             attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
         WHERE status = 'running' AND ({which_claims})"
    );
    let every_claim = which == Release::AtStart && pool.engine() == Engine::Sqlite;
    with_pool!(pool, {
        let released = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(every_claim)
            .bind(to_ts(now - RUNNER_LEASE))
            .bind(runner_id())
            .execute(pool)
            .await?;
        Ok(released.rows_affected())
    })
}
