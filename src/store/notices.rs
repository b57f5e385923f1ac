//! The DMs that tell members what happened to an event they answered: a
//! seat freed up for them, a new time or place, a cancellation. Each is a
//! job written by the transaction that made the change, so a restart loses
//! none; the runner (`crate::jobs`) renders and delivers it once per member,
//! in the member's language.

use crate::store::{with_conn, with_pool, Conn, Db};
use chrono::{DateTime, Utc};

use super::jobs::{Job, Kind};
use super::prefs::{Recipient, RecipientRow};
use super::{sql_id, to_ts};

/// Queues "a seat freed up for you" for members just promoted at
/// `event_id`, in the transaction that promoted them. A member told once,
/// who left, waited again and is promoted again, is told again (a new job,
/// hence a new message for Discord); a notice not yet sent stays one.
pub(crate) async fn queue_promoted(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
    members: &[u64],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        if members.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = members.iter().copied().map(sql_id).collect();
        let ids = serde_json::Value::from(ids).to_string();
        // An earlier promotion's finished job, and whom it reached, make way.
        for statement in [
            "DELETE FROM job_deliveries WHERE job_id IN (SELECT id FROM jobs WHERE kind = 'promoted'
             AND ref_id = $1 AND detail IN (SELECT value FROM json_each($2))
             AND status IN ('done', 'dropped', 'failed'))",
            "DELETE FROM jobs WHERE kind = 'promoted' AND ref_id = $1
             AND detail IN (SELECT value FROM json_each($2)) AND status IN ('done', 'dropped', 'failed')",
        ] {
            sqlx::query(statement)
                .bind(event_id)
                .bind(&ids)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(
            "INSERT INTO jobs (kind, guild_id, ref_id, detail, due_at)
         SELECT 'promoted', e.guild_id, e.id, m.value, $1 FROM events e, json_each($2) m WHERE e.id = $3
         ON CONFLICT (kind, ref_id, detail) DO NOTHING",
        )
        .bind(to_ts(now))
        .bind(&ids)
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

/// Queues one notice ([`Kind::Changed`] or [`Kind::Cancelled`]) about
/// `dates` (one event, or the dates of a series one change touched), in the
/// transaction that made the change: a member who answered several of them
/// gets one message.
pub(crate) async fn queue(
    conn: impl Into<Conn<'_>>,
    kind: Kind,
    guild_id: u64,
    dates: &[i64],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let Some(first) = dates.first() else {
            return Ok(());
        };
        // Each change is a notice of its own, numbered per event: two edits in
        // the same second are still two notices.
        sqlx::query(
            "INSERT INTO jobs (kind, guild_id, ref_id, detail, due_at, payload)
         SELECT $1, $2, $3, COALESCE(MAX(detail), 0) + 1, $4, $5 FROM jobs WHERE kind = $1 AND ref_id = $3",
        )
        .bind(kind.as_str())
        .bind(sql_id(guild_id))
        .bind(first)
        .bind(to_ts(now))
        .bind(serde_json::Value::from(dates.to_vec()).to_string())
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

/// The dates a notice is about.
pub fn dates(job: &Job) -> Vec<i64> {
    job.payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_else(|| vec![job.ref_id])
}

/// Members who answered going, maybe or wait at `event_id`, in the order
/// they answered: those a change or a cancellation concerns.
pub async fn interested(pool: &Db, guild_id: u64, event_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<RecipientRow> = sqlx::query_as(
            "SELECT r.user_id, p.locale, p.dms_closed_at IS NOT NULL FROM rsvps r
         LEFT JOIN member_prefs p ON p.guild_id = $1 AND p.user_id = r.user_id
         WHERE r.event_id = $2 AND r.status IN ('going', 'maybe', 'waitlisted')
         ORDER BY r.arrival_seq",
        )
        .bind(sql_id(guild_id))
        .bind(event_id)
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(Recipient::from).collect())
    })
}

/// The member a promotion notice is for, if they are still going (someone
/// who left again before the notice went out is not told of a seat).
pub async fn still_going(
    pool: &Db,
    guild_id: u64,
    event_id: i64,
    user_id: u64,
) -> Result<Option<Recipient>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<RecipientRow> = sqlx::query_as(
            "SELECT r.user_id, p.locale, p.dms_closed_at IS NOT NULL FROM rsvps r
         LEFT JOIN member_prefs p ON p.guild_id = $1 AND p.user_id = r.user_id
         WHERE r.event_id = $2 AND r.user_id = $3 AND r.status = 'going'",
        )
        .bind(sql_id(guild_id))
        .bind(event_id)
        .bind(sql_id(user_id))
        .fetch_optional(pool)
        .await?;
        Ok(row.map(Recipient::from))
    })
}
