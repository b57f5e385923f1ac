//! Seating waiting members when seats free up outside a click: an
//! organizer raising the capacity or an erasure leaving a seat. (A click's
//! own promotions are decided on its board, `decide.rs`.)

use chrono::{DateTime, Utc};

use crate::domain::rsvp::{promotions, seats};
use crate::store::{from_sql_id, notices, to_ts, with_conn, Conn};

// The statements below, as constants so the query-plan test
// (`store::plans`) checks exactly what runs.

pub(crate) const SEATS_TAKEN_SQL: &str =
    "SELECT COALESCE((SELECT going_seats FROM rsvp_counts WHERE event_id = $1), 0)";

pub(crate) const WAITLIST_SQL: &str = "SELECT user_id, user_name, guests FROM rsvps
         WHERE event_id = $1 AND status = 'waitlisted' ORDER BY arrival_seq";

pub(crate) const PROMOTE_SQL: &str =
    "UPDATE rsvps SET status = 'going', responded_at = $1 WHERE event_id = $2 AND user_id = $3";

pub(crate) async fn seats_taken(conn: impl Into<Conn<'_>>, event_id: i64) -> Result<i64, sqlx::Error> {
    with_conn!(conn, {
        sqlx::query_scalar(SEATS_TAKEN_SQL)
            .bind(event_id)
            .fetch_one(&mut *conn)
            .await
    })
}

/// Moves waitlisted parties that now fit to going, in arrival order, and
/// queues the DMs that tell them.
pub(crate) async fn promote_waitlist(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
    capacity: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<(u64, String)>, sqlx::Error> {
    with_conn!(conn, {
        let free = match capacity {
            Some(cap) => cap - seats_taken(&mut *conn, event_id).await?,
            None => i64::MAX,
        };
        promote_into(&mut *conn, event_id, free, now).await
    })
}

/// [`promote_waitlist`] when the free seats are already known.
async fn promote_into(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
    free: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(u64, String)>, sqlx::Error> {
    with_conn!(conn, {
        if free <= 0 {
            return Ok(Vec::new());
        }
        let waitlist: Vec<(i64, String, i64)> = sqlx::query_as(WAITLIST_SQL)
            .bind(event_id)
            .fetch_all(&mut *conn)
            .await?;
        let queue: Vec<(usize, i64)> = waitlist
            .iter()
            .enumerate()
            .map(|(i, (_, _, guests))| (i, seats(*guests)))
            .collect();
        let mut promoted = Vec::new();
        for index in promotions(free, &queue) {
            let (user_id, name, _) = &waitlist[index];
            sqlx::query(PROMOTE_SQL)
                .bind(to_ts(now))
                .bind(event_id)
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
            promoted.push((from_sql_id(*user_id), name.clone()));
        }
        // The DM telling them is written with the promotion: it cannot be lost.
        let members: Vec<u64> = promoted.iter().map(|(id, _)| *id).collect();
        notices::queue_promoted(&mut *conn, event_id, &members, now).await?;
        Ok(promoted)
    })
}
