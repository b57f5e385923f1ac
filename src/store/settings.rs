//! Per-server settings; a server with no row gets the defaults.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::store::{with_pool, Db};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{from_sql_id, sql_id, to_ts};
use crate::domain::Lang;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub guild_id: u64,
    pub agenda_channel: Option<u64>,
    pub intro_channel: Option<u64>,
    pub announce_channel: Option<u64>,
    pub organizer_role: Option<u64>,
    pub timezone: Tz,
    pub language: Lang,
    /// Minutes before start, longest first.
    pub reminder_offsets: Vec<i64>,
    pub mirror_events: bool,
    /// Discord refused the mirror (missing Create Events); it is paused.
    pub mirror_blocked: bool,
    /// A discussion thread is opened on each new event card.
    pub threads: bool,
    /// The admin who turned threads on, told if Discord refuses one later.
    pub threads_admin: Option<u64>,
    /// Cards show the names of who is going.
    pub card_names: bool,
}

impl Settings {
    pub fn defaults(guild_id: u64) -> Self {
        Settings {
            guild_id,
            agenda_channel: None,
            intro_channel: None,
            announce_channel: None,
            organizer_role: None,
            timezone: chrono_tz::Europe::Paris,
            language: Lang::Fr,
            reminder_offsets: vec![24 * 60, 60],
            mirror_events: false,
            mirror_blocked: false,
            threads: false,
            threads_admin: None,
            card_names: false,
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    agenda_channel_id: Option<i64>,
    intro_channel_id: Option<i64>,
    announce_channel_id: Option<i64>,
    organizer_role_id: Option<i64>,
    timezone: String,
    language: String,
    reminder_offsets: String,
    mirror_events: bool,
    mirror_blocked: bool,
    threads: bool,
    threads_admin_id: Option<i64>,
    card_names: bool,
}

pub(crate) const GET_SQL: &str =
    "SELECT agenda_channel_id, intro_channel_id, announce_channel_id, organizer_role_id,
                timezone, language, reminder_offsets, mirror_events, mirror_blocked,
                threads, threads_admin_id, card_names
         FROM guild_settings WHERE guild_id = $1";

/// The server's settings, or the defaults if it never ran `/setup`.
pub async fn get(pool: &Db, guild_id: u64) -> Result<Settings, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<Row> = sqlx::query_as(GET_SQL)
            .bind(sql_id(guild_id))
            .fetch_optional(pool)
            .await?;
        let defaults = Settings::defaults(guild_id);
        Ok(match row {
            None => defaults,
            Some(r) => Settings {
                guild_id,
                agenda_channel: r.agenda_channel_id.map(from_sql_id),
                intro_channel: r.intro_channel_id.map(from_sql_id),
                announce_channel: r.announce_channel_id.map(from_sql_id),
                organizer_role: r.organizer_role_id.map(from_sql_id),
                timezone: r.timezone.parse().unwrap_or(defaults.timezone),
                language: if r.language == "en" { Lang::En } else { Lang::Fr },
                reminder_offsets: r
                    .reminder_offsets
                    .split(',')
                    .filter_map(|m| m.trim().parse().ok())
                    .collect(),
                mirror_events: r.mirror_events,
                mirror_blocked: r.mirror_blocked,
                threads: r.threads,
                threads_admin: r.threads_admin_id.map(from_sql_id),
                card_names: r.card_names,
            },
        })
    })
}

/// One change made by `/setup`.
pub enum Change {
    Channels {
        agenda: Option<u64>,
        intro: Option<u64>,
        announce: Option<u64>,
    },
    OrganizerRole(u64),
    Timezone(Tz),
    Language(Lang),
    ReminderOffsets(Vec<i64>),
    Mirror(bool),
    /// Threads on or off; `admin` is who turned them on.
    Threads {
        on: bool,
        admin: u64,
    },
    CardNames(bool),
}

pub async fn update(pool: &Db, guild_id: u64, change: Change, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, updated_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(sql_id(guild_id))
        .bind(to_ts(now))
        .execute(&mut *tx)
        .await?;
        let gid = sql_id(guild_id);
        let query = match change {
            Change::Channels {
                agenda,
                intro,
                announce,
            } => sqlx::query(
                "UPDATE guild_settings SET
                agenda_channel_id = COALESCE($1, agenda_channel_id),
                intro_channel_id = COALESCE($2, intro_channel_id),
                announce_channel_id = COALESCE($3, announce_channel_id)
             WHERE guild_id = $4",
            )
            .bind(agenda.map(sql_id))
            .bind(intro.map(sql_id))
            .bind(announce.map(sql_id)),
            Change::OrganizerRole(role) => {
                sqlx::query("UPDATE guild_settings SET organizer_role_id = $1 WHERE guild_id = $2")
                    .bind(sql_id(role))
            }
            Change::Timezone(tz) => {
                sqlx::query("UPDATE guild_settings SET timezone = $1 WHERE guild_id = $2").bind(tz.name())
            }
            Change::Language(lang) => {
                sqlx::query("UPDATE guild_settings SET language = $1 WHERE guild_id = $2").bind(lang.code())
            }
            Change::ReminderOffsets(minutes) => {
                let joined: Vec<String> = minutes.iter().map(|m| m.to_string()).collect();
                sqlx::query("UPDATE guild_settings SET reminder_offsets = $1 WHERE guild_id = $2")
                    .bind(joined.join(","))
            }
            Change::Mirror(on) => sqlx::query(
                "UPDATE guild_settings SET mirror_events = $1, mirror_blocked = FALSE WHERE guild_id = $2",
            )
            .bind(on),
            Change::Threads { on, admin } => sqlx::query(
                "UPDATE guild_settings SET threads = $1, threads_admin_id = $2 WHERE guild_id = $3",
            )
            .bind(on)
            .bind(sql_id(admin)),
            Change::CardNames(on) => {
                sqlx::query("UPDATE guild_settings SET card_names = $1 WHERE guild_id = $2").bind(on)
            }
        };
        query.bind(gid).execute(&mut *tx).await?;
        sqlx::query("UPDATE guild_settings SET updated_at = $1 WHERE guild_id = $2")
            .bind(to_ts(now))
            .bind(gid)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })
}

/// Remembers where the pinned *Introduce yourself* message was posted.
pub async fn set_intro_button(
    pool: &Db,
    guild_id: u64,
    channel_id: u64,
    message_id: u64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
        "INSERT INTO guild_settings (guild_id, intro_button_channel_id, intro_button_message_id, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (guild_id) DO UPDATE SET intro_button_channel_id = excluded.intro_button_channel_id,
             intro_button_message_id = excluded.intro_button_message_id, updated_at = excluded.updated_at",
    )
    .bind(sql_id(guild_id))
    .bind(sql_id(channel_id))
    .bind(sql_id(message_id))
    .bind(to_ts(now))
    .execute(pool)
    .await?;
        Ok(())
    })
}

/// Pauses mirroring after Discord refused it for lack of permission.
pub async fn block_mirror(pool: &Db, guild_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE guild_settings SET mirror_blocked = TRUE WHERE guild_id = $1")
            .bind(sql_id(guild_id))
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// Stops opening threads after Discord refused one for lack of permission:
/// an admin grants it and turns threads on again.
pub async fn stop_threads(pool: &Db, guild_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE guild_settings SET threads = FALSE WHERE guild_id = $1")
            .bind(sql_id(guild_id))
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// How long a server's settings are served from memory. This process
/// forgets them as soon as it changes them; the bound is for another
/// process writing the same file (the console on the bot's database).
const FRESH_FOR: Duration = Duration::from_secs(5);

/// Every interaction needs its server's settings, and they change only by
/// `/setup`, a refused mirror or a purge: kept in memory, they cost a click
/// nothing instead of a query.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<HashMap<u64, (Instant, Settings)>>,
}

impl Cache {
    /// The server's settings, from memory if read in the last seconds.
    pub async fn get(&self, pool: &Db, guild_id: u64) -> Result<Settings, sqlx::Error> {
        if let Some((read_at, settings)) = self.lock().get(&guild_id) {
            if read_at.elapsed() < FRESH_FOR {
                return Ok(settings.clone());
            }
        }
        let read_at = Instant::now();
        let settings = get(pool, guild_id).await?;
        self.lock().insert(guild_id, (read_at, settings.clone()));
        Ok(settings)
    }

    /// To be called after anything that changes a server's settings.
    pub fn forget(&self, guild_id: u64) {
        self.lock().remove(&guild_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (Instant, Settings)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}
