//! RSVPs. Every change happens in one `BEGIN IMMEDIATE` transaction that
//! reads the seats taken, decides, writes and promotes, so no interleaving of
//! concurrent clicks can overbook an event or reorder its waitlist.

use crate::store::{with_conn, with_pool, Conn, Db};
use chrono::{DateTime, Utc};

use super::prefs::Recipient;
use super::{begin_write, from_sql_id, sql_id, to_ts};
use crate::domain::event::Event;
use crate::domain::rsvp::{promotions, seats, Asker, RsvpChoice, RsvpStatus};

pub mod attendees;

/// Everyone who answered, going first, then maybe, the waitlist in order,
/// then those who can't come.
pub use attendees::all as list;

/// A member's answer as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Rsvp {
    pub user_id: u64,
    pub user_name: String,
    pub status: RsvpStatus,
    pub guests: i64,
    pub note: Option<String>,
    pub responded_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// 1-based place in the waitlist, for waitlisted members.
    pub waitlist_position: Option<i64>,
}

pub use crate::domain::rsvp_board::Outcome;

/// What a member asks for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The server the click comes from: another server's event is unknown.
    pub guild_id: u64,
    pub event_id: i64,
    pub user_id: u64,
    pub user_name: &'a str,
    pub choice: RsvpChoice,
    /// `None` keeps the current number of guests.
    pub guests: Option<i64>,
    /// `None` keeps the current note.
    pub note: Option<&'a str>,
    pub asker: &'a Asker,
}

/// What an answer did, and the event as the decision saw it (none if it
/// does not exist).
#[derive(Debug, Clone)]
pub struct Answered {
    pub event: Option<Event>,
    pub outcome: Outcome,
}

// The statements below, as constants so the query-plan test
// (`store::plans`) checks exactly what runs.

pub(crate) const SEATS_TAKEN_SQL: &str =
    "SELECT CAST(COALESCE(SUM(1 + guests), 0) AS BIGINT) FROM rsvps WHERE event_id = $1 AND status = 'going'";

pub(crate) const WAITLIST_SQL: &str = "SELECT user_id, user_name, guests FROM rsvps
         WHERE event_id = $1 AND status = 'waitlisted' ORDER BY arrival_seq";

pub(crate) const PROMOTE_SQL: &str =
    "UPDATE rsvps SET status = 'going', responded_at = $1 WHERE event_id = $2 AND user_id = $3";

pub(crate) const MINE_SQL: &str = "SELECT r.event_id, r.status,
            CASE WHEN r.status = 'waitlisted' THEN
                (SELECT COUNT(*) FROM rsvps w WHERE w.event_id = r.event_id
                   AND w.status = 'waitlisted' AND w.arrival_seq <= r.arrival_seq) END
         FROM rsvps r WHERE r.user_id = $1 AND r.event_id IN (SELECT value FROM json_each($2))";

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
pub(crate) async fn promote(
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

/// [`promote`] when the free seats are already known.
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
        super::notices::queue_promoted(&mut *conn, event_id, &members, now).await?;
        Ok(promoted)
    })
}

/// Records an answer in its own write transaction. The bot's clicks go
/// through [`super::rsvp_writes::RsvpWrites`], which shares one transaction
/// between the clicks that arrive together.
pub async fn respond(pool: &Db, req: Request<'_>, now: DateTime<Utc>) -> Result<Answered, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write(pool).await?;
        let answered = super::rsvp_batch::decide(&mut tx, &[(req, now)]).await?.remove(0);
        tx.commit().await?;
        Ok(answered)
    })
}

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
pub async fn check_in(
    pool: &Db,
    event_id: i64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let done = sqlx::query(
            "UPDATE rsvps SET checked_in_at = COALESCE(checked_in_at, $1)
         WHERE event_id = $2 AND user_id = $3 AND status = 'going'",
        )
        .bind(to_ts(now))
        .bind(event_id)
        .bind(sql_id(user_id))
        .execute(pool)
        .await?;
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
/// on their answer if they gave one, else as a walk-in. One statement, so
/// it cannot interleave with an answer being recorded; checking in twice
/// keeps the first time.
pub async fn check_in_anyone(
    pool: &Db,
    event_id: i64,
    user_id: u64,
    user_name: &str,
    now: DateTime<Utc>,
) -> Result<CheckIn, sqlx::Error> {
    with_pool!(pool, {
        let status: String = sqlx::query_scalar(
        "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, arrival_seq, responded_at, checked_in_at)
         VALUES ($1, $2, $3, 'walk_in', 0, 0, $4, $4)
         ON CONFLICT (event_id, user_id) DO UPDATE SET checked_in_at = COALESCE(rsvps.checked_in_at, excluded.checked_in_at)
         RETURNING status",
    )
    .bind(event_id)
    .bind(sql_id(user_id))
    .bind(user_name)
    .bind(to_ts(now))
    .fetch_one(pool)
    .await?;
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
        let rows: Vec<super::prefs::RecipientRow> = sqlx::query_as(
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
