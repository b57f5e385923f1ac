//! Organizer announcements, posted at once or later by the job runner.

use crate::store::{with_pool, Db};
use chrono::{DateTime, Utc};

use super::{from_sql_id, from_ts, sql_id, to_ts};

#[derive(Debug, Clone, PartialEq)]
pub struct Announcement {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub title: String,
    pub message: String,
    pub event_id: Option<i64>,
    pub ping_role: Option<u64>,
    pub post_at: Option<DateTime<Utc>>,
}

/// Stores an announcement; one with `post_at` also gets a job row, so the
/// runner posts it at its time even across restarts.
pub async fn insert(pool: &Db, a: &Announcement, now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO announcements (guild_id, channel_id, author_id, title, message, event_id,
            ping_role_id, post_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(sql_id(a.guild_id))
        .bind(sql_id(a.channel_id))
        .bind(sql_id(a.author_id))
        .bind(&a.title)
        .bind(&a.message)
        .bind(a.event_id)
        .bind(a.ping_role.map(sql_id))
        .bind(a.post_at.map(to_ts))
        .bind(to_ts(now))
        .fetch_one(&mut *tx)
        .await?;
        if let Some(at) = a.post_at {
            sqlx::query(
                "INSERT INTO jobs (kind, guild_id, ref_id, due_at) VALUES ('announcement', $1, $2, $3)",
            )
            .bind(sql_id(a.guild_id))
            .bind(id)
            .bind(to_ts(at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn mark_posted(pool: &Db, id: i64, message_id: u64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
            "UPDATE announcements SET status = 'posted', message_id = $1, posted_at = $2 WHERE id = $3",
        )
        .bind(sql_id(message_id))
        .bind(to_ts(now))
        .bind(id)
        .execute(pool)
        .await?;
        Ok(())
    })
}

/// Marks an announcement that will never be posted (its channel or role
/// turned out not to be its server's).
pub async fn mark_failed(pool: &Db, id: i64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE announcements SET status = 'failed' WHERE id = $1 AND status = 'pending'")
            .bind(id)
            .execute(pool)
            .await?;
        Ok(())
    })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    guild_id: i64,
    channel_id: i64,
    author_id: i64,
    title: String,
    message: String,
    event_id: Option<i64>,
    ping_role_id: Option<i64>,
    post_at: Option<i64>,
}

impl From<Row> for Announcement {
    fn from(r: Row) -> Self {
        Announcement {
            id: r.id,
            guild_id: from_sql_id(r.guild_id),
            channel_id: from_sql_id(r.channel_id),
            author_id: from_sql_id(r.author_id),
            title: r.title,
            message: r.message,
            event_id: r.event_id,
            ping_role: r.ping_role_id.map(from_sql_id),
            post_at: r.post_at.map(from_ts),
        }
    }
}

/// Announcements waiting for their time, soonest first.
pub async fn pending(pool: &Db, guild_id: u64) -> Result<Vec<Announcement>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, guild_id, channel_id, author_id, title, message, event_id, ping_role_id, post_at
         FROM announcements WHERE guild_id = $1 AND status = 'pending' AND post_at IS NOT NULL
         ORDER BY post_at",
        )
        .bind(sql_id(guild_id))
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(Announcement::from).collect())
    })
}

/// One announcement of any server (the delivery side knows only its id).
pub async fn get(pool: &Db, id: i64) -> Result<Option<Announcement>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, guild_id, channel_id, author_id, title, message, event_id, ping_role_id, post_at
         FROM announcements WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?;
        Ok(row.map(Announcement::from))
    })
}

/// A posted announcement and where it is.
#[derive(sqlx::FromRow)]
struct PostedRow {
    #[sqlx(flatten)]
    row: Row,
    message_id: i64,
}

/// The posted announcements that carry this event's answer buttons, each
/// with its message id: they are refreshed with the event's card.
pub async fn posted_with_event(pool: &Db, event_id: i64) -> Result<Vec<(Announcement, u64)>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<PostedRow> = sqlx::query_as(POSTED_WITH_EVENT_SQL)
            .bind(event_id)
            .fetch_all(pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|p| (Announcement::from(p.row), from_sql_id(p.message_id)))
            .collect())
    })
}

pub(crate) const POSTED_WITH_EVENT_SQL: &str =
    "SELECT id, guild_id, channel_id, author_id, title, message, event_id, ping_role_id, post_at, message_id
         FROM announcements WHERE event_id = $1 AND status = 'posted' AND message_id IS NOT NULL
         ORDER BY id";

/// Whether the announcement still waits to be posted (not posted or cancelled).
pub async fn is_pending(pool: &Db, id: i64) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM announcements WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
        Ok(status.as_deref() == Some("pending"))
    })
}

/// Cancels a pending announcement of this server; its title if it was one.
pub async fn cancel(pool: &Db, guild_id: u64, id: i64) -> Result<Option<String>, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = super::begin_write_in(pool, &[guild_id]).await?;
        let title: Option<String> = sqlx::query_scalar(
            "UPDATE announcements SET status = 'cancelled'
         WHERE id = $1 AND guild_id = $2 AND status = 'pending' RETURNING title",
        )
        .bind(id)
        .bind(sql_id(guild_id))
        .fetch_optional(&mut *tx)
        .await?;
        if title.is_some() {
            sqlx::query("UPDATE jobs SET status = 'dropped' WHERE kind = 'announcement' AND ref_id = $1 AND status = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(title)
    })
}
