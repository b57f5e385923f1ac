//! Secret tokens behind the calendar feed URLs.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::{begin_write, from_sql_id, sql_id, to_ts};

/// The feed token of a server's agenda (`user` None) or of one member's
/// events, created on first use; `renew` replaces it, so an old link that
/// leaked stops working.
pub async fn token(
    pool: &SqlitePool,
    guild_id: u64,
    user: Option<u64>,
    renew: bool,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let (gid, uid) = (sql_id(guild_id), user.map(sql_id));
    if renew {
        sqlx::query("DELETE FROM calendar_feeds WHERE guild_id = ? AND user_id IS ?")
            .bind(gid)
            .bind(uid)
            .execute(&mut *tx)
            .await?;
    }
    let existing: Option<String> =
        sqlx::query_scalar("SELECT token FROM calendar_feeds WHERE guild_id = ? AND user_id IS ?")
            .bind(gid)
            .bind(uid)
            .fetch_optional(&mut *tx)
            .await?;
    let token = match existing {
        Some(token) => token,
        // 160 random bits from SQLite's CSPRNG-seeded generator.
        None => {
            sqlx::query_scalar(
                "INSERT INTO calendar_feeds (token, guild_id, user_id, created_at)
                 VALUES (lower(hex(randomblob(20))), ?, ?, ?) RETURNING token",
            )
            .bind(gid)
            .bind(uid)
            .bind(to_ts(now))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(token)
}

/// Whose feed a token opens: (server, member or None for the whole agenda).
pub async fn resolve(pool: &SqlitePool, token: &str) -> Result<Option<(u64, Option<u64>)>, sqlx::Error> {
    if token.len() != 40 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT guild_id, user_id FROM calendar_feeds WHERE token = ?")
            .bind(token)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(g, u)| (from_sql_id(g), u.map(from_sql_id))))
}
