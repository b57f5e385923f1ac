//! Who answered an event, for `/event attendees`: the heads of the going,
//! maybe and waiting lists for the embed everyone sees, or every answer for
//! the organizers' CSV. SQLite only reads; the display order (going, maybe,
//! waitlist, declined) and the waitlist places are put together by
//! [`in_order`]: a sort of the rows read costs less than SQLite sorting and
//! numbering the event's rows.
//!
//! Each statement returns its answers as one JSON array (one row): sqlx
//! hands rows over from the connection's thread one by one, which cost
//! ~3 µs a row here, more than SQLite's work (1,250 answers: 3–4 ms as rows,
//! 1 ms as one array, 0.4 ms for SQLite alone).

use crate::store::{pick, with_pool, Db};

use super::Rsvp;
use crate::domain::rsvp::RsvpStatus;
use crate::store::{from_json, from_sql_id, from_ts};

/// Rows read per list at first: a field of 1,000 characters shows about 60
/// names of usual length, so one read is enough unless names are very short.
const FIRST_READ: i64 = 100;

/// An answer as a JSON array, in [`Row`]'s order.
macro_rules! row {
    () => {
        "json_array(user_id, user_name, status, guests, note, responded_at, checked_in_at, arrival_seq)"
    };
    (postgres) => {
        "json_build_array(user_id, user_name, status, guests, note, responded_at, checked_in_at, arrival_seq)"
    };
}

/// The first `?2` answers of each list an embed shows, each list in arrival
/// order (one index range per list, stopped by its LIMIT). `json(a)`: out of
/// a subquery, an array is text again and would be quoted as a string.
pub(crate) const HEADS_SQL: &str = concat!(
    "SELECT json_group_array(json(a)) FROM (
         SELECT * FROM (SELECT ",
    row!(),
    " AS a FROM rsvps
             WHERE event_id = $1 AND status = 'going' ORDER BY arrival_seq LIMIT $2)
         UNION ALL SELECT * FROM (SELECT ",
    row!(),
    " FROM rsvps
             WHERE event_id = $1 AND status = 'maybe' ORDER BY arrival_seq LIMIT $2)
         UNION ALL SELECT * FROM (SELECT ",
    row!(),
    " FROM rsvps
             WHERE event_id = $1 AND status = 'waitlisted' ORDER BY arrival_seq LIMIT $2))"
);

/// [`HEADS_SQL`] in PostgreSQL's words (`json_agg` is NULL over no rows).
const PG_HEADS_SQL: &str = concat!(
    "SELECT COALESCE(json_agg(a)::text, '[]') FROM (
         (SELECT ",
    row!(postgres),
    " AS a FROM rsvps
             WHERE event_id = $1 AND status = 'going' ORDER BY arrival_seq LIMIT $2)
         UNION ALL (SELECT ",
    row!(postgres),
    " FROM rsvps
             WHERE event_id = $1 AND status = 'maybe' ORDER BY arrival_seq LIMIT $2)
         UNION ALL (SELECT ",
    row!(postgres),
    " FROM rsvps
             WHERE event_id = $1 AND status = 'waitlisted' ORDER BY arrival_seq LIMIT $2)) AS heads"
);

/// Every answer, in no particular order.
pub(crate) const ALL_SQL: &str = concat!(
    "SELECT json_group_array(",
    row!(),
    ") FROM rsvps WHERE event_id = $1"
);
const PG_ALL_SQL: &str = concat!(
    "SELECT COALESCE(json_agg(",
    row!(postgres),
    ")::text, '[]') FROM rsvps WHERE event_id = $1"
);

/// Read from a JSON array, fields in this order.
#[derive(serde::Deserialize)]
struct Row {
    user_id: i64,
    user_name: String,
    status: String,
    guests: i64,
    note: Option<String>,
    responded_at: i64,
    checked_in_at: Option<i64>,
    arrival_seq: i64,
}

fn rank(status: RsvpStatus) -> u8 {
    match status {
        RsvpStatus::Going => 0,
        RsvpStatus::Maybe => 1,
        RsvpStatus::Waitlisted => 2,
        RsvpStatus::Declined => 3,
        RsvpStatus::WalkIn => 4,
    }
}

/// Going first, then maybe, the waitlist in order with its places (1-based:
/// every read starts at the head of the line), then those who can't come.
fn in_order(rows: Vec<Row>) -> Vec<Rsvp> {
    let mut rows: Vec<(RsvpStatus, Row)> = rows
        .into_iter()
        .map(|r| (RsvpStatus::parse(&r.status).unwrap_or(RsvpStatus::Declined), r))
        .collect();
    rows.sort_by_key(|(status, r)| (rank(*status), r.arrival_seq));
    let mut place = 0;
    rows.into_iter()
        .map(|(status, r)| Rsvp {
            user_id: from_sql_id(r.user_id),
            user_name: r.user_name,
            status,
            guests: r.guests,
            note: r.note,
            responded_at: from_ts(r.responded_at),
            checked_in_at: r.checked_in_at.map(from_ts),
            waitlist_position: (status == RsvpStatus::Waitlisted).then(|| {
                place += 1;
                place
            }),
        })
        .collect()
}

/// Everyone who answered, going first, then maybe, the waitlist in order,
/// then those who can't come, then those who came without answering.
pub async fn all(pool: &Db, event_id: i64) -> Result<Vec<Rsvp>, sqlx::Error> {
    with_pool!(pool, {
        let json: String = sqlx::query_scalar(pick!(sqlite: ALL_SQL, postgres: PG_ALL_SQL))
            .bind(event_id)
            .fetch_one(pool)
            .await?;
        Ok(in_order(from_json::<Vec<Row>>(&json)?))
    })
}

/// The going, maybe and waiting lists (in that order, as [`all`] gives
/// them) read from their heads, each in full or at least until its names,
/// counted one character more each (a line break), exceed `chars`
/// characters: the rows after that cannot be shown in a field of `chars`.
pub async fn heads(pool: &Db, event_id: i64, chars: usize) -> Result<Vec<Rsvp>, sqlx::Error> {
    with_pool!(pool, {
        let mut limit = FIRST_READ;
        loop {
            let json: String = sqlx::query_scalar(pick!(sqlite: HEADS_SQL, postgres: PG_HEADS_SQL))
                .bind(event_id)
                .bind(limit)
                .fetch_one(pool)
                .await?;
            let rows = from_json::<Vec<Row>>(&json)?;
            let cut_short = ["going", "maybe", "waitlisted"].into_iter().any(|status| {
                let list = rows.iter().filter(|r| r.status == status);
                let (read, length) = list.fold((0_i64, 0), |(n, len), r| {
                    (n + 1, len + r.user_name.chars().count() + 1)
                });
                read == limit && length <= chars
            });
            if !cut_short {
                return Ok(in_order(rows));
            }
            // Names this short are rare: read four times as many, until every
            // list is read in full or long enough.
            limit *= 4;
        }
    })
}

/// The names of the first `limit` going members, in order of arrival, for
/// a card that shows who comes (`/setup card-names`). Never the waitlist.
pub async fn going_names(pool: &Db, event_id: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    with_pool!(pool, {
        sqlx::query_scalar(
            "SELECT user_name FROM rsvps WHERE event_id = $1 AND status = 'going'
         ORDER BY arrival_seq LIMIT $2",
        )
        .bind(event_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}
