//! Interactions already answered, across processes. Discord may deliver an
//! interaction to two gateway sessions while shards move between processes;
//! the first process to record it answers, the other stays silent. One
//! SQLite process remembers the interactions it saw in memory
//! (`discord::Handler`), so only PostgreSQL pays the write.

use chrono::{DateTime, Duration, Utc};

use super::{sql_id, to_ts, with_pool, Db, Engine};

/// Interaction tokens live 15 minutes; a replay later than this cannot be
/// answered anyway.
pub const REMEMBERED_FOR: Duration = Duration::hours(1);

/// Whether this process is the first to see interaction `id`.
pub async fn first_sighting(pool: &Db, id: u64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    if pool.engine() == Engine::Sqlite {
        return Ok(true);
    }
    with_pool!(pool, {
        let recorded =
            sqlx::query("INSERT INTO interactions_seen (id, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(sql_id(id))
                .bind(to_ts(now))
                .execute(pool)
                .await?;
        Ok(recorded.rows_affected() == 1)
    })
}

/// Forgets the interactions older than [`REMEMBERED_FOR`].
pub async fn forget_old(pool: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    with_pool!(pool, {
        let forgotten = sqlx::query("DELETE FROM interactions_seen WHERE seen_at < $1")
            .bind(to_ts(now - REMEMBERED_FOR))
            .execute(pool)
            .await?;
        Ok(forgotten.rows_affected())
    })
}
