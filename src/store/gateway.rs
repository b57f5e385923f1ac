//! What processes sharing a database coordinate about Discord's gateway:
//! turns to IDENTIFY, and leases for the work one process does for all.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::store::{pick, with_pool, Db};

use super::{begin_write, to_ts};

/// Discord accepts one IDENTIFY per bucket every 5 s; half a second more
/// absorbs the network between the database and Discord.
pub const IDENTIFY_SPACING: Duration = Duration::from_millis(5_500);

/// Takes bucket `bucket`'s turn to IDENTIFY if its last IDENTIFY, by any
/// process, is at least [`IDENTIFY_SPACING`] old: `None`, the turn is
/// taken (and recorded); otherwise how long to wait before asking again.
/// The database's clock decides, so processes on machines whose clocks
/// differ still keep the spacing.
pub async fn take_identify_turn(pool: &Db, bucket: u32) -> Result<Option<Duration>, sqlx::Error> {
    let spacing = IDENTIFY_SPACING.as_millis() as i64;
    with_pool!(pool, {
        let now_ms = pick!(
            sqlite: "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
            postgres: "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        );
        let mut tx = begin_write(pool).await?;
        let now: i64 = sqlx::query_scalar(now_ms).fetch_one(&mut *tx).await?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT identified_at FROM identify_turns WHERE bucket = $1")
                .bind(i64::from(bucket))
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(last) = last.filter(|last| now - last < spacing && now >= *last) {
            tx.rollback().await?;
            return Ok(Some(Duration::from_millis((spacing - (now - last)) as u64)));
        }
        sqlx::query(
            "INSERT INTO identify_turns (bucket, identified_at) VALUES ($1, $2)
             ON CONFLICT (bucket) DO UPDATE SET identified_at = excluded.identified_at",
        )
        .bind(i64::from(bucket))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(None)
    })
}

/// Takes or renews the lease `name` for `holder` until `now + length`:
/// true if `holder` holds it now (it was free, expired, or already
/// theirs), false if another holder's lease runs.
pub async fn lease(
    pool: &Db,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    length: chrono::Duration,
) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let taken = sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE leases.holder = excluded.holder OR leases.until <= $4",
        )
        .bind(name)
        .bind(holder)
        .bind(to_ts(now + length))
        .bind(to_ts(now))
        .execute(pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    })
}

/// Gives up the lease `name` if `holder` holds it, for the next to take at once.
pub async fn release(pool: &Db, name: &str, holder: &str) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(pool)
            .await?;
        Ok(())
    })
}
