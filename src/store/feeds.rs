//! Calendar feeds: the secret tokens behind their URLs, and what they show.

use crate::store::{with_pool, Db};
use chrono::{DateTime, Utc};

use super::{begin_write, from_sql_id, from_ts, sql_id, to_ts};
use crate::domain::ics::{CalendarEntry, Occurrence, SeriesRule};
use crate::domain::recurrence::Repeat;

/// Which feed a link opens: the server's whole agenda, or only the events
/// its member answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    All,
    Mine,
}

impl FeedScope {
    fn as_str(self) -> &'static str {
        match self {
            FeedScope::All => "all",
            FeedScope::Mine => "mine",
        }
    }
}

/// A member's own link to a feed of the server, created on first use.
/// Every member has their own, to the server's agenda too, so that `renew`
/// (an old link leaked) or the member leaving cuts only that member's link.
pub async fn token(
    pool: &Db,
    guild_id: u64,
    user_id: u64,
    scope: FeedScope,
    renew: bool,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write(pool).await?;
        let (gid, uid) = (sql_id(guild_id), sql_id(user_id));
        if renew {
            sqlx::query("DELETE FROM calendar_feeds WHERE guild_id = $1 AND user_id = $2 AND scope = $3")
                .bind(gid)
                .bind(uid)
                .bind(scope.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let existing: Option<String> = sqlx::query_scalar(
            "SELECT token FROM calendar_feeds WHERE guild_id = $1 AND user_id = $2 AND scope = $3",
        )
        .bind(gid)
        .bind(uid)
        .bind(scope.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let token = match existing {
            Some(token) => token,
            // 160 random bits from SQLite's CSPRNG-seeded generator.
            None => {
                sqlx::query_scalar(
                    "INSERT INTO calendar_feeds (token, guild_id, user_id, scope, created_at)
                 VALUES (lower(hex(randomblob(20))), $1, $2, $3, $4) RETURNING token",
                )
                .bind(gid)
                .bind(uid)
                .bind(scope.as_str())
                .bind(to_ts(now))
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(token)
    })
}

/// Cuts a member's links to the server's feeds (they left the server).
/// Returns how many links stopped working.
pub async fn revoke_member(pool: &Db, guild_id: u64, user_id: u64) -> Result<u64, sqlx::Error> {
    with_pool!(pool, {
        let done = sqlx::query("DELETE FROM calendar_feeds WHERE guild_id = $1 AND user_id = $2")
            .bind(sql_id(guild_id))
            .bind(sql_id(user_id))
            .execute(pool)
            .await?;
        Ok(done.rows_affected())
    })
}

/// Cuts every link to the server's feeds, each member's and the shared one
/// of older versions; members get new ones from `/calendar`. Returns how
/// many links stopped working.
pub async fn revoke_all(pool: &Db, guild_id: u64) -> Result<u64, sqlx::Error> {
    with_pool!(pool, {
        let done = sqlx::query("DELETE FROM calendar_feeds WHERE guild_id = $1")
            .bind(sql_id(guild_id))
            .execute(pool)
            .await?;
        Ok(done.rows_affected())
    })
}

/// What a token opens: (server, member whose answers the feed shows, or
/// None for the server's whole agenda).
pub async fn resolve(pool: &Db, token: &str) -> Result<Option<(u64, Option<u64>)>, sqlx::Error> {
    with_pool!(pool, {
        if token.len() != 40 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row: Option<(i64, Option<i64>, String)> =
            sqlx::query_as("SELECT guild_id, user_id, scope FROM calendar_feeds WHERE token = $1")
                .bind(token)
                .fetch_optional(pool)
                .await?;
        Ok(row.map(|(g, u, scope)| {
            let member = if scope == FeedScope::Mine.as_str() {
                u.map(from_sql_id)
            } else {
                None
            };
            (from_sql_id(g), member)
        }))
    })
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    guild_id: i64,
    title: String,
    description: Option<String>,
    location: Option<String>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    updated_at: i64,
    series_id: Option<i64>,
    occurrence_index: Option<i64>,
    original_starts_at: Option<i64>,
}

impl From<EntryRow> for CalendarEntry {
    fn from(r: EntryRow) -> Self {
        let starts_at = from_ts(r.starts_at);
        CalendarEntry {
            event_id: r.id,
            guild_id: from_sql_id(r.guild_id),
            title: r.title,
            description: r.description,
            location: r.location,
            starts_at,
            ends_at: from_ts(r.ends_at),
            cancelled: r.status == "cancelled",
            updated_at: from_ts(r.updated_at),
            occurrence: r.series_id.map(|series_id| Occurrence {
                series_id,
                index: r.occurrence_index.unwrap_or(0),
                original_start: r.original_starts_at.map_or(starts_at, from_ts),
            }),
        }
    }
}

// Events not over at `from`: `starts_at > from - the server's longest
// event` is implied by `ends_at > from` and bounds the index walk to the
// events to come instead of the server's whole history (as in
// `events::UPCOMING_SQL`). The first date of a series is read through
// `events_by_series_occurrence` without sorting all its dates.

pub(crate) const CONTENT_SQL: &str =
    "SELECT id, guild_id, title, description, location, starts_at, ends_at, status, updated_at,
                series_id, occurrence_index, original_starts_at
         FROM events
         WHERE guild_id = $1 AND ends_at > $2
           AND starts_at > $3 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $4)
           AND ($5 IS NULL OR id IN (SELECT event_id FROM rsvps WHERE user_id = $6
                                    AND status IN ('going', 'maybe', 'waitlisted')))
           AND (NOT $7 OR restricted_role_id IS NULL)
         ORDER BY starts_at, id LIMIT 1000";

pub(crate) const CONTENT_SERIES_SQL: &str = "SELECT s.id, s.repeat, s.cancelled,
                (SELECT COALESCE(e.original_starts_at, e.starts_at) FROM events e
                 WHERE e.series_id = s.id ORDER BY e.occurrence_index LIMIT 1)
         FROM series s
         WHERE s.guild_id = $1 AND s.id IN (
             SELECT series_id FROM events
             WHERE guild_id = $2 AND ends_at > $3 AND series_id IS NOT NULL
               AND starts_at > $4 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $5))
         ORDER BY s.id";

/// What a calendar file shows: the server's events not over at `from`, or
/// only those a member answered going, maybe or waitlisted to, soonest
/// first; and, for the server's calendar, the rules of the series among
/// them, so each series is written once with its RRULE. A member's calendar
/// gets no rules: it holds the dates they answered, not whole series.
pub async fn content(
    pool: &Db,
    guild_id: u64,
    member: Option<u64>,
    from: DateTime<Utc>,
) -> Result<(Vec<CalendarEntry>, Vec<SeriesRule>), sqlx::Error> {
    content_of(pool, guild_id, member, false, from).await
}

/// The server's calendar as the web agenda publishes it (`agenda.ics`):
/// as [`content`] gives it, without the events restricted to a role.
pub async fn public_content(
    pool: &Db,
    guild_id: u64,
    from: DateTime<Utc>,
) -> Result<(Vec<CalendarEntry>, Vec<SeriesRule>), sqlx::Error> {
    content_of(pool, guild_id, None, true, from).await
}

async fn content_of(
    pool: &Db,
    guild_id: u64,
    member: Option<u64>,
    public_only: bool,
    from: DateTime<Utc>,
) -> Result<(Vec<CalendarEntry>, Vec<SeriesRule>), sqlx::Error> {
    with_pool!(pool, {
        let gid = sql_id(guild_id);
        let member = member.map(sql_id);
        let from = to_ts(from);
        let rows: Vec<EntryRow> = sqlx::query_as(CONTENT_SQL)
            .bind(gid)
            .bind(from)
            .bind(from)
            .bind(gid)
            .bind(member)
            .bind(member)
            .bind(public_only)
            .fetch_all(pool)
            .await?;
        if member.is_some() {
            return Ok((rows.into_iter().map(CalendarEntry::from).collect(), Vec::new()));
        }
        // The anchor is the first date's original start, as extend_series uses it.
        let series: Vec<(i64, String, bool, Option<i64>)> = sqlx::query_as(CONTENT_SERIES_SQL)
            .bind(gid)
            .bind(gid)
            .bind(from)
            .bind(from)
            .bind(gid)
            .fetch_all(pool)
            .await?;
        let rules = series
            .into_iter()
            .filter_map(|(series_id, repeat, cancelled, anchor)| {
                Some(SeriesRule {
                    series_id,
                    repeat: Repeat::parse(&repeat)?,
                    anchor: from_ts(anchor?),
                    cancelled,
                })
            })
            .collect();
        Ok((rows.into_iter().map(CalendarEntry::from).collect(), rules))
    })
}
