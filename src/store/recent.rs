//! Earlier events a new one can start from (`/event create from:…`).

use crate::store::{with_pool, Db};

use super::events::{Row, COLUMNS};
use super::sql_id;
use crate::domain::event::Event;

/// How many of the server's latest events are looked through: enough to
/// reach back a year of weekly meetups and the events around them.
const LOOKED_AT: i64 = 200;

/// The server's events whose title contains `text`, latest first, one per
/// title (a meetup held every month is offered once, as last held), at
/// most `limit`. Cancelled events are left out.
pub async fn recent(pool: &Db, guild_id: u64, text: &str, limit: usize) -> Result<Vec<Event>, sqlx::Error> {
    with_pool!(pool, {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM events
         WHERE guild_id = $1 AND status = 'scheduled' AND instr(lower(title), lower($2)) > 0
         ORDER BY starts_at DESC LIMIT $3"
        ));
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(sql_id(guild_id))
            .bind(text)
            .bind(LOOKED_AT)
            .fetch_all(pool)
            .await?;
        let mut found: Vec<Event> = Vec::new();
        for event in rows.into_iter().map(Event::from) {
            if found.len() == limit {
                break;
            }
            if !found
                .iter()
                .any(|e| e.title.to_lowercase() == event.title.to_lowercase())
            {
                found.push(event);
            }
        }
        Ok(found)
    })
}
