//! The web agenda (`/setup public`): which server publishes under which
//! slug, and the events its pages may show — never a role-restricted one,
//! never anything about members but counts.

use crate::store::{pick, with_pool, Db};
use chrono::{DateTime, Duration, Utc};

use super::events::{event_columns, Row};
use super::{begin_write, from_sql_id, from_ts, sql_id, to_ts};
use crate::domain::event::Event;

/// How long a past event's page stays reachable by its URL.
pub const PAST_KEPT_DAYS: i64 = 366;

/// A server's publishing settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicAgenda {
    pub guild_id: u64,
    /// The first segment of the pages' URLs.
    pub slug: String,
    /// The server's name, shown as the association's.
    pub name: String,
    pub enabled: bool,
    pub updated_at: DateTime<Utc>,
}

/// The slug asked for is another server's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlugTaken;

type AgendaRow = (i64, String, String, bool, i64);

impl From<AgendaRow> for PublicAgenda {
    fn from((guild_id, slug, name, enabled, updated_at): AgendaRow) -> Self {
        PublicAgenda {
            guild_id: from_sql_id(guild_id),
            slug,
            name,
            enabled,
            updated_at: from_ts(updated_at),
        }
    }
}

/// The server's publishing settings, if it ever ran `/setup public`.
pub async fn get(pool: &Db, guild_id: u64) -> Result<Option<PublicAgenda>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<AgendaRow> = sqlx::query_as(
            "SELECT guild_id, slug, name, enabled, updated_at FROM public_agendas WHERE guild_id = $1",
        )
        .bind(sql_id(guild_id))
        .fetch_optional(pool)
        .await?;
        Ok(row.map(PublicAgenda::from))
    })
}

/// The server publishing under `slug`; none when it turned publishing off.
/// Read from the database on every request (one probe of the unique
/// index), so turning it off takes effect at once.
pub async fn published(pool: &Db, slug: &str) -> Result<Option<PublicAgenda>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<AgendaRow> = sqlx::query_as(
        "SELECT guild_id, slug, name, enabled, updated_at FROM public_agendas WHERE slug = $1 AND enabled = TRUE",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?;
        Ok(row.map(PublicAgenda::from))
    })
}

/// Turns publishing on or off. `slug` is the one asked for (already
/// checked for its form); without it the server keeps its slug, or gets
/// `default_slug`, with `-2`, `-3`… appended while another server has it.
/// `name` replaces the stored one unless empty.
pub async fn set(
    pool: &Db,
    guild_id: u64,
    enabled: bool,
    slug: Option<&str>,
    default_slug: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Result<PublicAgenda, SlugTaken>, sqlx::Error> {
    with_pool!(pool, {
        let gid = sql_id(guild_id);
        let mut tx = begin_write(pool).await?;
        let existing: Option<(String, String)> =
            sqlx::query_as("SELECT slug, name FROM public_agendas WHERE guild_id = $1")
                .bind(gid)
                .fetch_optional(&mut *tx)
                .await?;
        let owner_of = |candidate: String| {
            sqlx::query_scalar::<_, i64>("SELECT guild_id FROM public_agendas WHERE slug = $1")
                .bind(candidate)
        };
        let slug = match (slug, &existing) {
            (Some(asked), _) => {
                let owner = owner_of(asked.to_owned()).fetch_optional(&mut *tx).await?;
                if owner.is_some_and(|owner| owner != gid) {
                    return Ok(Err(SlugTaken));
                }
                asked.to_owned()
            }
            (None, Some((kept, _))) => kept.clone(),
            (None, None) => {
                let mut found = None;
                for n in 1..=1000 {
                    let candidate = if n == 1 {
                        default_slug.to_owned()
                    } else {
                        format!("{default_slug}-{n}")
                    };
                    if owner_of(candidate.clone())
                        .fetch_optional(&mut *tx)
                        .await?
                        .is_none()
                    {
                        found = Some(candidate);
                        break;
                    }
                }
                // A thousand servers of the same name: the server's id is unique.
                found.unwrap_or_else(|| format!("{default_slug}-{guild_id}"))
            }
        };
        let name = match (name.trim(), existing) {
            ("", Some((_, kept))) => kept,
            ("", None) => slug.clone(),
            (given, _) => given.to_owned(),
        };
        let row: AgendaRow = sqlx::query_as(
        "INSERT INTO public_agendas (guild_id, slug, name, enabled, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (guild_id) DO UPDATE SET slug = excluded.slug, name = excluded.name,
             enabled = excluded.enabled, updated_at = excluded.updated_at
         RETURNING guild_id, slug, name, enabled, updated_at",
    )
    .bind(gid)
    .bind(&slug)
    .bind(&name)
    .bind(enabled)
    .bind(to_ts(now))
    .fetch_one(&mut *tx)
    .await?;
        tx.commit().await?;
        Ok(Ok(PublicAgenda::from(row)))
    })
}

/// Public events not over at `from`, soonest first, a page of them; bounded
/// below as `events::UPCOMING_SQL` is. Binds: guild, from, from, guild,
/// limit, offset.
pub(crate) const UPCOMING_SQL: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events
         WHERE guild_id = $1 AND ends_at > $2 AND restricted_role_id IS NULL
           AND starts_at > $2 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $1)
         ORDER BY starts_at, id LIMIT $3 OFFSET $4"
);

pub(crate) const UPCOMING_TOTAL_SQL: &str = "SELECT COUNT(*) FROM events
         WHERE guild_id = $1 AND ends_at > $2 AND restricted_role_id IS NULL
           AND starts_at > $2 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $1)";

/// The server's public events not over at `now`, a page of them, and how
/// many there are in all. Cancelled ones are included (the page marks them).
pub async fn upcoming(
    pool: &Db,
    guild_id: u64,
    now: DateTime<Utc>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Event>, i64), sqlx::Error> {
    with_pool!(pool, {
        let (gid, now) = (sql_id(guild_id), to_ts(now));
        let rows: Vec<Row> = sqlx::query_as(UPCOMING_SQL)
            .bind(gid)
            .bind(now)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(UPCOMING_TOTAL_SQL)
            .bind(gid)
            .bind(now)
            .fetch_one(pool)
            .await?;
        Ok((rows.into_iter().map(Event::from).collect(), total))
    })
}

pub(crate) const EVENT_SQL: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events WHERE id = $1 AND guild_id = $2 AND restricted_role_id IS NULL AND ends_at > $3"
);

/// One public event of the server, if it ended less than
/// [`PAST_KEPT_DAYS`] ago; another server's event is unknown here.
pub async fn event(
    pool: &Db,
    guild_id: u64,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Event>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<Row> = sqlx::query_as(EVENT_SQL)
            .bind(event_id)
            .bind(sql_id(guild_id))
            .bind(to_ts(now - Duration::days(PAST_KEPT_DAYS)))
            .fetch_optional(pool)
            .await?;
        Ok(row.map(Event::from))
    })
}

/// The start `event_id` had before it was first moved, if it was.
pub async fn rescheduled_from(pool: &Db, event_id: i64) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    with_pool!(pool, {
        let from: Option<i64> = sqlx::query_scalar("SELECT rescheduled_from FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(pool)
            .await?
            .flatten();
        Ok(from.map(super::from_ts))
    })
}

/// The latest of the times below (SQLite's many-argument `MAX`).
macro_rules! last_change_parts {
    () => {
        "COALESCE((SELECT MAX(updated_at) FROM events WHERE id IN (SELECT value FROM json_each($1))), 0),
        COALESCE((SELECT MAX(responded_at) FROM rsvps WHERE event_id IN (SELECT value FROM json_each($1))), 0),
        COALESCE((SELECT MAX(ends_at) FROM events WHERE guild_id = $2 AND ends_at <= $3 AND starts_at <= $3
                    AND starts_at > $3 - 2 * (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $2)),
                 $3 - (SELECT MAX(ends_at - starts_at) FROM events WHERE guild_id = $2), 0),
        COALESCE((SELECT updated_at FROM guild_settings WHERE guild_id = $2), 0),
        COALESCE((SELECT updated_at FROM public_agendas WHERE guild_id = $2), 0))"
    };
}

pub(crate) const LAST_CHANGE_SQL: &str = concat!("SELECT MAX(", last_change_parts!());
/// PostgreSQL's many-argument maximum is `GREATEST`.
const PG_LAST_CHANGE_SQL: &str = concat!("SELECT GREATEST(", last_change_parts!());

/// When a page showing `event_ids` last changed, for `Last-Modified`: an
/// edit of one of them, an answer to one (the seats left), a change of the
/// server's settings or publishing, or the end of one of the server's
/// events (which drops it from the list, or marks its page as past). The
/// latest end is looked for among the events started in the last two
/// longest-event lengths (a short index walk); when none ended there, now
/// minus the longest length is a time no later end can exceed — later
/// than the truth at worst, which costs a full answer, never a stale 304.
pub async fn last_change(
    pool: &Db,
    guild_id: u64,
    event_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, sqlx::Error> {
    with_pool!(pool, {
        let ids = serde_json::to_string(event_ids).unwrap_or_else(|_| "[]".into());
        let at: i64 = sqlx::query_scalar(pick!(sqlite: LAST_CHANGE_SQL, postgres: PG_LAST_CHANGE_SQL))
            .bind(ids)
            .bind(sql_id(guild_id))
            .bind(to_ts(now))
            .fetch_one(pool)
            .await?;
        Ok(from_ts(at))
    })
}
