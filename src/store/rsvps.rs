//! RSVPs. Every change happens in one `BEGIN IMMEDIATE` transaction that
//! reads the seats taken, decides, writes and promotes, so no interleaving of
//! concurrent clicks can overbook an event or reorder its waitlist.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use super::{begin_write, from_sql_id, sql_id, to_ts};
use crate::domain::rsvp::{fits, promotions, seats, RsvpChoice, RsvpStatus};

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

/// What an RSVP change did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Recorded with this status (and waitlist place if waitlisted).
    Recorded {
        status: RsvpStatus,
        waitlist_position: Option<i64>,
        guests: i64,
        /// Members moved from the waitlist to going by this change.
        promoted: Vec<(u64, String)>,
    },
    /// A going member asked for more guests than there are free seats.
    GuestsDoNotFit { free_seats: i64 },
    /// The event does not exist (or was deleted meanwhile).
    NoSuchEvent,
}

/// What a member asks for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub event_id: i64,
    pub user_id: u64,
    pub user_name: &'a str,
    pub choice: RsvpChoice,
    /// `None` keeps the current number of guests.
    pub guests: Option<i64>,
    /// `None` keeps the current note.
    pub note: Option<&'a str>,
}

// The statements below, as constants so the query-plan test
// (`store::plans`) checks exactly what runs.

pub(crate) const SEATS_TAKEN_SQL: &str =
    "SELECT COALESCE(SUM(1 + guests), 0) FROM rsvps WHERE event_id = ? AND status = 'going'";

pub(crate) const WAITLIST_SQL: &str = "SELECT user_id, user_name, guests FROM rsvps
         WHERE event_id = ? AND status = 'waitlisted' ORDER BY arrival_seq";

pub(crate) const PROMOTE_SQL: &str =
    "UPDATE rsvps SET status = 'going', responded_at = ? WHERE event_id = ? AND user_id = ?";

pub(crate) const CURRENT_SQL: &str = "SELECT e.capacity, r.status, r.guests, r.note,
            CASE WHEN e.capacity IS NULL THEN 0 ELSE
                (SELECT COALESCE(SUM(1 + g.guests), 0) FROM rsvps g
                 WHERE g.event_id = e.id AND g.status = 'going') END
         FROM events e LEFT JOIN rsvps r ON r.event_id = e.id AND r.user_id = ?
         WHERE e.id = ?";

pub(crate) const UPSERT_SQL: &str =
    "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, note, arrival_seq, responded_at)
         VALUES (?, ?, ?, ?, ?, ?,
                 (SELECT COALESCE(MAX(arrival_seq), 0) + 1 FROM rsvps WHERE event_id = ?), ?)
         ON CONFLICT (event_id, user_id) DO UPDATE SET
             user_name = excluded.user_name, status = excluded.status, guests = excluded.guests,
             note = excluded.note, responded_at = excluded.responded_at,
             arrival_seq = CASE WHEN ? THEN excluded.arrival_seq ELSE rsvps.arrival_seq END
         RETURNING arrival_seq";

pub(crate) const WAITLIST_POSITION_SQL: &str =
    "SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'waitlisted' AND arrival_seq <= ?";

pub(crate) const MINE_SQL: &str = "SELECT r.event_id, r.status,
            CASE WHEN r.status = 'waitlisted' THEN
                (SELECT COUNT(*) FROM rsvps w WHERE w.event_id = r.event_id
                   AND w.status = 'waitlisted' AND w.arrival_seq <= r.arrival_seq) END
         FROM rsvps r WHERE r.user_id = ? AND r.event_id IN (SELECT value FROM json_each(?))";

pub(crate) async fn seats_taken(conn: &mut SqliteConnection, event_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(SEATS_TAKEN_SQL)
        .bind(event_id)
        .fetch_one(conn)
        .await
}

/// Moves waitlisted parties that now fit to going, in arrival order.
pub(crate) async fn promote(
    conn: &mut SqliteConnection,
    event_id: i64,
    capacity: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<(u64, String)>, sqlx::Error> {
    let free = match capacity {
        Some(cap) => cap - seats_taken(conn, event_id).await?,
        None => i64::MAX,
    };
    promote_into(conn, event_id, free, now).await
}

/// [`promote`] when the free seats are already known.
async fn promote_into(
    conn: &mut SqliteConnection,
    event_id: i64,
    free: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(u64, String)>, sqlx::Error> {
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
    Ok(promoted)
}

/// Records an answer in its own write transaction. The bot's clicks go
/// through [`super::rsvp_writes::RsvpWrites`], which shares one transaction
/// between the clicks that arrive together.
pub async fn respond(
    pool: &SqlitePool,
    req: Request<'_>,
    now: DateTime<Utc>,
) -> Result<Outcome, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let outcome = respond_in(&mut tx, &req, now).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The event's capacity, the member's current answer if any, and the seats
/// going members hold (counted only under a capacity).
type Current = (Option<i64>, Option<String>, Option<i64>, Option<String>, i64);

/// Records an answer inside the caller's write transaction, deciding seat
/// or waitlist from what that transaction sees. The click path: two to
/// four statements for the common answers, the waitlist only read when a
/// seat may have been freed.
pub(crate) async fn respond_in(
    conn: &mut SqliteConnection,
    req: &Request<'_>,
    now: DateTime<Utc>,
) -> Result<Outcome, sqlx::Error> {
    let uid = sql_id(req.user_id);
    // One statement for all the decision needs: each statement is a round
    // trip to the connection's thread, the main cost of a click.
    let found: Option<Current> = sqlx::query_as(CURRENT_SQL)
        .bind(uid)
        .bind(req.event_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((capacity, current_status, current_guests, current_note, taken)) = found else {
        return Ok(Outcome::NoSuchEvent);
    };
    let current_status = current_status.as_deref().and_then(RsvpStatus::parse);
    let current_guests = current_guests.unwrap_or(0);
    let note = match req.note {
        Some(n) => Some(n.to_owned()),
        None => current_note,
    };
    let guests = match req.choice {
        RsvpChoice::Going => req.guests.unwrap_or(current_guests),
        // Guests come with a seat; without one they are dropped.
        RsvpChoice::Maybe | RsvpChoice::Declined => 0,
    };
    let status = match (req.choice, current_status) {
        (RsvpChoice::Going, Some(RsvpStatus::Going)) => {
            let taken_by_others = taken - seats(current_guests);
            if !fits(capacity, taken_by_others, seats(guests)) {
                let free_seats = capacity.unwrap_or(0) - taken_by_others - 1;
                return Ok(Outcome::GuestsDoNotFit {
                    free_seats: free_seats.max(0),
                });
            }
            RsvpStatus::Going
        }
        // Already waiting: keep the place in line; promotion below decides.
        (RsvpChoice::Going, Some(RsvpStatus::Waitlisted)) => RsvpStatus::Waitlisted,
        (RsvpChoice::Going, _) if fits(capacity, taken, seats(guests)) => RsvpStatus::Going,
        (RsvpChoice::Going, _) => RsvpStatus::Waitlisted,
        (RsvpChoice::Maybe, _) => RsvpStatus::Maybe,
        (RsvpChoice::Declined, _) => RsvpStatus::Declined,
    };

    // Joining the queue (from nothing, maybe or declined) takes the next
    // place in line; staying in it keeps one's place.
    let joins_queue = status.queued() && !current_status.is_some_and(RsvpStatus::queued);
    let arrival_seq: i64 = sqlx::query_scalar(UPSERT_SQL)
        .bind(req.event_id)
        .bind(uid)
        .bind(req.user_name)
        .bind(status.as_str())
        .bind(guests)
        .bind(&note)
        .bind(req.event_id)
        .bind(to_ts(now))
        .bind(joins_queue)
        .fetch_one(&mut *conn)
        .await?;

    // The waitlist can only move when a going member leaves or brings fewer
    // guests (a seat is freed), or a waiting party shrinks (it may fit now).
    // Without a capacity nobody waits: removing one promotes everyone.
    let held_before = if current_status == Some(RsvpStatus::Going) {
        seats(current_guests)
    } else {
        0
    };
    let held_after = if status == RsvpStatus::Going {
        seats(guests)
    } else {
        0
    };
    let waiting_party_shrank = current_status == Some(RsvpStatus::Waitlisted)
        && status == RsvpStatus::Waitlisted
        && guests < current_guests;
    let promoted = match capacity {
        Some(cap) if held_after < held_before || waiting_party_shrank => {
            promote_into(conn, req.event_id, cap - (taken - held_before + held_after), now).await?
        }
        _ => Vec::new(),
    };
    let (status, waitlist_position) = if promoted.iter().any(|(id, _)| *id == req.user_id) {
        (RsvpStatus::Going, None)
    } else if status == RsvpStatus::Waitlisted {
        (
            status,
            Some(waitlist_position(conn, req.event_id, arrival_seq).await?),
        )
    } else {
        (status, None)
    };
    let promoted = promoted
        .into_iter()
        .filter(|(id, _)| *id != req.user_id)
        .collect();
    Ok(Outcome::Recorded {
        status,
        waitlist_position,
        guests,
        promoted,
    })
}

/// 1-based place in line of the waiting member who arrived at `arrival_seq`.
async fn waitlist_position(
    conn: &mut SqliteConnection,
    event_id: i64,
    arrival_seq: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(WAITLIST_POSITION_SQL)
        .bind(event_id)
        .bind(arrival_seq)
        .fetch_one(conn)
        .await
}

/// The caller's own answers to several events at once (for the agenda).
pub async fn mine(
    pool: &SqlitePool,
    event_ids: &[i64],
    user_id: u64,
) -> Result<Vec<(i64, RsvpStatus, Option<i64>)>, sqlx::Error> {
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
}

/// Records that a going member is here. `false` if they are not going.
pub async fn check_in(
    pool: &SqlitePool,
    event_id: i64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE rsvps SET checked_in_at = COALESCE(checked_in_at, ?)
         WHERE event_id = ? AND user_id = ? AND status = 'going'",
    )
    .bind(to_ts(now))
    .bind(event_id)
    .bind(sql_id(user_id))
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Going and maybe members of an event, to tell them about a change.
pub async fn interested(pool: &SqlitePool, event_id: i64) -> Result<Vec<u64>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM rsvps WHERE event_id = ? AND status IN ('going', 'maybe', 'waitlisted')
         ORDER BY arrival_seq",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().map(from_sql_id).collect())
}

/// Going members of an event who want reminders and whose DMs are not
/// known to be closed.
pub async fn reminder_recipients(
    pool: &SqlitePool,
    guild_id: u64,
    event_id: i64,
) -> Result<Vec<u64>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT r.user_id FROM rsvps r
         LEFT JOIN member_prefs p ON p.guild_id = ? AND p.user_id = r.user_id
         WHERE r.event_id = ? AND r.status = 'going'
           AND COALESCE(p.reminders_enabled, 1) = 1 AND p.dms_closed_at IS NULL
         ORDER BY r.arrival_seq",
    )
    .bind(sql_id(guild_id))
    .bind(event_id)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().map(from_sql_id).collect())
}
