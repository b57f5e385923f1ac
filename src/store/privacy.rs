//! Everything held about one member: export and erasure.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::SqlitePool;

use super::{begin_write, rsvps, sql_id, to_ts};

/// Times in the export are unix seconds (UTC), as stored.
#[derive(sqlx::FromRow, Serialize)]
struct IntroRow {
    guild_id: i64,
    name: String,
    organization: Option<String>,
    about: Option<String>,
    skills: Option<String>,
    website: Option<String>,
    created_at: i64,
    updated_at: i64,
}

#[derive(sqlx::FromRow, Serialize)]
struct RsvpRow {
    guild_id: i64,
    event_id: i64,
    event_title: String,
    name_shown: String,
    status: String,
    guests: i64,
    note: Option<String>,
    responded_at: i64,
    checked_in_at: Option<i64>,
}

#[derive(sqlx::FromRow, Serialize)]
struct PrefRow {
    guild_id: i64,
    reminders_enabled: bool,
    dms_closed_at: Option<i64>,
}

#[derive(sqlx::FromRow, Serialize)]
struct EventRow {
    guild_id: i64,
    id: i64,
    title: String,
}

#[derive(sqlx::FromRow, Serialize)]
struct AnnouncementRow {
    guild_id: i64,
    id: i64,
    title: String,
    message: String,
    posted_at: Option<i64>,
}

/// All rows that mention the member, as JSON, across every server.
pub async fn export(pool: &SqlitePool, user_id: u64) -> Result<Value, sqlx::Error> {
    let uid = sql_id(user_id);
    let introductions: Vec<IntroRow> = sqlx::query_as(
        "SELECT guild_id, name, organization, about, skills, website, created_at, updated_at
         FROM introductions WHERE user_id = ? ORDER BY guild_id",
    )
    .bind(uid)
    .fetch_all(pool)
    .await?;
    let rsvps: Vec<RsvpRow> = sqlx::query_as(
        "SELECT e.guild_id, r.event_id, e.title AS event_title, r.user_name AS name_shown, r.status,
            r.guests, r.note, r.responded_at, r.checked_in_at
         FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.user_id = ? ORDER BY e.starts_at",
    )
    .bind(uid)
    .fetch_all(pool)
    .await?;
    let preferences: Vec<PrefRow> = sqlx::query_as(
        "SELECT guild_id, reminders_enabled, dms_closed_at FROM member_prefs WHERE user_id = ?",
    )
    .bind(uid)
    .fetch_all(pool)
    .await?;
    let events_created: Vec<EventRow> =
        sqlx::query_as("SELECT guild_id, id, title FROM events WHERE created_by = ? ORDER BY id")
            .bind(uid)
            .fetch_all(pool)
            .await?;
    let announcements_written: Vec<AnnouncementRow> = sqlx::query_as(
        "SELECT guild_id, id, title, message, posted_at FROM announcements WHERE author_id = ? ORDER BY id",
    )
    .bind(uid)
    .fetch_all(pool)
    .await?;
    Ok(json!({
        "user_id": user_id.to_string(),
        "times": "unix seconds, UTC",
        "introductions": introductions,
        "rsvps": rsvps,
        "preferences": preferences,
        "events_created": events_created,
        "announcements_written": announcements_written,
    }))
}

/// What erasure changed, so the caller can refresh cards and tell promoted
/// members.
#[derive(Debug, Default)]
pub struct Erased {
    /// Upcoming events whose RSVP was removed, with the members promoted.
    pub freed: Vec<(i64, Vec<(u64, String)>)>,
    /// Introduction messages to delete: (channel, message).
    pub intro_messages: Vec<(u64, u64)>,
}

/// Erases the member everywhere, in one transaction. Past RSVPs are kept
/// under one random negative id with no name or note, so past reports keep
/// their counts (even unique attendees) without identifying anyone.
pub async fn erase(pool: &SqlitePool, user_id: u64, now: DateTime<Utc>) -> Result<Erased, sqlx::Error> {
    let uid = sql_id(user_id);
    let mut tx = begin_write(pool).await?;
    let mut erased = Erased::default();

    let upcoming: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT e.id, e.capacity FROM rsvps r JOIN events e ON e.id = r.event_id
         WHERE r.user_id = ? AND e.ends_at > ?",
    )
    .bind(uid)
    .bind(to_ts(now))
    .fetch_all(&mut *tx)
    .await?;
    for (event_id, capacity) in upcoming {
        sqlx::query("DELETE FROM rsvps WHERE event_id = ? AND user_id = ?")
            .bind(event_id)
            .bind(uid)
            .execute(&mut *tx)
            .await?;
        let promoted = rsvps::promote(&mut tx, event_id, capacity, now).await?;
        erased.freed.push((event_id, promoted));
    }

    let anonymous: i64 = sqlx::query_scalar("SELECT -(ABS(RANDOM() % 1000000000000) + 1)")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE rsvps SET user_id = ?, user_name = '', note = NULL WHERE user_id = ?")
        .bind(anonymous)
        .bind(uid)
        .execute(&mut *tx)
        .await?;

    let messages: Vec<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT message_channel_id, message_id FROM introductions WHERE user_id = ?")
            .bind(uid)
            .fetch_all(&mut *tx)
            .await?;
    erased.intro_messages = messages
        .into_iter()
        .filter_map(|(c, m)| Some((c? as u64, m? as u64)))
        .collect();
    for statement in [
        "DELETE FROM introductions WHERE user_id = ?",
        "DELETE FROM member_prefs WHERE user_id = ?",
        "DELETE FROM job_deliveries WHERE user_id = ?",
        "DELETE FROM calendar_feeds WHERE user_id = ?",
        "UPDATE events SET created_by = 0 WHERE created_by = ?",
        "UPDATE announcements SET author_id = 0 WHERE author_id = ?",
    ] {
        sqlx::query(statement).bind(uid).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(erased)
}
