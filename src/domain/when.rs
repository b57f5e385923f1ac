//! Natural dates and durations typed by members, in French or English
//! (PRODUCT.md, "Option values"), read in the server's time zone.
//!
//! Conventions, chosen so that what a member types means what they expect:
//! - A day without a time ("demain", "jeudi", "2026-12-03") is 09:00 local: midnight
//!   would put the event in the night before in every reader's mind. A part of the
//!   day without a time is its usual start: "matin" / "morning" 09:00, "après-midi" /
//!   "afternoon" 14:00, "soir" / "tonight" 20:00; said alone ("ce matin") it is today.
//!   An hour 1–11 said in the afternoon or evening is p.m. ("ce soir 8h" is 20:00).
//! - A weekday is the next such day whose time is still ahead (today counts).
//!   With "prochain" / "next" today never counts: "mardi prochain" said on a Tuesday
//!   is next week's, said on a Sunday it is in two days. "lundi en huit" is a week
//!   after the coming Monday (today counts), "en quinze" two weeks.
//!   "la semaine prochaine" / "next week" is next week's Monday (or the weekday said).
//! - A time alone is today if still ahead, else tomorrow. A day and month without a
//!   year is this year's unless that day is already behind us, then next year's:
//!   "1/12 10h" said on 1 December at noon is today, in the past, as "aujourd'hui 10h"
//!   is. "le 3" / "the 3rd" is likewise this month's 3rd, or next month's.
//! - Explicit dates are kept even if past ("hier 18h", "2020-01-01"), so that the
//!   caller can say "that is in the past" rather than "unreadable".
//! - "dans 3 jours" / "in 2 hours" is an exact offset from now (real time, across
//!   daylight saving changes); "dans 3 jours à 18h" is that day at 18:00 (and so
//!   "dans 1 jour 2 heures" is tomorrow at 02:00, the rarer reading losing).
//!   "dans 1 mois" / "in 1 month" is the same wall-clock time a calendar month on.
//! - A range of times ("18h30-20h", "de 14h à 17h", "from 2pm to 5pm") sets a start
//!   and a duration; an end not after the start is on the next day ("22h-2h").
//! - Numeric dates are day first, French style, in both languages: 03/12 is 3 December.
//! - Daylight saving: an ambiguous local time (fall back) is the earlier instant;
//!   a non-existent one (spring forward gap) moves one hour later in wall-clock time.
//! - A weekday that is not the date's ("vendredi 19 décembre 2026", a Saturday) is
//!   [`WhenError::WeekdayMismatch`], with both readings for the member to pick.
//! - Anything more than 10 years ahead is [`WhenError::TooFar`]: a typo, not a plan.

mod describe;
mod grammar;
mod read;
mod resolve;
#[cfg(test)]
mod tests;
mod words;

use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

pub use describe::{describe, describe_date, describe_span, weekday_name};
use grammar::{duration_tokens, num, word, Day};
use read::read;
use resolve::{in_months, resolve, within_range};
use words::{tokenize, unit, Unit};

/// Why a date could not be read. Carries nothing user-facing: the caller translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Not recognisable as a date at all.
    Unreadable,
    /// Shaped like a date but impossible: 25h, 18:75, 13pm, 31/02.
    InvalidTime,
    /// Read, but further ahead than allowed; `limit` is the last instant accepted.
    TooFar { limit: DateTime<Utc> },
    /// A weekday said with a date that falls on another one. `readings` are, in this
    /// order, the weekday said nearest the date and the date as written, both at the
    /// time said.
    WeekdayMismatch {
        date: NaiveDate,
        said: Weekday,
        readings: [Span; 2],
    },
}

/// What a date option said: when it starts and, for a range ("18h-20h"), how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The instant it starts.
    pub start: DateTime<Utc>,
    /// Only for ranges; always positive and under two days.
    pub duration: Option<Duration>,
}

/// Discord options are at most 100 characters; anything much longer is not a date.
const INPUT_MAX: usize = 200;
/// How far ahead a date may be, in calendar months.
pub const FUTURE_MAX_MONTHS: u32 = 120;
const OFFSETS_MAX: usize = 5;

/// Reads a natural date typed by a member, in French or English, in the server's
/// time zone `tz`, relative to `now`: its start only (see [`parse_span`]).
pub fn parse_when(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    parse_span(input, now, tz).map(|s| s.start)
}

/// Reads a natural date or range of times typed by a member, in the server's time
/// zone `tz`, relative to `now`. See the module documentation for conventions.
pub fn parse_span(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<Span, WhenError> {
    let text = strip_zone(input, tz)?;
    if text.chars().count() > INPUT_MAX {
        return Err(WhenError::Unreadable);
    }
    let t = tokenize(text);
    if !matches!(word(&t, 0), Some("dans" | "in")) {
        return resolve(&read(&t, 0, None)?, now, tz);
    }
    let count = match (num(&t, 1), word(&t, 1)) {
        (Some((k, _)), _) => i64::try_from(k).ok(),
        (None, Some("un" | "une" | "a" | "an")) => Some(1),
        _ => None,
    };
    let months = matches!(word(&t, 2), Some("mois" | "month" | "months"));
    // "dans 3 jours à 18h" is a day and a time, not 3 days and 18 hours.
    let day = match (count, word(&t, 2).and_then(unit)) {
        _ if t.len() <= 3 => None,
        (Some(k), Some(Unit::Day)) => Some(Day::Rel(k)),
        (Some(k), Some(Unit::Week)) => k.checked_mul(7).map(Day::Rel),
        (Some(k), None) if months => Some(Day::Months(k)),
        _ => None,
    };
    if let (Some(k), true, None) = (count, months, day) {
        let start = within_range(in_months(k, now, tz), now)?;
        return Ok(Span {
            start,
            duration: None,
        });
    }
    let as_day = day.map(|d| read(&t, 3, Some(d)));
    match (as_day, duration_tokens(&t[1..])) {
        (Some(Ok(p)), _) => resolve(&p, now, tz),
        (_, Some(d)) => Ok(Span {
            start: within_range(now.checked_add_signed(d), now)?,
            duration: None,
        }),
        (Some(Err(e)), None) => Err(e),
        (None, None) => Err(WhenError::Unreadable),
    }
}

/// Reads a duration: "2h", "90min", "90 min", "1h30", "1h 30", "45m", "2 heures",
/// "2 hours", "1 jour", "1d", "1 semaine", "30" (a bare number is minutes).
/// Always positive: zero is `None`.
pub fn parse_duration(input: &str) -> Option<Duration> {
    if input.chars().count() > INPUT_MAX {
        return None;
    }
    duration_tokens(&tokenize(input))
}

/// Reads reminder offsets like "24h,1h" or "2d, 30min": comma or space separated,
/// each read by [`parse_duration`], at most 5 once deduplicated, longest first.
pub fn parse_offsets(input: &str) -> Option<Vec<Duration>> {
    if input.chars().count() > INPUT_MAX {
        return None;
    }
    let mut out = Vec::new();
    for piece in input.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        // "24h 1h" is two offsets, but "1h 30" and "2 heures" are one: split on
        // spaces only when every word carries its own unit.
        let words: Vec<&str> = piece.split_whitespace().collect();
        let each: Option<Vec<Duration>> =
            if words.len() > 1 && words.iter().all(|w| w.chars().any(char::is_alphabetic)) {
                words.iter().map(|w| parse_duration(w)).collect()
            } else {
                None
            };
        match each {
            Some(v) => out.extend(v),
            None => out.push(parse_duration(piece)?),
        }
    }
    out.sort_by(|a, b| b.cmp(a));
    out.dedup();
    (!out.is_empty() && out.len() <= OFFSETS_MAX).then_some(out)
}

/// Formats offsets back for storage, e.g. "24h,1h", "2d,30min", "1h30": the
/// English form of [`crate::domain::format::offsets`], which both languages read.
pub fn format_offsets(offsets: &[Duration]) -> String {
    crate::domain::format::offsets(offsets, crate::domain::Lang::En)
}

/// Autocomplete echoes "(Europe/Paris)"; accept it back only if it is this server's zone.
fn strip_zone(input: &str, tz: Tz) -> Result<&str, WhenError> {
    let trimmed = input.trim();
    match (trimmed.strip_suffix(')'), trimmed.rfind('(')) {
        (Some(head), Some(open)) => {
            if head[open + 1..].trim().eq_ignore_ascii_case(tz.name()) {
                Ok(&head[..open])
            } else {
                Err(WhenError::Unreadable)
            }
        }
        _ => Ok(trimmed),
    }
}
