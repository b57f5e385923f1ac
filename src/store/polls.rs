//! Date polls, their dates and members' answers. Closing a poll creates its
//! event and queues the DMs about it in one transaction, so a crash can
//! neither close a poll without its event nor tell anyone twice.

use crate::store::{pick, with_pool, Db};
use chrono::{DateTime, Duration, Utc};

use super::jobs::Kind;
use super::{begin_write_in, from_json, from_sql_id, from_ts, sql_id, to_ts};
use crate::domain::event::EventFields;
use crate::domain::poll::{NewPoll, Poll, PollDate};

mod answers;
pub use answers::{all_answers, answers_of, could_come, tallies, tap, Tapped};

pub(super) const COLUMNS: &str =
    "p.id, p.guild_id, p.title, p.description, p.channel_id, p.message_id, p.deadline,
    p.created_by, p.closed_at, p.chosen, p.event_id,
    (SELECT json_group_array(json_array(d.starts_at, d.minutes))
     FROM (SELECT starts_at, minutes FROM poll_dates WHERE poll_id = p.id ORDER BY position) d)";
pub(super) const PG_COLUMNS: &str =
    "p.id, p.guild_id, p.title, p.description, p.channel_id, p.message_id, p.deadline,
    p.created_by, p.closed_at, p.chosen, p.event_id,
    (SELECT COALESCE(json_agg(json_build_array(d.starts_at, d.minutes) ORDER BY d.position)::text, '[]')
     FROM poll_dates d WHERE d.poll_id = p.id)";

pub(super) type Row = (
    i64,
    i64,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
);

pub(super) fn poll(row: Row) -> Result<Poll, sqlx::Error> {
    let (id, guild, title, description, channel, message, deadline, by, closed, chosen, event, dates) = row;
    let dates: Vec<(i64, Option<i64>)> = from_json(&dates)?;
    Ok(Poll {
        id,
        guild_id: from_sql_id(guild),
        title,
        description,
        channel_id: from_sql_id(channel),
        message_id: message.map(from_sql_id),
        deadline: deadline.map(from_ts),
        created_by: from_sql_id(by),
        closed_at: closed.map(from_ts),
        chosen: chosen.and_then(|c| usize::try_from(c).ok()),
        event_id: event,
        dates: dates
            .into_iter()
            .map(|(starts, minutes)| PollDate {
                starts_at: from_ts(starts),
                length: minutes.map(Duration::minutes),
            })
            .collect(),
    })
}

/// Saves a poll and its dates, and plans its closing at the deadline, in
/// one transaction. Returns its id.
pub async fn insert(pool: &Db, guild_id: u64, new: &NewPoll, now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[guild_id]).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO polls (guild_id, title, description, channel_id, deadline, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(sql_id(guild_id))
        .bind(&new.title)
        .bind(&new.description)
        .bind(sql_id(new.channel_id))
        .bind(new.deadline.map(to_ts))
        .bind(sql_id(new.created_by))
        .bind(to_ts(now))
        .fetch_one(&mut *tx)
        .await?;
        for (position, date) in new.dates.iter().enumerate() {
            sqlx::query(
                "INSERT INTO poll_dates (poll_id, position, starts_at, minutes) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(to_ts(date.starts_at))
            .bind(date.length.map(|l| l.num_minutes()))
            .execute(&mut *tx)
            .await?;
        }
        if let Some(deadline) = new.deadline {
            super::jobs::upsert(&mut tx, Kind::PollClose, sql_id(guild_id), id, 0, to_ts(deadline)).await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

/// A poll of this server; another server's poll is unknown here.
pub async fn get(pool: &Db, guild_id: u64, poll_id: i64) -> Result<Option<Poll>, sqlx::Error> {
    with_pool!(pool, {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM polls p WHERE p.id = $1 AND p.guild_id = $2",
            pick!(sqlite: COLUMNS, postgres: PG_COLUMNS)
        ));
        let row: Option<Row> = sqlx::query_as(sql)
            .bind(poll_id)
            .bind(sql_id(guild_id))
            .fetch_optional(pool)
            .await?;
        row.map(poll).transpose()
    })
}

/// A poll by id alone, for the job runner (its jobs carry the server).
pub async fn get_any(pool: &Db, poll_id: i64) -> Result<Option<Poll>, sqlx::Error> {
    with_pool!(pool, {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM polls p WHERE p.id = $1",
            pick!(sqlite: COLUMNS, postgres: PG_COLUMNS)
        ));
        let row: Option<Row> = sqlx::query_as(sql).bind(poll_id).fetch_optional(pool).await?;
        row.map(poll).transpose()
    })
}

/// The server's polls whose title contains `typed` (any, when blank), open
/// ones first, then the latest: (id, title, closed).
pub async fn suggest(
    pool: &Db,
    guild_id: u64,
    typed: &str,
    limit: i64,
) -> Result<Vec<(i64, String, bool)>, sqlx::Error> {
    with_pool!(pool, {
        sqlx::query_as(
            "SELECT id, title, closed_at IS NOT NULL FROM polls
         WHERE guild_id = $1 AND instr(lower(title), lower($2)) > 0
         ORDER BY closed_at IS NOT NULL, id DESC LIMIT $3",
        )
        .bind(sql_id(guild_id))
        .bind(typed.trim())
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// Notes the message the poll's card was posted as.
pub async fn set_message(pool: &Db, poll_id: i64, message_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE polls SET message_id = $1 WHERE id = $2")
            .bind(sql_id(message_id))
            .bind(poll_id)
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// The event a poll becomes when it closes, as `/event create` writes it.
#[derive(Debug, Clone)]
pub struct Becomes<'a> {
    pub fields: &'a EventFields,
    pub timezone: chrono_tz::Tz,
    pub reminder_offsets: &'a [i64],
}

/// Closes a poll still open, at `chosen`: in one transaction, the poll is
/// marked closed, the event (if any) is created with its reminders, and a
/// [`Kind::PollClosed`] job is queued that posts its card and DMs who could
/// come. A pending deadline job is dropped. `None` when the poll was
/// already closed (by another organizer, or its deadline, a moment before).
pub async fn close(
    pool: &Db,
    poll: &Poll,
    chosen: Option<usize>,
    becomes: Option<Becomes<'_>>,
    now: DateTime<Utc>,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[poll.guild_id]).await?;
        let closed =
            sqlx::query("UPDATE polls SET closed_at = $1, chosen = $2 WHERE id = $3 AND closed_at IS NULL")
                .bind(to_ts(now))
                .bind(chosen.map(|c| c as i64))
                .bind(poll.id)
                .execute(&mut *tx)
                .await?;
        if closed.rows_affected() == 0 {
            return Ok(None);
        }
        let mut event_id = None;
        if let Some(becomes) = becomes {
            let ids = super::series::insert_series_in(
                &mut tx,
                poll.guild_id,
                becomes.timezone,
                becomes.fields,
                becomes.reminder_offsets,
                poll.created_by,
                now,
            )
            .await?;
            event_id = ids.first().copied();
            sqlx::query("UPDATE polls SET event_id = $1 WHERE id = $2")
                .bind(event_id)
                .bind(poll.id)
                .execute(&mut *tx)
                .await?;
            super::jobs::upsert(
                &mut tx,
                Kind::PollClosed,
                sql_id(poll.guild_id),
                poll.id,
                0,
                to_ts(now),
            )
            .await?;
        }
        sqlx::query(
        "UPDATE jobs SET status = 'dropped' WHERE kind = 'poll_close' AND ref_id = $1 AND status = 'pending'",
    )
    .bind(poll.id)
    .execute(&mut *tx)
    .await?;
        tx.commit().await?;
        Ok(Some(event_id))
    })
}

/// How many of the server's polls closed in `year` (local time): the
/// report's "polls held".
pub async fn held(pool: &Db, guild_id: u64, year: i32, tz: chrono_tz::Tz) -> Result<i64, sqlx::Error> {
    with_pool!(pool, {
        let from = super::report::year_start(year, tz);
        let until = super::report::year_start(year + 1, tz);
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM polls WHERE guild_id = $1 AND closed_at >= $2 AND closed_at < $3",
        )
        .bind(sql_id(guild_id))
        .bind(to_ts(from))
        .bind(to_ts(until))
        .fetch_one(pool)
        .await
    })
}
