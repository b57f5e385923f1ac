//! The yearly activity report's figures.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::SqlitePool;

use super::{from_ts, sql_id, to_ts};
use crate::domain::export::{MonthRow, ReportData, ReportEvent};
use crate::domain::recurrence::resolve_local;

fn year_start(year: i32, tz: Tz) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|d| resolve_local(d, tz))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Grouped in the order `events_by_guild_start` gives (start, then id), so
/// the year's answers are summed as the index walk reads them instead of
/// being sorted first in a temporary B-tree, twice (`GROUP BY e.id` then
/// `ORDER BY e.starts_at`); an event is still one group.
pub(crate) const EVENTS_SQL: &str = "SELECT e.title, e.starts_at,
            COALESCE(SUM(CASE WHEN r.status = 'going' THEN 1 + r.guests END), 0),
            COALESCE(SUM(r.status = 'maybe'), 0),
            COALESCE(SUM(r.checked_in_at IS NOT NULL), 0)
         FROM events e LEFT JOIN rsvps r ON r.event_id = e.id
         WHERE e.guild_id = ? AND e.status = 'scheduled' AND e.starts_at >= ? AND e.starts_at < ?
         GROUP BY e.starts_at, e.id ORDER BY e.starts_at, e.id";

pub(crate) const UNIQUE_ATTENDEES_SQL: &str =
    "SELECT COUNT(DISTINCT r.user_id) FROM rsvps r JOIN events e ON e.id = r.event_id
         WHERE e.guild_id = ? AND e.status = 'scheduled' AND e.starts_at >= ? AND e.starts_at < ?
           AND (r.status = 'going' OR r.checked_in_at IS NOT NULL)";

pub(crate) const NEW_INTRODUCTIONS_SQL: &str =
    "SELECT COUNT(*) FROM introductions WHERE guild_id = ? AND created_at >= ? AND created_at < ?";

/// Events held in `year` (local time): not cancelled and already started.
pub async fn year(
    pool: &SqlitePool,
    guild_id: u64,
    year: i32,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<ReportData, sqlx::Error> {
    let from = to_ts(year_start(year, tz));
    let until = to_ts(year_start(year + 1, tz)).min(to_ts(now));
    let gid = sql_id(guild_id);
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(EVENTS_SQL)
        .bind(gid)
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await?;
    let unique_attendees: i64 = sqlx::query_scalar(UNIQUE_ATTENDEES_SQL)
        .bind(gid)
        .bind(from)
        .bind(until)
        .fetch_one(pool)
        .await?;
    let new_introductions: i64 = sqlx::query_scalar(NEW_INTRODUCTIONS_SQL)
        .bind(gid)
        .bind(from)
        .bind(to_ts(year_start(year + 1, tz)))
        .fetch_one(pool)
        .await?;

    let events: Vec<ReportEvent> = rows
        .into_iter()
        .map(|(title, starts, going, maybe, checked_in)| ReportEvent {
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
}
