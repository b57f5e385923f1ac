//! Recurring events: a series and its occurrences, generated 8 weeks ahead
//! and extended as time passes; each occurrence is an ordinary event with
//! its own RSVPs and card.

use crate::store::{with_conn, with_exec, with_pool, Conn, Db, Exec};
use chrono::{DateTime, Utc};

use super::events::{Row, COLUMNS};
use super::{sql_id, to_ts};
use crate::domain::event::{Event, EventFields};

/// The not yet finished, not cancelled occurrences of a series, soonest first.
pub async fn upcoming_in_series(
    conn: impl Into<Exec<'_>>,
    series_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, sqlx::Error> {
    with_exec!(conn, {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM events WHERE series_id = $1 AND ends_at > $2 AND status = 'scheduled'
         ORDER BY starts_at"
        ));
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(series_id)
            .bind(to_ts(now))
            .fetch_all(conn)
            .await?;
        Ok(rows.into_iter().map(Event::from).collect())
    })
}

/// The series every part of `series_id`'s series was split from (itself
/// if it never was).
async fn origin(conn: impl Into<Conn<'_>>, series_id: i64) -> Result<i64, sqlx::Error> {
    with_conn!(conn, {
        let origin: Option<i64> =
            sqlx::query_scalar("SELECT COALESCE(origin_id, id) FROM series WHERE id = $1")
                .bind(series_id)
                .fetch_optional(&mut *conn)
                .await?;
        Ok(origin.unwrap_or(series_id))
    })
}

/// The parts of a series: the origin and every series split from it.
const PARTS_SQL: &str = "SELECT id FROM series WHERE id = $1 OR origin_id = $1";

/// The not yet finished, not cancelled dates of the whole series `series_id`
/// belongs to, every part split from the same origin included, soonest
/// first. Past dates are history: no change of the series reaches them.
pub async fn upcoming_in_whole_series(
    conn: impl Into<Conn<'_>>,
    series_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, sqlx::Error> {
    with_conn!(conn, {
        let origin = origin(&mut *conn, series_id).await?;
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM events WHERE series_id IN ({PARTS_SQL}) AND ends_at > $2
           AND status = 'scheduled'
         ORDER BY starts_at"
        ));
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(origin)
            .bind(to_ts(now))
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows.into_iter().map(Event::from).collect())
    })
}

/// Stops every part of the whole series `series_id` belongs to: none
/// generates dates any more.
pub async fn stop_whole_series(conn: impl Into<Conn<'_>>, series_id: i64) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let origin = origin(&mut *conn, series_id).await?;
        let parts: Vec<i64> = sqlx::query_scalar(PARTS_SQL)
            .bind(origin)
            .fetch_all(&mut *conn)
            .await?;
        for part in parts {
            stop_series(&mut *conn, part).await?;
        }
        Ok(())
    })
}

/// Inserts an event, or for a repeating one its series and the occurrences
/// of the next 8 weeks (at least 3 for monthly ones), all in one transaction
/// together with their planned reminders. Each occurrence has its own RSVPs
/// and card. Returns the event ids, soonest first.
pub async fn insert_series(
    pool: &Db,
    guild_id: u64,
    tz: chrono_tz::Tz,
    fields: &EventFields,
    reminder_offsets: &[i64],
    created_by: u64,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = super::begin_write_in(pool, &[guild_id]).await?;
        let ids = insert_series_in(&mut tx, guild_id, tz, fields, reminder_offsets, created_by, now).await?;
        tx.commit().await?;
        Ok(ids)
    })
}

/// [`insert_series`] inside the caller's write transaction, so what made
/// the event (a poll closing) and the event land together.
pub async fn insert_series_in(
    conn: impl Into<Conn<'_>>,
    guild_id: u64,
    tz: chrono_tz::Tz,
    fields: &EventFields,
    reminder_offsets: &[i64],
    created_by: u64,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    with_conn!(conn, {
        let starts = crate::domain::event::first_dates(fields, tz, now);
        let series_id: Option<i64> = match fields.repeats() {
            None => None,
            Some(_) => Some(
            sqlx::query_scalar(
                "INSERT INTO series (guild_id, repeat, generated_until, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(sql_id(guild_id))
            .bind(fields.repeat.as_deref())
            .bind(starts.last().map(|t| to_ts(*t)).unwrap_or(to_ts(now)))
            .bind(to_ts(now))
            .fetch_one(&mut *conn)
            .await?,
        ),
    };
        let mut ids = Vec::with_capacity(starts.len());
        for (index, start) in starts.into_iter().enumerate() {
            let occurrence = series_id.map(|series| (series, index as i64));
            let id =
                insert_occurrence(&mut *conn, guild_id, fields, start, occurrence, created_by, now).await?;
            super::jobs::plan_event(&mut *conn, id, reminder_offsets, now).await?;
            ids.push(id);
        }
        if let Some(series) = series_id {
            schedule_extension(&mut *conn, guild_id, series, now).await?;
        }
        Ok(ids)
    })
}

/// Series are extended once a week, keeping 8 weeks of dates ahead.
async fn schedule_extension(
    conn: impl Into<Conn<'_>>,
    guild_id: u64,
    series_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let due = to_ts(now + chrono::Duration::days(7));
        super::jobs::upsert(
            conn,
            super::jobs::Kind::Occurrences,
            sql_id(guild_id),
            series_id,
            0,
            due,
        )
        .await
    })
}

/// Adds the occurrences of a series due within the next 8 weeks, copying
/// the latest occurrence (so edits made to the series carry on), and plans
/// the next extension. Returns the new event ids.
pub async fn extend_series(
    pool: &Db,
    series_id: i64,
    tz: chrono_tz::Tz,
    reminder_offsets: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    with_pool!(pool, {
        use crate::domain::recurrence::{occurrences, Repeat};
        let mut tx = super::begin_write(pool).await?;
        let series: Option<(String, bool)> =
            sqlx::query_as("SELECT repeat, cancelled FROM series WHERE id = $1")
                .bind(series_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((repeat, false)) = series else {
            return Ok(Vec::new());
        };
        let Some(repeat) = Repeat::parse(&repeat) else {
            return Ok(Vec::new());
        };
        let bounds = |order: &'static str| {
            sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM events WHERE series_id = $1 ORDER BY occurrence_index {order} LIMIT 1"
            ))
        };
        let first: Option<Row> = sqlx::query_as(bounds("ASC"))
            .bind(series_id)
            .fetch_optional(&mut *tx)
            .await?;
        let last: Option<Row> = sqlx::query_as(bounds("DESC"))
            .bind(series_id)
            .fetch_optional(&mut *tx)
            .await?;
        let (Some(first), Some(last)) = (first.map(Event::from), last.map(Event::from)) else {
            return Ok(Vec::new());
        };
        let last_index: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(occurrence_index), 0) FROM events WHERE series_id = $1")
                .bind(series_id)
                .fetch_one(&mut *tx)
                .await?;
        // The rule's own dates, not the edited ones: moving the first date alone
        // must not move every later one, and a last date moved earlier must not
        // let its original slot be generated a second time. Calendar feeds
        // publish this same rule as an RRULE (domain::ics).
        let anchor = original_start(&mut tx, first.id)
            .await?
            .unwrap_or(first.starts_at);
        let last_slot = original_start(&mut tx, last.id).await?.unwrap_or(last.starts_at);
        let horizon = crate::domain::event::series_horizon(now);
        let starts: Vec<DateTime<Utc>> = occurrences(anchor, repeat, tz, horizon, 1_000)
            .into_iter()
            .filter(|s| *s > last_slot && *s > now)
            .collect();
        let template = EventFields::from(&last);
        let mut ids = Vec::new();
        for (offset, start) in starts.into_iter().enumerate() {
            let occurrence = Some((series_id, last_index + 1 + offset as i64));
            let id = insert_occurrence(
                &mut tx,
                last.guild_id,
                &template,
                start,
                occurrence,
                last.created_by,
                now,
            )
            .await?;
            super::jobs::plan_event(&mut tx, id, reminder_offsets, now).await?;
            super::jobs::plan_card(&mut tx, last.guild_id, id, now).await?;
            ids.push(id);
        }
        sqlx::query("UPDATE series SET generated_until = $1 WHERE id = $2")
            .bind(to_ts(horizon))
            .bind(series_id)
            .execute(&mut *tx)
            .await?;
        schedule_extension(&mut tx, last.guild_id, series_id, now).await?;
        tx.commit().await?;
        Ok(ids)
    })
}

/// Where the series' rule placed an occurrence before any edit (None for
/// an event outside any series).
async fn original_start(
    conn: impl Into<Conn<'_>>,
    event_id: i64,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    with_conn!(conn, {
        let ts: Option<i64> = sqlx::query_scalar("SELECT original_starts_at FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(ts.map(super::from_ts))
    })
}

/// A cancelled series generates no more occurrences.
pub async fn stop_series(conn: impl Into<Conn<'_>>, series_id: i64) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        sqlx::query("UPDATE series SET cancelled = TRUE WHERE id = $1")
            .bind(series_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
        "UPDATE jobs SET status = 'dropped' WHERE kind = 'occurrences' AND ref_id = $1 AND status = 'pending'",
    )
    .bind(series_id)
    .execute(&mut *conn)
    .await?;
        Ok(())
    })
}

/// One event row like `template` but starting at `start` (same length, same
/// deadline before the start); `occurrence` is (series, index) for a series.
async fn insert_occurrence(
    conn: impl Into<Conn<'_>>,
    guild_id: u64,
    template: &EventFields,
    start: DateTime<Utc>,
    occurrence: Option<(i64, i64)>,
    created_by: u64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    with_conn!(conn, {
        let length = template.ends_at - template.starts_at;
        let deadline = template.rsvp_deadline.map(|d| start - (template.starts_at - d));
        sqlx::query_scalar(
            "INSERT INTO events (guild_id, title, description, location, starts_at, ends_at, capacity,
            rsvp_deadline, restricted_role_id, channel_id, repeat, series_id, occurrence_index,
            original_starts_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(sql_id(guild_id))
        .bind(&template.title)
        .bind(&template.description)
        .bind(&template.location)
        .bind(to_ts(start))
        .bind(to_ts(start + length))
        .bind(template.capacity)
        .bind(deadline.map(to_ts))
        .bind(template.restricted_role.map(sql_id))
        .bind(template.channel_id.map(sql_id))
        .bind(&template.repeat)
        .bind(occurrence.map(|(series, _)| series))
        .bind(occurrence.map(|(_, index)| index))
        .bind(occurrence.map(|_| to_ts(start)))
        .bind(sql_id(created_by))
        .bind(to_ts(now))
        .bind(to_ts(now))
        .fetch_one(&mut *conn)
        .await
    })
}

/// An edit that moves the time of a series' dates from some date on (this
/// and the following ones, or the whole series) moves the rule itself. If
/// other dates of the series stay as they were (earlier ones, past ones),
/// the moved dates become a part of their own, anchored at their new start,
/// so the dates generated later follow the new time; it remembers the
/// series' origin, and every other part stops growing (and ends, in
/// calendar feeds). If every date of a one-part series moved, it stays one
/// and its anchor moves with them. `moved` is in date order and holds the
/// series' last dates.
pub async fn reanchor(
    conn: impl Into<Conn<'_>>,
    series_id: i64,
    moved: &[i64],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, {
        let origin = origin(&mut *conn, series_id).await?;
        let ids = serde_json::to_string(moved).unwrap_or_else(|_| "[]".into());
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM events
         WHERE series_id IN ({PARTS_SQL}) AND id NOT IN (SELECT value FROM json_each($2))"
        ));
        let others: i64 = sqlx::query_scalar(sql)
            .bind(origin)
            .bind(&ids)
            .fetch_one(&mut *conn)
            .await?;
        let parts_moved: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT series_id FROM events WHERE id IN (SELECT value FROM json_each($1))",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?;
        let target = match parts_moved.as_slice() {
            [only] if others == 0 => *only,
            _ => {
                stop_whole_series(&mut *conn, origin).await?;
                let (new_series, guild_id): (i64, i64) = sqlx::query_as(
                    "INSERT INTO series (guild_id, repeat, generated_until, created_at, origin_id)
                 SELECT guild_id, repeat, generated_until, $1, $2 FROM series WHERE id = $3
                 RETURNING id, guild_id",
                )
                .bind(to_ts(now))
                .bind(origin)
                .bind(series_id)
                .fetch_one(&mut *conn)
                .await?;
                schedule_extension(&mut *conn, super::from_sql_id(guild_id), new_series, now).await?;
                new_series
            }
        };
        for (index, id) in moved.iter().enumerate() {
            sqlx::query(
            "UPDATE events SET series_id = $1, occurrence_index = $2, original_starts_at = starts_at WHERE id = $3",
        )
        .bind(target)
        .bind(index as i64)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        }
        Ok(())
    })
}
