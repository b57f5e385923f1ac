//! Small facts the bot keeps about itself, by key (e.g. the last command
//! definitions registered, so restarts don't burn Discord's daily limit).

use crate::store::{with_pool, Db};

/// The value kept under `key`, if any.
pub async fn get(pool: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    with_pool!(pool, {
        sqlx::query_scalar("SELECT value FROM bot_state WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })
}

/// Keeps `value` under `key`, replacing what was there.
pub async fn set(pool: &Db, key: &str, value: &str) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
            "INSERT INTO bot_state (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(pool)
        .await?;
        Ok(())
    })
}
