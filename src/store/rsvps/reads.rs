//! What members read of their own answers, check-in at the door, and who
//! gets a reminder.

use chrono::{DateTime, Utc};

use crate::domain::rsvp::RsvpStatus;
use crate::store::prefs::{Recipient, RecipientRow};
use crate::store::{begin_write_in, sql_id, to_ts, with_pool, Db};

/// Checked by the query-plan test (`store::plans`).
pub const MINE_SQL: &str = "SELECT r.event_id, r.status,
            CASE WHEN r.status = 'waitlisted' THEN
                (SELECT COUNT(*) FROM rsvps w WHERE w.event_id = r.event_id
                   AND w.status = 'waitlisted' AND w.arrival_seq <= r.arrival_seq) END
         FROM rsvps r WHERE r.user_id = $1 AND r.event_id IN (SELECT value FROM json_each($2))";

/// The caller's own answers to several events at once (for the agenda).
pub async fn mine(
    pool: &Db,
    event_ids: &[i64],
    user_id: u64,
) -> Result<Vec<(i64, RsvpStatus, Option<i64>)>, sqlx::Error> {
    with_pool!(pool, {
        if event_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(event_ids).unwrap_or_else(|_| "[]".into());
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(MINE_SQL)
            .bind(sql_id(user_id))
            .bind(ids)
            .fetch_all(pool)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, s, pos)| Some((id, RsvpStatus::parse(&s)?, pos)))
            .collect())
    })
}

/// Records that a going member is here. `false` if they are not going.
/// Under the write lock like every write to answers: the event's counts row
/// changes with it, and on PostgreSQL a promotion locks answers and counts
/// in the other order (a deadlock, without the lock).
pub async fn check_in(
    pool: &Db,
    guild_id: u64,
    event_id: i64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[guild_id]).await?;
        let done = sqlx::query(
            "UPDATE rsvps SET checked_in_at = COALESCE(checked_in_at, $1)
         WHERE event_id = $2 AND user_id = $3 AND status = 'going'
           AND event_id IN (SELECT id FROM events WHERE id = $2 AND guild_id = $4)",
        )
        .bind(to_ts(now))
        .bind(event_id)
        .bind(sql_id(user_id))
        .bind(sql_id(guild_id))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    })
}

/// How an organizer's check-in was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckIn {
    /// On the member's own answer, whatever it was (going, maybe, waiting,
    /// can't go): attendance is recorded, their answer and seat unchanged.
    OnAnswer,
    /// The member had not answered: kept as a walk-in, holding no seat.
    WalkIn,
}

/// Records that a member is here, as an organizer sees them at the door:
/// on their answer if they gave one, else as a walk-in. One statement under
/// the write lock (see [`check_in`]), so it cannot interleave with an answer
/// being recorded; checking in twice keeps the first time.
pub async fn check_in_anyone(
    pool: &Db,
    guild_id: u64,
    event_id: i64,
    user_id: u64,
    user_name: &str,
    now: DateTime<Utc>,
) -> Result<CheckIn, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[guild_id]).await?;
        // Only on an event of the server whose lock is held.
        let status: Option<String> = sqlx::query_scalar(
        "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, arrival_seq, responded_at, checked_in_at)
         SELECT $1, $2, $3, 'walk_in', 0, 0, $4, $4 FROM events WHERE id = $1 AND guild_id = $5
         ON CONFLICT (event_id, user_id) DO UPDATE SET checked_in_at = COALESCE(rsvps.checked_in_at, excluded.checked_in_at)
         RETURNING status",
    )
    .bind(event_id)
    .bind(sql_id(user_id))
    .bind(user_name)
    .bind(to_ts(now))
    .bind(sql_id(guild_id))
    .fetch_optional(&mut *tx)
    .await?;
        let status = status.ok_or(sqlx::Error::RowNotFound)?;
        tx.commit().await?;
        Ok(if RsvpStatus::parse(&status) == Some(RsvpStatus::WalkIn) {
            CheckIn::WalkIn
        } else {
            CheckIn::OnAnswer
        })
    })
}

/// Going members of an event who want reminders and whose DMs are not
/// known to be closed, with their language.
pub async fn reminder_recipients(
    pool: &Db,
    guild_id: u64,
    event_id: i64,
) -> Result<Vec<Recipient>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<RecipientRow> = sqlx::query_as(
            "SELECT r.user_id, p.locale, p.dms_closed_at IS NOT NULL FROM rsvps r
         LEFT JOIN member_prefs p ON p.guild_id = $1 AND p.user_id = r.user_id
         WHERE r.event_id = $2 AND r.status = 'going'
           AND COALESCE(p.reminders_enabled, TRUE) = TRUE AND p.dms_closed_at IS NULL
         ORDER BY r.arrival_seq",
        )
        .bind(sql_id(guild_id))
        .bind(event_id)
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(Recipient::from).collect())
    })
}
