//! Everything held about one member: export and erasure.

use crate::store::{pick, with_pool, Db};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{begin_write, rsvps, sql_id, to_ts};

/// The columns that name a member. Every table holding one of them is
/// exported, read from the schema itself, so a table added later cannot be
/// forgotten.
const MEMBER_COLUMNS: [&str; 3] = ["user_id", "author_id", "created_by"];

/// Every row that names the member, as JSON, across every server: one list
/// per table (`calendar_feeds`, `job_deliveries`, `member_prefs`, …), all
/// columns. Ids are strings (snowflakes do not fit a JavaScript number);
/// times are unix seconds, UTC, as stored.
pub async fn export(pool: &Db, user_id: u64) -> Result<Value, sqlx::Error> {
    with_pool!(pool, {
        let uid = sql_id(user_id);
        let columns: Vec<(String, String)> = sqlx::query_as(pick!(
            sqlite: "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
         ORDER BY m.name, p.cid",
            // The search column is the introduction's own text, indexed.
            postgres: "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'
           AND data_type <> 'tsvector'
         ORDER BY table_name, ordinal_position",
        ))
        .fetch_all(pool)
        .await?;
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for (table, column) in columns {
            match tables.last_mut() {
                Some((name, list)) if *name == table => list.push(column),
                _ => tables.push((table, vec![column])),
            }
        }
        let mut out = Map::new();
        for (table, columns) in tables {
            let matching: Vec<&String> = columns
                .iter()
                .filter(|c| MEMBER_COLUMNS.contains(&c.as_str()))
                .collect();
            if matching.is_empty() {
                continue;
            }
            let fields: Vec<String> = columns
                .iter()
                .map(|c| {
                    if c.ends_with("_id") || c == "id" || c == "created_by" {
                        format!("'{c}', CAST(t.\"{c}\" AS TEXT)")
                    } else {
                        format!("'{c}', t.\"{c}\"")
                    }
                })
                .collect();
            // An answer names its event by title too, as the member knew it.
            let (extra, join) = if table == "rsvps" {
                (
                    ", 'event_title', e.title",
                    " LEFT JOIN events e ON e.id = t.event_id",
                )
            } else {
                ("", "")
            };
            let condition: Vec<String> = matching.iter().map(|c| format!("t.\"{c}\" = $1")).collect();
            // Names come from the schema, not from anyone's input.
            let (open, close) = pick!(
                sqlite: ("json_group_array(json_object(", "))"),
                postgres: ("COALESCE(json_agg(json_build_object(", "))::text, '[]')"),
            );
            let sql = format!(
                "SELECT {open}{}{extra}{close} FROM \"{table}\" t{join} WHERE {}",
                fields.join(", "),
                condition.join(" OR ")
            );
            let rows: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(uid)
                .fetch_one(pool)
                .await?;
            out.insert(table, super::from_json(&rows)?);
        }
        Ok(json!({
            "user_id": user_id.to_string(),
            "times": "unix seconds, UTC",
            "tables": out,
        }))
    })
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
/// for the reports, each under its own random negative id, with no name,
/// note or time of their own; then the write-ahead log is emptied so the
/// erased text is gone from the files too (with `secure_delete`, freed
/// space is zeroed).
pub async fn erase(pool: &Db, user_id: u64, now: DateTime<Utc>) -> Result<Erased, sqlx::Error> {
    with_pool!(pool, {
        let uid = sql_id(user_id);
        let mut tx = begin_write(pool).await?;
        let mut erased = Erased::default();

        let upcoming: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT e.id, e.capacity FROM rsvps r JOIN events e ON e.id = r.event_id
         WHERE r.user_id = $1 AND e.ends_at > $2",
        )
        .bind(uid)
        .bind(to_ts(now))
        .fetch_all(&mut *tx)
        .await?;
        for (event_id, capacity) in upcoming {
            sqlx::query("DELETE FROM rsvps WHERE event_id = $1 AND user_id = $2")
                .bind(event_id)
                .bind(uid)
                .execute(&mut *tx)
                .await?;
            let promoted = rsvps::promote::promote_waitlist(&mut tx, event_id, capacity, now).await?;
            erased.freed.push((event_id, promoted));
        }

        // Each past answer gets its own random id (no pseudonym links them to
        // one another) and the event's start for its times: the report still
        // counts it, attended or checked in, and nothing tells when this member
        // answered or arrived.
        let random_id = pick!(
            sqlite: "-(ABS(RANDOM() % 1000000000000) + 1)",
            postgres: "-(floor(random() * 1000000000000)::bigint + 1)",
        );
        let anonymize = format!(
            "UPDATE rsvps SET user_id = {random_id}, user_name = '', note = NULL,
             responded_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id),
             checked_in_at = CASE WHEN checked_in_at IS NULL THEN NULL
                 ELSE (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id) END
         WHERE user_id = $1"
        );
        sqlx::query(sqlx::AssertSqlSafe(anonymize))
            .bind(uid)
            .execute(&mut *tx)
            .await?;

        let messages: Vec<(Option<i64>, Option<i64>)> =
            sqlx::query_as("SELECT message_channel_id, message_id FROM introductions WHERE user_id = $1")
                .bind(uid)
                .fetch_all(&mut *tx)
                .await?;
        erased.intro_messages = messages
            .into_iter()
            .filter_map(|(c, m)| Some((c? as u64, m? as u64)))
            .collect();
        for statement in [
            "DELETE FROM introductions WHERE user_id = $1",
            "DELETE FROM member_prefs WHERE user_id = $1",
            "DELETE FROM job_deliveries WHERE user_id = $1",
            "DELETE FROM jobs WHERE kind = 'promoted' AND detail = $1",
            "DELETE FROM calendar_feeds WHERE user_id = $1",
            "UPDATE events SET created_by = 0 WHERE created_by = $1",
            "UPDATE announcements SET author_id = 0 WHERE author_id = $1",
            // A poll's answers are the member's; its counts lose them.
            "DELETE FROM poll_answers WHERE user_id = $1",
            "UPDATE polls SET created_by = 0 WHERE created_by = $1",
        ] {
            sqlx::query(statement).bind(uid).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        if <Engine as super::engine::Dialect>::POSTGRES {
            // PostgreSQL's autovacuum reclaims the deleted rows' space; the
            // host's backups are theirs to rotate (README).
            return Ok(erased);
        }
        // Until a checkpoint, the file still holds the old pages and the log the
        // old frames; TRUNCATE copies the zeroed pages back and empties the log.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await?;
        if busy != 0 {
            tracing::warn!(
                "erasure committed, but readers kept the log from being emptied; the next checkpoint will"
            );
        }
        Ok(erased)
    })
}
