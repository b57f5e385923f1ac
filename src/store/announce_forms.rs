//! The options of open `/announce` forms, kept on the bot's side under a
//! random token (the form's id carries only the token).

use crate::store::{with_pool, Db};
use chrono::{DateTime, Duration, Utc};

use super::{from_sql_id, sql_id, to_ts};

/// How long an opened form can be submitted: time enough to type a long
/// message on a phone.
pub const LIFETIME: Duration = Duration::hours(1);

/// What `/announce` was asked, waiting for the form's title and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnounceForm {
    pub channel_id: u64,
    pub event_id: Option<i64>,
    pub ping_role: Option<u64>,
    /// Unix seconds.
    pub post_at: Option<i64>,
}

/// Stores a form's options for this server and member; returns its token,
/// 128 random bits from SQLite's CSPRNG (seeded by the OS), as 32 hex digits.
/// Expired forms are swept on the way.
pub async fn open(
    pool: &Db,
    guild_id: u64,
    user_id: u64,
    form: &AnnounceForm,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM announce_forms WHERE expires_at <= $1")
            .bind(to_ts(now))
            .execute(&mut *tx)
            .await?;
        let token: String = sqlx::query_scalar(
        "INSERT INTO announce_forms (token, guild_id, user_id, channel_id, event_id, ping_role, post_at, expires_at)
         VALUES (lower(hex(randomblob(16))), $1, $2, $3, $4, $5, $6, $7) RETURNING token",
    )
    .bind(sql_id(guild_id))
    .bind(sql_id(user_id))
    .bind(sql_id(form.channel_id))
    .bind(form.event_id)
    .bind(form.ping_role.map(sql_id))
    .bind(form.post_at)
    .bind(to_ts(now + LIFETIME))
    .fetch_one(&mut *tx)
    .await?;
        tx.commit().await?;
        Ok(token)
    })
}

/// channel, event, ping role, post time.
type FormRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// The form opened under `token` by this member in this server, if it has
/// not expired. Anyone else's token, or another server's, is unknown here.
pub async fn get(
    pool: &Db,
    token: &str,
    guild_id: u64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<Option<AnnounceForm>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<FormRow> = sqlx::query_as(
            "SELECT channel_id, event_id, ping_role, post_at FROM announce_forms
         WHERE token = $1 AND guild_id = $2 AND user_id = $3 AND expires_at > $4",
        )
        .bind(token)
        .bind(sql_id(guild_id))
        .bind(sql_id(user_id))
        .bind(to_ts(now))
        .fetch_optional(pool)
        .await?;
        Ok(row.map(|(channel, event_id, role, post_at)| AnnounceForm {
            channel_id: from_sql_id(channel),
            event_id,
            ping_role: role.map(from_sql_id),
            post_at,
        }))
    })
}

/// Uses up a form, once its title and message are known to be valid: true
/// for the first use only, so a form submitted twice posts once.
pub async fn close(pool: &Db, token: &str) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let done = sqlx::query("DELETE FROM announce_forms WHERE token = $1")
            .bind(token)
            .execute(pool)
            .await?;
        Ok(done.rows_affected() == 1)
    })
}
