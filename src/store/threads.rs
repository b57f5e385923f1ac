//! The discussion thread opened on each event card (`/setup threads`).

use crate::store::{with_conn, with_pool, Conn, Db};
use chrono::{DateTime, Duration, Utc};

use super::jobs::{upsert, Kind, ARCHIVE_THREAD};
use super::{begin_write, from_sql_id, sql_id, to_ts};

/// A thread is archived this long after its event ends: time enough to
/// thank people and share the photos.
pub const ARCHIVE_AFTER: Duration = Duration::days(1);

/// The thread of an event, if one was opened and is not yet archived.
pub async fn open_thread(pool: &Db, event_id: i64) -> Result<Option<u64>, sqlx::Error> {
    with_pool!(pool, {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT thread_id FROM event_threads WHERE event_id = $1 AND archived_at IS NULL",
        )
        .bind(event_id)
        .fetch_optional(pool)
        .await?;
        Ok(id.map(from_sql_id))
    })
}

/// Records the thread opened on an event's card and plans its archiving,
/// in one transaction: a thread is never left without its end.
pub async fn set(pool: &Db, event_id: i64, thread_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write(pool).await?;
        sqlx::query(
            "INSERT INTO event_threads (event_id, thread_id) VALUES ($1, $2)
         ON CONFLICT (event_id) DO UPDATE SET thread_id = excluded.thread_id, archived_at = NULL",
        )
        .bind(event_id)
        .bind(sql_id(thread_id))
        .execute(&mut *tx)
        .await?;
        plan_archive(&mut tx, event_id).await?;
        tx.commit().await
    })
}

/// (Re)plans the archiving of the event's thread a day after its end, if it
/// has one: called when the thread is opened and whenever the event moves.
pub async fn plan_archive(conn: impl Into<Conn<'_>>, event_id: i64) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT e.guild_id, e.ends_at FROM events e
         JOIN event_threads t ON t.event_id = e.id
         WHERE e.id = $1 AND t.archived_at IS NULL",
        )
        .bind(event_id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((guild_id, ends_at)) = row {
            let due = ends_at + ARCHIVE_AFTER.num_seconds();
            upsert(
                &mut *conn,
                Kind::CardRefresh,
                guild_id,
                event_id,
                ARCHIVE_THREAD,
                due,
            )
            .await?;
        }
        Ok(())
    })
}

/// The thread was archived: nothing more is posted in it.
pub async fn mark_archived(pool: &Db, event_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE event_threads SET archived_at = $1 WHERE event_id = $2")
            .bind(to_ts(now))
            .bind(event_id)
            .execute(pool)
            .await?;
        Ok(())
    })
}
