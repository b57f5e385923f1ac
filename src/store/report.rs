//! The yearly activity report's figures.

use crate::store::{pick, with_pool, Db};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{from_ts, sql_id, to_ts};
use crate::domain::export::{MonthRow, ReportData, ReportEvent};
use crate::domain::recurrence::resolve_local;

pub(super) fn year_start(year: i32, tz: Tz) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|d| resolve_local(d, tz))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The year's events with their seats, maybes and check-ins, read from
/// each event's counts (kept as answers change, migration 0022) rather
/// than counted over a year's ~67,000 answers. The events come as one JSON
/// array, sorted by [`year`]: sqlx hands rows over one by one, and 1,630
/// rows cost it more (~9 ms) than SQLite's work.
pub(crate) const EVENTS_SQL: &str = "SELECT json_group_array(json_array(e.id, e.title, e.starts_at,
            COALESCE(c.going_seats, 0), COALESCE(c.maybe, 0), COALESCE(c.checked_in, 0)))
         FROM events e LEFT JOIN rsvp_counts c ON c.event_id = e.id
         WHERE e.guild_id = $1 AND e.status = 'scheduled' AND e.starts_at >= $2 AND e.starts_at < $3";
const PG_EVENTS_SQL: &str = "SELECT COALESCE(json_agg(json_build_array(e.id, e.title, e.starts_at,
            COALESCE(c.going_seats, 0), COALESCE(c.maybe, 0), COALESCE(c.checked_in, 0)))::text, '[]')
         FROM events e LEFT JOIN rsvp_counts c ON c.event_id = e.id
         WHERE e.guild_id = $1 AND e.status = 'scheduled' AND e.starts_at >= $2 AND e.starts_at < $3";

pub(crate) const UNIQUE_ATTENDEES_SQL: &str =
    "SELECT COUNT(DISTINCT r.user_id) FROM rsvps r JOIN events e ON e.id = r.event_id
         WHERE e.guild_id = $1 AND e.status = 'scheduled' AND e.starts_at >= $2 AND e.starts_at < $3
           AND (r.status = 'going' OR r.checked_in_at IS NOT NULL)";

pub(crate) const NEW_INTRODUCTIONS_SQL: &str =
    "SELECT COUNT(*) FROM introductions WHERE guild_id = $1 AND created_at >= $2 AND created_at < $3";

/// Events held in `year` (local time): not cancelled and already started.
pub async fn year(
    pool: &Db,
    guild_id: u64,
    year: i32,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<ReportData, sqlx::Error> {
    with_pool!(pool, {
        let from = to_ts(year_start(year, tz));
        let until = to_ts(year_start(year + 1, tz)).min(to_ts(now));
        let gid = sql_id(guild_id);
        // Three statements on three of the pool's connections at once: SQLite
        // runs each connection on its own thread, so the per-event figures and
        // the distinct members (a set of the year's ~46,000 qualifying answers)
        // are computed side by side instead of one after the other. They were
        // already separate statements, each its own snapshot.
        let events = sqlx::query_scalar::<_, String>(pick!(sqlite: EVENTS_SQL, postgres: PG_EVENTS_SQL))
            .bind(gid)
            .bind(from)
            .bind(until)
            .fetch_one(pool);
        let unique_attendees = sqlx::query_scalar::<_, i64>(UNIQUE_ATTENDEES_SQL)
            .bind(gid)
            .bind(from)
            .bind(until)
            .fetch_one(pool);
        let new_introductions = sqlx::query_scalar::<_, i64>(NEW_INTRODUCTIONS_SQL)
            .bind(gid)
            .bind(from)
            .bind(to_ts(year_start(year + 1, tz)))
            .fetch_one(pool);
        let (events, unique_attendees, new_introductions) =
            tokio::try_join!(events, unique_attendees, new_introductions)?;
        let mut rows: Vec<(i64, String, i64, i64, i64, i64)> = super::from_json(&events)?;
        // In date order, as the report lists them (then by id, as created).
        rows.sort_unstable_by_key(|&(id, _, starts, ..)| (starts, id));

        let events: Vec<ReportEvent> = rows
            .into_iter()
            .map(|(_, title, starts, going, maybe, checked_in)| ReportEvent {
                title,
                starts_at: from_ts(starts),
                going,
                maybe,
                checked_in,
            })
            .collect();
        let months = (1..=12)
            .map(|month| {
                let in_month: Vec<&ReportEvent> = events
                    .iter()
                    .filter(|e| e.starts_at.with_timezone(&tz).month() == month)
                    .collect();
                MonthRow {
                    month,
                    events: in_month.len() as i64,
                    going: in_month.iter().map(|e| e.going).sum(),
                    checked_in: in_month.iter().map(|e| e.checked_in).sum(),
                }
            })
            .collect();
        Ok(ReportData {
            year,
            total_going: events.iter().map(|e| e.going).sum(),
            total_checked_in: events.iter().map(|e| e.checked_in).sum(),
            unique_attendees,
            new_introductions,
            events,
            months,
        })
    })
}
