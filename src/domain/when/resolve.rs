//! Placing what was read on the calendar of the server's time zone: which day,
//! which instant across daylight saving, how long a range lasts, and the limits.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Utc, Weekday,
};
use chrono_tz::Tz;

use super::grammar::{Clock, Day};
use super::read::Parsed;
use super::{Span, WhenError, FUTURE_MAX_MONTHS};

const DEFAULT_HOUR: u32 = 9;

/// Places a wall-clock time in `tz`: earlier instant when ambiguous (fall back), one
/// hour later when it does not exist (spring forward). Loops because a few zones
/// have skipped more than an hour (whole days, around the date line).
fn local(tz: Tz, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    let mut wall = wall;
    for _ in 0..48 {
        match tz.from_local_datetime(&wall) {
            LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, b) => return Some(a.min(b).with_timezone(&Utc)),
            LocalResult::None => wall = wall.checked_add_signed(Duration::try_hours(1)?)?,
        }
    }
    None
}

/// The local wall clock of `now` in `tz`. Not `now.with_timezone(&tz)`: that
/// panics at the ends of time.
fn wall_now(now: DateTime<Utc>, tz: Tz) -> Option<NaiveDateTime> {
    let offset = tz.offset_from_utc_datetime(&now.naive_utc()).fix();
    now.naive_utc().checked_add_offset(offset)
}

/// "dans 2 mois": the same wall-clock time `k` calendar months on (the last day
/// of the month when it is shorter).
pub(super) fn in_months(k: i64, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    let k = u32::try_from(k).ok().filter(|k| *k > 0)?;
    local(tz, wall_now(now, tz)?.checked_add_months(Months::new(k))?)
}

/// Applies the part of the day: "ce soir 8h" is 20:00, "ce soir" alone 20:00.
fn wall_time(c: Clock, p: &Parsed) -> Result<NaiveTime, WhenError> {
    let h = match p.part {
        Some(part) if part.is_pm() && !c.fixed && (1..12).contains(&c.h) => c.h + 12,
        _ => c.h,
    };
    NaiveTime::from_hms_opt(h, c.m, 0).ok_or(WhenError::InvalidTime)
}

/// The first date from `today` on (within `tries`) made by `make`.
fn first_from(today: NaiveDate, tries: i32, make: impl Fn(i32) -> Option<NaiveDate>) -> Option<NaiveDate> {
    (0..=tries).filter_map(make).find(|d| *d >= today)
}

/// The day said, and whether "the first one still ahead of now" must be searched
/// from it (a weekday or a time alone).
fn day_of(p: &Parsed, today: NaiveDate) -> Result<(NaiveDate, Option<u64>), WhenError> {
    let plus = |d: NaiveDate, k: i64| Duration::try_days(k).and_then(|k| d.checked_add_signed(k));
    let from_monday = |w: Weekday| i64::from(w.num_days_from_monday());
    let day = p
        .day
        .or((p.part.is_some() && p.weekday.is_none() && !p.week).then_some(Day::Rel(0)));
    let found = match (day, p.weekday) {
        (Some(Day::Rel(k)), _) => plus(today, k),
        (Some(Day::Full(d)), _) => Some(d),
        // Eight years always contain a 29 February.
        (Some(Day::Yearless(m, d)), _) => {
            first_from(today, 8, |k| NaiveDate::from_ymd_opt(today.year() + k, m, d))
        }
        (Some(Day::OfMonth(d)), _) => first_from(today, 12, |k| {
            let month = today
                .with_day(1)?
                .checked_add_months(Months::new(u32::try_from(k).ok()?))?;
            month.with_day(d)
        }),
        (Some(Day::Months(k)), _) => u32::try_from(k)
            .ok()
            .and_then(|k| today.checked_add_months(Months::new(k))),
        (None, w) if p.week => plus(today, 7 - from_monday(today.weekday()) + w.map_or(0, from_monday)),
        // "lundi en huit" said on a Monday is in a week, whatever the time.
        (None, Some(w)) if p.next || p.later > 0 => {
            let skip = i64::from(p.next && p.later == 0);
            plus(
                today,
                skip + (from_monday(w) - from_monday(today.weekday()) - skip).rem_euclid(7),
            )
        }
        (None, Some(_)) => return Ok((today, Some(7))),
        (None, None) => return Ok((today, Some(2))),
    };
    let d = found.ok_or(WhenError::InvalidTime)?;
    Ok((plus(d, p.later).ok_or(WhenError::InvalidTime)?, None))
}

/// Places the parsed pieces: the start instant, and the end for a range.
pub(super) fn resolve(p: &Parsed, now: DateTime<Utc>, tz: Tz) -> Result<Span, WhenError> {
    let default = p.part.map_or(DEFAULT_HOUR, |part| part.default_hour());
    let time = wall_time(
        p.time.unwrap_or(Clock {
            h: default,
            m: 0,
            fixed: true,
        }),
        p,
    )?;
    let end = p.end.map(|c| wall_time(c, p)).transpose()?;
    let today = wall_now(now, tz).ok_or(WhenError::InvalidTime)?.date();
    let at = |d: NaiveDate| local(tz, d.and_time(time));
    let (d, start) = match day_of(p, today)? {
        (d, None) => (d, at(d).ok_or(WhenError::InvalidTime)?),
        // The first candidate day whose instant is still ahead of now.
        (from, Some(span)) => from
            .iter_days()
            .take(span as usize + 1)
            .filter(|d| p.weekday.is_none_or(|w| d.weekday() == w))
            .filter_map(|d| at(d).map(|t| (d, t)))
            .find(|(_, t)| *t > now)
            .ok_or(WhenError::InvalidTime)?,
    };
    let span = |d: NaiveDate, start: DateTime<Utc>| -> Result<Span, WhenError> {
        let Some(end) = end else {
            return Ok(Span {
                start,
                duration: None,
            });
        };
        if end == time {
            return Err(WhenError::InvalidTime);
        }
        // An end before the start is the next day's: "22h-2h".
        let end_day = if end > time { Some(d) } else { d.succ_opt() };
        let finish = end_day.and_then(|e| local(tz, e.and_time(end)));
        let duration = finish.map(|f| f - start).filter(|l| *l > Duration::zero());
        Ok(Span {
            start,
            duration: Some(duration.ok_or(WhenError::InvalidTime)?),
        })
    };
    let read = span(d, start)?;
    within_range(Some(read.start), now)?;
    match p.weekday {
        Some(w) if w != d.weekday() => {
            // The weekday said nearest the date: 18 December for "vendredi 19 décembre".
            let delta = (i64::from(w.num_days_from_monday()) - i64::from(d.weekday().num_days_from_monday())
                + 3)
            .rem_euclid(7)
                - 3;
            let other = Duration::try_days(delta).and_then(|k| d.checked_add_signed(k));
            let other = other.and_then(|o| at(o).map(|t| (o, t)));
            let (o, o_start) = other.ok_or(WhenError::InvalidTime)?;
            Err(WhenError::WeekdayMismatch {
                date: d,
                said: w,
                readings: [span(o, o_start)?, read],
            })
        }
        _ => Ok(read),
    }
}

/// Refuses what is further ahead than [`FUTURE_MAX_MONTHS`]; `None` is an instant
/// past the end of the calendar, so too far as well.
pub(super) fn within_range(
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, WhenError> {
    let limit = now.checked_add_months(Months::new(FUTURE_MAX_MONTHS));
    match (at, limit) {
        (Some(at), Some(limit)) if at > limit => Err(WhenError::TooFar { limit }),
        (Some(at), _) => Ok(at),
        (None, Some(limit)) => Err(WhenError::TooFar { limit }),
        (None, None) => Err(WhenError::InvalidTime),
    }
}
