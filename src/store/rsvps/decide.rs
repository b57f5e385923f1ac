//! Decides a batch of RSVP clicks inside one write transaction with a fixed
//! number of statements per event, whatever the number of clicks: the
//! event's seating is read once ([`Board`]), every click is decided in
//! memory in arrival order, and the rows that changed are written back in
//! one statement. Each statement is a round trip to the connection's
//! thread, which was most of a click's cost when each click read and wrote
//! on its own.

use crate::store::{pick, with_conn, Conn};
use chrono::{DateTime, Utc};

use super::{Answered, Request};
use crate::domain::event::Event;
use crate::domain::rsvp::RsvpStatus;
use crate::domain::rsvp_board::{Answer, Board, Click, NeedWaitlist, Outcome};
use crate::store::{events, from_json, from_sql_id, notices, sql_id, to_ts};

/// Everything a batch's clicks on one event are decided on, in one
/// statement (each statement is a round trip to the connection's thread):
/// the event (`$1` its id, `$2` its server); the seats going members hold
/// and the number of waiting members (kept by the database as answers
/// change, migration 0022); the last place in the order of arrival (one
/// index entry); the answers of the members who click (`$3`, a JSON array
/// of ids), as one JSON array of rows.
pub(crate) const LOAD_SQL: &str = concat!(
    "SELECT ",
    events::event_columns!(),
    ",
        COALESCE((SELECT c.going_seats FROM rsvp_counts c WHERE c.event_id = $1), 0) AS taken,
        COALESCE((SELECT c.waitlisted FROM rsvp_counts c WHERE c.event_id = $1), 0) AS waiting,
        (SELECT COALESCE(MAX(s.arrival_seq), 0) FROM rsvps s WHERE s.event_id = $1) AS last_seq,
        (SELECT json_group_array(json_array(a.user_id, a.user_name, a.status, a.guests, a.note,
                                            a.arrival_seq, a.responded_at))
             FROM rsvps a WHERE a.event_id = $1 AND a.user_id IN (SELECT value FROM json_each($3))) AS answers
     FROM events WHERE id = $1 AND guild_id = $2"
);
const PG_LOAD_SQL: &str = concat!(
    "SELECT ",
    events::event_columns!(),
    ",
        COALESCE((SELECT c.going_seats FROM rsvp_counts c WHERE c.event_id = $1), 0) AS taken,
        COALESCE((SELECT c.waitlisted FROM rsvp_counts c WHERE c.event_id = $1), 0) AS waiting,
        (SELECT COALESCE(MAX(s.arrival_seq), 0) FROM rsvps s WHERE s.event_id = $1) AS last_seq,
        COALESCE((SELECT json_agg(json_build_array(a.user_id, a.user_name, a.status, a.guests, a.note,
                                                   a.arrival_seq, a.responded_at))
             FROM rsvps a WHERE a.event_id = $1 AND a.user_id IN (SELECT value FROM json_each($3)))::text,
             '[]') AS answers
     FROM events WHERE id = $1 AND guild_id = $2"
);

/// A row of [`LOAD_SQL`].
#[derive(sqlx::FromRow)]
struct Loaded {
    #[sqlx(flatten)]
    event: events::Row,
    taken: i64,
    waiting: i64,
    last_seq: i64,
    answers: String,
}

/// The places in line taken, as one JSON array: waiting clickers' places
/// are found in it, one walk of the index for the whole batch rather than
/// a count per click (and one row to pass between threads, not thousands).
pub(crate) const WAITING_SEQS_SQL: &str = "SELECT json_group_array(arrival_seq) FROM rsvps
         WHERE event_id = $1 AND status = 'waitlisted'";
const PG_WAITING_SEQS_SQL: &str = "SELECT COALESCE(json_agg(arrival_seq)::text, '[]') FROM rsvps
         WHERE event_id = $1 AND status = 'waitlisted'";

/// Everyone waiting, in arrival order: read only when a seat is freed.
pub(crate) const WAITLIST_SQL: &str =
    "SELECT user_id, user_name, status, guests, note, arrival_seq, responded_at
         FROM rsvps WHERE event_id = $1 AND status = 'waitlisted' ORDER BY arrival_seq";

/// Writes the changed answers, a JSON array of
/// `[user_id, user_name, status, guests, note, arrival_seq, responded_at]`.
/// (`WHERE true` tells SQLite's parser the `ON CONFLICT` is an upsert.)
pub(crate) const WRITE_SQL: &str =
    "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, note, arrival_seq, responded_at)
     SELECT $1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6
         FROM json_each($2) WHERE true
     ON CONFLICT (event_id, user_id) DO UPDATE SET
         user_name = excluded.user_name, status = excluded.status, guests = excluded.guests,
         note = excluded.note, arrival_seq = excluded.arrival_seq, responded_at = excluded.responded_at";
const PG_WRITE_SQL: &str =
    "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, note, arrival_seq, responded_at)
     SELECT $1, (value ->> 0)::bigint, value ->> 1, value ->> 2, (value ->> 3)::bigint, value ->> 4,
            (value ->> 5)::bigint, (value ->> 6)::bigint
         FROM json_array_elements($2::json) AS value
     ON CONFLICT (event_id, user_id) DO UPDATE SET
         user_name = excluded.user_name, status = excluded.status, guests = excluded.guests,
         note = excluded.note, arrival_seq = excluded.arrival_seq, responded_at = excluded.responded_at";

type AnswerRow = (i64, String, String, i64, Option<String>, i64, i64);

/// Decides and writes `clicks` in the caller's write transaction, in
/// arrival order; one answer per click, in the same order. The event is
/// read here too, so that whether it still takes answers is decided with
/// the seats, by the same transaction.
pub(crate) async fn decide_in(
    conn: impl Into<Conn<'_>>,
    clicks: &[(&Request, DateTime<Utc>)],
) -> Result<Vec<Answered>, sqlx::Error> {
    with_conn!(conn, {
        let mut answered: Vec<Option<Answered>> = vec![None; clicks.len()];
        // Events do not affect one another: each is decided on its own board,
        // its clicks still in arrival order.
        let mut events: Vec<(u64, i64)> = clicks.iter().map(|(r, _)| (r.guild_id, r.event_id)).collect();
        events.sort_unstable();
        events.dedup();
        for (guild_id, event_id) in events {
            let mine: Vec<usize> = (0..clicks.len())
                .filter(|&i| (clicks[i].0.guild_id, clicks[i].0.event_id) == (guild_id, event_id))
                .collect();
            let members = mine.iter().map(|&i| clicks[i].0.user_id);
            let Some((event, mut board)) = load(&mut *conn, guild_id, event_id, members).await? else {
                for i in mine {
                    answered[i] = Some(Answered {
                        event: None,
                        outcome: Outcome::NoSuchEvent,
                    });
                }
                continue;
            };
            let mut promoted = Vec::new();
            for &i in &mine {
                let (req, at) = &clicks[i];
                let outcome = match event.refuses(*at, &req.asker, req.choice) {
                    Some(closed) => Outcome::Refused(closed),
                    None => decide_one(&mut *conn, &mut board, event_id, req, to_ts(*at)).await?,
                };
                if let Outcome::Recorded { promoted: seated, .. } = &outcome {
                    promoted.extend(seated.iter().map(|(id, _)| *id));
                }
                answered[i] = Some(Answered {
                    event: Some(event.clone()),
                    outcome,
                });
            }
            write(&mut *conn, event_id, &board).await?;
            // Whoever got a seat is told by a DM written with the seat (one
            // who left again meanwhile is not: the runner checks).
            let now = clicks[mine[mine.len() - 1]].1;
            notices::queue_promoted(&mut *conn, event_id, &promoted, now).await?;
        }
        Ok(answered
            .into_iter()
            .map(|a| {
                a.unwrap_or(Answered {
                    event: None,
                    outcome: Outcome::NoSuchEvent,
                })
            })
            .collect())
    })
}

/// One click on the board, the waitlist read first if the decision needs it.
async fn decide_one(
    conn: impl Into<Conn<'_>>,
    board: &mut Board,
    event_id: i64,
    req: &Request,
    at: i64,
) -> Result<Outcome, sqlx::Error> {
    with_conn!(conn, {
        let click = Click {
            user_id: req.user_id,
            user_name: &req.user_name,
            choice: req.choice,
            guests: req.guests,
            note: req.note.as_deref(),
            at,
        };
        if let Ok(outcome) = board.decide(&click) {
            return Ok(outcome);
        }
        let waiting = waitlist(&mut *conn, event_id).await?;
        board.add_waitlist(waiting);
        board
            .decide(&click)
            .map_err(|NeedWaitlist| sqlx::Error::Protocol("the waitlist was loaded and still needed".into()))
    })
}

/// The event and its board, or `None` if the server has no such event.
async fn load(
    conn: impl Into<Conn<'_>>,
    guild_id: u64,
    event_id: i64,
    members: impl Iterator<Item = u64>,
) -> Result<Option<(Event, Board)>, sqlx::Error> {
    with_conn!(conn, {
        let ids: Vec<i64> = members.map(sql_id).collect();
        let ids = serde_json::Value::from(ids).to_string();
        let row: Option<Loaded> = sqlx::query_as(pick!(sqlite: LOAD_SQL, postgres: PG_LOAD_SQL))
            .bind(event_id)
            .bind(sql_id(guild_id))
            .bind(ids)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let event = Event::from(row.event);
        let loaded: Vec<(u64, Answer)> = from_json::<Vec<AnswerRow>>(&row.answers)?
            .into_iter()
            .map(answer)
            .collect();
        let places = if loaded.iter().any(|(_, a)| a.status == RsvpStatus::Waitlisted) {
            let seqs: String =
                sqlx::query_scalar(pick!(sqlite: WAITING_SEQS_SQL, postgres: PG_WAITING_SEQS_SQL))
                    .bind(event_id)
                    .fetch_one(&mut *conn)
                    .await?;
            let mut seqs: Vec<i64> = from_json(&seqs)?;
            seqs.sort_unstable();
            seqs
        } else {
            Vec::new()
        };
        let loaded = loaded
            .into_iter()
            .map(|(id, answer)| {
                let place = (answer.status == RsvpStatus::Waitlisted)
                    .then(|| places.partition_point(|&seq| seq <= answer.arrival_seq) as i64);
                (id, answer, place)
            })
            .collect();
        let board = Board::new(event.capacity, row.taken, row.last_seq, row.waiting, loaded);
        Ok(Some((event, board)))
    })
}

/// An answer as stored.
fn answer((user_id, user_name, status, guests, note, arrival_seq, responded_at): AnswerRow) -> (u64, Answer) {
    let answer = Answer {
        user_name,
        status: RsvpStatus::parse(&status).unwrap_or(RsvpStatus::Declined),
        guests,
        note,
        arrival_seq,
        responded_at,
    };
    (from_sql_id(user_id), answer)
}

/// The whole waitlist, in arrival order.
async fn waitlist(conn: impl Into<Conn<'_>>, event_id: i64) -> Result<Vec<(u64, Answer)>, sqlx::Error> {
    with_conn!(conn, {
        let rows: Vec<AnswerRow> = sqlx::query_as(WAITLIST_SQL)
            .bind(event_id)
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows.into_iter().map(answer).collect())
    })
}

async fn write(conn: impl Into<Conn<'_>>, event_id: i64, board: &Board) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let rows: Vec<serde_json::Value> = board
            .changes()
            .map(|(user_id, a)| {
                serde_json::json!([
                    sql_id(user_id),
                    a.user_name,
                    a.status.as_str(),
                    a.guests,
                    a.note,
                    a.arrival_seq,
                    a.responded_at
                ])
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        sqlx::query(pick!(sqlite: WRITE_SQL, postgres: PG_WRITE_SQL))
            .bind(event_id)
            .bind(serde_json::Value::from(rows).to_string())
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
}
