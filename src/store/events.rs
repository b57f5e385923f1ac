//! Events: the agenda's rows and their cards.

use crate::store::{with_conn, with_exec, with_pool, Conn, Db, Exec};
use chrono::{DateTime, Utc};

use super::{from_sql_id, from_ts, sql_id, to_ts};
use crate::domain::event::{Counts, Event, EventFields};

#[derive(sqlx::FromRow)]
pub(super) struct Row {
    id: i64,
    guild_id: i64,
    title: String,
    description: Option<String>,
    location: Option<String>,
    starts_at: i64,
    ends_at: i64,
    capacity: Option<i64>,
    rsvp_deadline: Option<i64>,
    restricted_role_id: Option<i64>,
    channel_id: Option<i64>,
    card_channel_id: Option<i64>,
    card_message_id: Option<i64>,
    status: String,
    cancel_reason: Option<String>,
    repeat: Option<String>,
    series_id: Option<i64>,
    native_event_id: Option<i64>,
    created_by: i64,
    updated_at: i64,
}

impl From<Row> for Event {
    fn from(r: Row) -> Self {
        Event {
            id: r.id,
            guild_id: from_sql_id(r.guild_id),
            title: r.title,
            description: r.description,
            location: r.location,
            starts_at: from_ts(r.starts_at),
            ends_at: from_ts(r.ends_at),
            capacity: r.capacity,
            rsvp_deadline: r.rsvp_deadline.map(from_ts),
            restricted_role: r.restricted_role_id.map(from_sql_id),
            channel_id: r.channel_id.map(from_sql_id),
            card_channel_id: r.card_channel_id.map(from_sql_id),
            card_message_id: r.card_message_id.map(from_sql_id),
            cancelled: r.status == "cancelled",
            cancel_reason: r.cancel_reason,
            repeat: r.repeat,
            series_id: r.series_id,
            native_event_id: r.native_event_id.map(from_sql_id),
            created_by: from_sql_id(r.created_by),
            updated_at: from_ts(r.updated_at),
        }
    }
}

/// The columns [`Row`] reads; a macro so the queries below can be `concat!`ed
/// into constants that the query-plan test (`store::plans`) checks as is.
macro_rules! event_columns {
    () => {
        "id, guild_id, title, description, location, starts_at, ends_at, capacity,
    rsvp_deadline, restricted_role_id, channel_id, card_channel_id, card_message_id, status,
    cancel_reason, repeat, series_id, native_event_id, created_by, updated_at"
    };
}

// The public agenda (store::public) reads the same columns.
pub(super) use event_columns;

pub(super) const COLUMNS: &str = event_columns!();

pub(crate) const GET_SQL: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events WHERE id = $1 AND guild_id = $2"
);

pub(crate) const GET_ANY_SQL: &str = concat!("SELECT ", event_columns!(), " FROM events WHERE id = $1");

/// Events not over at `from` (`ends_at > ?`) that start before `until`.
/// `ends_at > from` alone gives the `(guild_id, starts_at)` index no lower
/// bound, so the walk began at the server's first event and read years of
/// history; no event is longer than the server's longest, so starting after
/// `from` minus that length is implied and bounds the walk to the events
/// still to come. The length is one probe of `events_by_guild_length`
/// (migration 0008). Binds: guild, from, until, from, guild.
pub(crate) const UPCOMING_SQL: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events
         WHERE guild_id = $1 AND ends_at > $2 AND starts_at < $3
           AND starts_at > $4 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $5)
         ORDER BY starts_at, id LIMIT $6 OFFSET $7"
);

pub(crate) const UPCOMING_TOTAL_SQL: &str = "SELECT COUNT(*) FROM events
         WHERE guild_id = $1 AND ends_at > $2 AND starts_at < $3
           AND starts_at > $4 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $5)";

/// Kept by the database as answers change (migration 0022): reading them
/// costs the same for an event with ten answers or ten thousand.
pub(crate) const COUNTS_SQL: &str =
    "SELECT event_id, going_seats, going_members, maybe, waitlisted, checked_in
         FROM rsvp_counts WHERE event_id IN (SELECT value FROM json_each($1))";

/// One event, no repetition and no reminders planned (tests and tools);
/// the handlers use [`super::series::insert_series`].
pub async fn insert(
    pool: &Db,
    guild_id: u64,
    fields: &EventFields,
    created_by: u64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let single = EventFields {
        repeat: None,
        ..fields.clone()
    };
    let ids =
        super::series::insert_series(pool, guild_id, chrono_tz::UTC, &single, &[], created_by, now).await?;
    Ok(ids[0])
}

/// Writes edited fields; runs inside the caller's write transaction so a
/// capacity change and the promotions it allows land together.
pub async fn update(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
    fields: &EventFields,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        // In SET, `starts_at` is still the old start: a move keeps the first one.
        sqlx::query(
            "UPDATE events SET title = $1, description = $2, location = $3, starts_at = $4, ends_at = $5,
            capacity = $6, rsvp_deadline = $7, restricted_role_id = $8, channel_id = $9, updated_at = $10,
            rescheduled_from = CASE WHEN starts_at <> $4 THEN COALESCE(rescheduled_from, starts_at)
                                    ELSE rescheduled_from END
         WHERE id = $11",
        )
        .bind(&fields.title)
        .bind(&fields.description)
        .bind(&fields.location)
        .bind(to_ts(fields.starts_at))
        .bind(to_ts(fields.ends_at))
        .bind(fields.capacity)
        .bind(fields.rsvp_deadline.map(to_ts))
        .bind(fields.restricted_role.map(sql_id))
        .bind(fields.channel_id.map(sql_id))
        .bind(to_ts(now))
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
}

pub async fn cancel(
    pool: &Db,
    event_id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let mut tx = pool.begin().await?;
        cancel_in(&mut tx, event_id, reason, now).await?;
        tx.commit().await
    })
}

/// Cancels inside the caller's transaction (a whole series at once).
pub async fn cancel_in(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        sqlx::query(
            "UPDATE events SET status = 'cancelled', cancel_reason = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(reason)
        .bind(to_ts(now))
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
        super::jobs::drop_event(&mut *conn, event_id).await
    })
}

/// An event of this server; another server's event is treated as unknown.
pub async fn get(
    conn: impl Into<Exec<'_>>,
    guild_id: u64,
    event_id: i64,
) -> Result<Option<Event>, sqlx::Error> {
    with_exec!(conn, {
        let row: Option<Row> = sqlx::query_as(GET_SQL)
            .bind(event_id)
            .bind(sql_id(guild_id))
            .fetch_optional(conn)
            .await?;
        Ok(row.map(Event::from))
    })
}

/// Events of a server starting in `[from, until)`, soonest first, with a
/// page window; cancelled ones included so members see them as cancelled.
pub async fn upcoming(
    pool: &Db,
    guild_id: u64,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Event>, i64), sqlx::Error> {
    with_pool!(pool, {
        let (gid, from, until) = (
            sql_id(guild_id),
            to_ts(from),
            until.map(to_ts).unwrap_or(i64::MAX),
        );
        let rows: Vec<Row> = sqlx::query_as(UPCOMING_SQL)
            .bind(gid)
            .bind(from)
            .bind(until)
            .bind(from)
            .bind(gid)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(UPCOMING_TOTAL_SQL)
            .bind(gid)
            .bind(from)
            .bind(until)
            .bind(from)
            .bind(gid)
            .fetch_one(pool)
            .await?;
        Ok((rows.into_iter().map(Event::from).collect(), total))
    })
}

/// Upcoming, not cancelled events whose title contains `text`, for the
/// `event` option's autocomplete.
pub async fn suggest(
    pool: &Db,
    guild_id: u64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, sqlx::Error> {
    with_pool!(pool, {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM events
         WHERE guild_id = $1 AND ends_at > $2 AND status = 'scheduled'
           AND instr(lower(title), lower($3)) > 0
         ORDER BY starts_at LIMIT 25"
        ));
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(sql_id(guild_id))
            .bind(to_ts(now))
            .bind(text)
            .fetch_all(pool)
            .await?;
        Ok(rows.into_iter().map(Event::from).collect())
    })
}

/// Events of a server whose title is exactly `title` (case-insensitive),
/// upcoming first: how a typed title (not picked from autocomplete) resolves.
pub async fn by_title(
    pool: &Db,
    guild_id: u64,
    title: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, sqlx::Error> {
    with_pool!(pool, {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM events
         WHERE guild_id = $1 AND lower(title) = lower($2) AND ends_at > $3
         ORDER BY starts_at LIMIT 5"
        ));
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(sql_id(guild_id))
            .bind(title)
            .bind(to_ts(now))
            .fetch_all(pool)
            .await?;
        Ok(rows.into_iter().map(Event::from).collect())
    })
}

/// Counts for many events in one query (no N+1 when rendering the agenda).
pub async fn counts(pool: &Db, event_ids: &[i64]) -> Result<Vec<(i64, Counts)>, sqlx::Error> {
    with_pool!(pool, {
        if event_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(event_ids).unwrap_or_else(|_| "[]".into());
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> =
            sqlx::query_as(COUNTS_SQL).bind(ids).fetch_all(pool).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, going_seats, going_members, maybe, waitlisted, checked_in)| {
                    (
                        id,
                        Counts {
                            going_seats,
                            going_members,
                            maybe,
                            waitlisted,
                            checked_in,
                        },
                    )
                },
            )
            .collect())
    })
}

pub async fn counts_one(pool: &Db, event_id: i64) -> Result<Counts, sqlx::Error> {
    Ok(counts(pool, &[event_id])
        .await?
        .into_iter()
        .next()
        .map(|(_, c)| c)
        .unwrap_or_default())
}

/// Remembers where the event's card was posted, so later changes edit it.
pub async fn set_card(pool: &Db, event_id: i64, channel_id: u64, message_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE events SET card_channel_id = $1, card_message_id = $2 WHERE id = $3")
            .bind(sql_id(channel_id))
            .bind(sql_id(message_id))
            .bind(event_id)
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// An event of any server, for the delivery side, which only has its id.
pub async fn get_any(pool: &Db, event_id: i64) -> Result<Option<Event>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<Row> = sqlx::query_as(GET_ANY_SQL)
            .bind(event_id)
            .fetch_optional(pool)
            .await?;
        Ok(row.map(Event::from))
    })
}

/// Remembers the event's native scheduled-event mirror.
pub async fn set_native_event(pool: &Db, event_id: i64, native_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE events SET native_event_id = $1 WHERE id = $2")
            .bind(sql_id(native_id))
            .bind(event_id)
            .execute(pool)
            .await?;
        Ok(())
    })
}

impl From<&Event> for EventFields {
    fn from(e: &Event) -> Self {
        EventFields {
            title: e.title.clone(),
            description: e.description.clone(),
            location: e.location.clone(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            capacity: e.capacity,
            rsvp_deadline: e.rsvp_deadline,
            restricted_role: e.restricted_role,
            channel_id: e.channel_id,
            repeat: e.repeat.clone(),
        }
    }
}
