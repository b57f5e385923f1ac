//! Member preferences (reminders) and delivery facts (closed DMs).

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::{sql_id, to_ts};

pub async fn set_reminders(
    pool: &SqlitePool,
    guild_id: u64,
    user_id: u64,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO member_prefs (guild_id, user_id, reminders_enabled, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET
             reminders_enabled = excluded.reminders_enabled, updated_at = excluded.updated_at",
    )
    .bind(sql_id(guild_id))
    .bind(sql_id(user_id))
    .bind(enabled)
    .bind(to_ts(now))
    .execute(pool)
    .await?;
    Ok(())
}

/// Reminders are on unless the member turned them off.
pub async fn reminders_enabled(pool: &SqlitePool, guild_id: u64, user_id: u64) -> Result<bool, sqlx::Error> {
    let on: Option<bool> =
        sqlx::query_scalar("SELECT reminders_enabled FROM member_prefs WHERE guild_id = ? AND user_id = ?")
            .bind(sql_id(guild_id))
            .bind(sql_id(user_id))
            .fetch_optional(pool)
            .await?;
    Ok(on.unwrap_or(true))
}

/// Notes that a DM to this member failed because their DMs are closed
/// (Discord error 50007), so reminders skip them instead of retrying.
pub async fn mark_dms_closed(
    pool: &SqlitePool,
    guild_id: u64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO member_prefs (guild_id, user_id, dms_closed_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET dms_closed_at = excluded.dms_closed_at,
             updated_at = excluded.updated_at",
    )
    .bind(sql_id(guild_id))
    .bind(sql_id(user_id))
    .bind(to_ts(now))
    .bind(to_ts(now))
    .execute(pool)
    .await?;
    Ok(())
}
