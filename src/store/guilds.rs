//! A server's whole footprint: noting when the bot was removed, and purging
//! everything after a grace period (an accidental kick must not wipe an
//! association's history).

use crate::store::{with_pool, Db};
use chrono::{DateTime, Duration, Utc};

use super::{begin_write_in, sql_id, to_ts};

/// How long a removed server's data is kept, in case the bot comes back.
pub const GRACE: Duration = Duration::days(30);

/// The bot was removed from the server: purge its data after the grace period.
pub async fn left(pool: &Db, guild_id: u64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[guild_id]).await?;
        let gid = sql_id(guild_id);
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, left_at, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (guild_id) DO UPDATE SET left_at = excluded.left_at",
        )
        .bind(gid)
        .bind(to_ts(now))
        .bind(to_ts(now))
        .execute(&mut *tx)
        .await?;
        super::jobs::upsert(
            &mut tx,
            super::jobs::Kind::PurgeGuild,
            gid,
            gid,
            0,
            to_ts(now + GRACE),
        )
        .await?;
        tx.commit().await
    })
}

/// At each connection, READY lists every server the bot is in, unavailable
/// ones included (an outage at Discord is not a removal). A server the
/// database holds data for, on this shard (`(shard, total)`), that READY
/// does not list was left while the bot was offline: it is purged after the
/// grace period like any other, from now. Servers already marked left keep
/// their date. Returns the servers newly marked.
pub async fn left_while_offline(
    pool: &Db,
    listed: &[u64],
    (shard, total): (u64, u64),
    now: DateTime<Utc>,
) -> Result<Vec<u64>, sqlx::Error> {
    let db = pool;
    with_pool!(pool, {
        let known: Vec<i64> = sqlx::query_scalar(
            "SELECT guild_id FROM guild_settings
         UNION SELECT guild_id FROM events
         UNION SELECT guild_id FROM introductions
         UNION SELECT guild_id FROM member_prefs
         UNION SELECT guild_id FROM announcements
         UNION SELECT guild_id FROM calendar_feeds
         EXCEPT SELECT guild_id FROM guild_settings WHERE left_at IS NOT NULL",
        )
        .fetch_all(pool)
        .await?;
        let total = total.max(1);
        let gone: Vec<u64> = known
            .into_iter()
            .map(super::from_sql_id)
            // 0 stands for "no server" (a DM); other shards list their own.
            .filter(|&g| g != 0 && (g >> 22) % total == shard && !listed.contains(&g))
            .collect();
        for &guild_id in &gone {
            left(db, guild_id, now).await?;
        }
        Ok(gone)
    })
}

/// The bot is (back) in the server: nothing is to be purged.
pub async fn present(pool: &Db, guild_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let gid = sql_id(guild_id);
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE guild_settings SET left_at = NULL WHERE guild_id = $1 AND left_at IS NOT NULL")
            .bind(gid)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
        "UPDATE jobs SET status = 'dropped' WHERE kind = 'purge_guild' AND ref_id = $1 AND status = 'pending'",
    )
    .bind(gid)
    .execute(&mut *tx)
    .await?;
        tx.commit().await
    })
}

/// Whether the server is still marked as left (it was not re-added meanwhile).
pub async fn still_left(pool: &Db, guild_id: u64) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let left: Option<Option<i64>> =
            sqlx::query_scalar("SELECT left_at FROM guild_settings WHERE guild_id = $1")
                .bind(sql_id(guild_id))
                .fetch_optional(pool)
                .await?;
        Ok(matches!(left, Some(Some(_))))
    })
}

/// Deletes every row about the server, in one transaction.
pub async fn purge(pool: &Db, guild_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let gid = sql_id(guild_id);
        let mut tx = begin_write_in(pool, &[guild_id]).await?;
        for statement in [
            "DELETE FROM job_deliveries WHERE job_id IN (SELECT id FROM jobs WHERE guild_id = $1)",
            "DELETE FROM jobs WHERE guild_id = $1 AND kind != 'purge_guild'",
            "DELETE FROM announcements WHERE guild_id = $1",
            "DELETE FROM rsvps WHERE event_id IN (SELECT id FROM events WHERE guild_id = $1)",
            "DELETE FROM events WHERE guild_id = $1",
            "DELETE FROM series WHERE guild_id = $1",
            "DELETE FROM introductions WHERE guild_id = $1",
            "DELETE FROM member_prefs WHERE guild_id = $1",
            "DELETE FROM calendar_feeds WHERE guild_id = $1",
            "DELETE FROM public_agendas WHERE guild_id = $1",
            "DELETE FROM poll_answers WHERE poll_id IN (SELECT id FROM polls WHERE guild_id = $1)",
            "DELETE FROM poll_dates WHERE poll_id IN (SELECT id FROM polls WHERE guild_id = $1)",
            "DELETE FROM polls WHERE guild_id = $1",
            "DELETE FROM guild_settings WHERE guild_id = $1",
        ] {
            sqlx::query(statement).bind(gid).execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}
