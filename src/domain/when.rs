//! Natural dates and durations typed by members, in French or English
//! (PRODUCT.md, "Option values"), read in the server's time zone.
//!
//! Conventions, chosen so that what a member types means what they expect:
//! - A day without a time ("demain", "jeudi", "2026-12-03") is 09:00 local: midnight
//!   would put the event in the night before in every reader's mind. "ce soir" /
//!   "tonight" without a time is 20:00, and an hour 1–11 said "ce soir" is p.m.
//! - A weekday is the next such day whose time is still ahead (today counts).
//!   "jeudi prochain" / "next thursday" means the same: people disagree on whether
//!   "next" skips a week, and the autocomplete shows the date before sending.
//! - A time alone is today if still ahead, else tomorrow; a day and month without
//!   a year is the next occurrence not in the past. Explicit dates are kept even if
//!   past, so that the caller can say "that is in the past" rather than "unreadable".
//! - "dans 3 jours" / "in 2 hours" is an exact offset from now (real time, across
//!   daylight saving changes); "dans 3 jours à 18h" is that day at 18:00 (and so
//!   "dans 1 jour 2 heures" is tomorrow at 02:00, the rarer reading losing).
//! - Numeric dates are day first, French style, in both languages: 03/12 is 3 December.
//! - Daylight saving: an ambiguous local time (fall back) is the earlier instant;
//!   a non-existent one (spring forward gap) moves one hour later in wall-clock time.
//! - Anything more than 10 years ahead is `InvalidTime`: a typo, not a plan.

mod grammar;
mod words;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Utc, Weekday,
};
use chrono_tz::Tz;

use crate::domain::Lang;
use grammar::{clock, day_first, duration_tokens, month_first, num, numeric_date, sym, word, Clock, Day};
use words::{is_filler, tokenize, unit, weekday, Tok, Unit};

/// Why a date could not be read. Carries nothing user-facing: the caller translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Not recognisable as a date at all.
    Unreadable,
    /// Shaped like a date but impossible: 25h, 18:75, 13pm, 31/02, or too far ahead.
    InvalidTime,
}

/// Discord options are at most 100 characters; anything much longer is not a date.
const INPUT_MAX: usize = 200;
const DEFAULT_HOUR: u32 = 9;
const EVENING_HOUR: u32 = 20;
const FUTURE_MAX_MONTHS: u32 = 120;
const OFFSETS_MAX: usize = 5;

/// Reads a natural date typed by a member, in French or English, in the server's
/// time zone `tz`, relative to `now`. See the module documentation for conventions.
pub fn parse_when(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    let text = strip_zone(input, tz)?;
    if text.chars().count() > INPUT_MAX {
        return Err(WhenError::Unreadable);
    }
    let t = tokenize(text);
    if !matches!(word(&t, 0), Some("dans" | "in")) {
        return within_range(Some(resolve(&read(&t, 0, None)?, now, tz)?), now);
    }
    // "dans 3 jours à 18h" is a day and a time, not 3 days and 18 hours.
    let days = match (num(&t, 1), word(&t, 2).and_then(unit)) {
        (Some((k, _)), Some(Unit::Day)) if t.len() > 3 => i64::try_from(k).ok(),
        _ => None,
    };
    let as_day = days.map(|k| read(&t, 3, Some(Day::Rel(k))));
    match (as_day, duration_tokens(&t[1..])) {
        (Some(Ok(p)), _) => within_range(Some(resolve(&p, now, tz)?), now),
        (_, Some(d)) => within_range(now.checked_add_signed(d), now),
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

/// Formats offsets back for display and storage, e.g. "24h,1h", "2d,30min", "1h30".
/// Whole days are written in days only from 48h on, so the default stays "24h".
pub fn format_offsets(offsets: &[Duration]) -> String {
    let one = |d: &Duration| {
        let m = d.num_minutes();
        if m >= 2 * 1440 && m % 1440 == 0 {
            format!("{}d", m / 1440)
        } else if m % 60 == 0 {
            format!("{}h", m / 60)
        } else if m < 60 {
            format!("{m}min")
        } else {
            format!("{}h{:02}", m / 60, m % 60)
        }
    };
    offsets.iter().map(one).collect::<Vec<_>>().join(",")
}

/// How the text was understood, for autocomplete, in local time of `tz`:
/// "jeudi 3 décembre 2026, 18:30 (Europe/Paris)" or
/// "Thursday 3 December 2026, 18:30 (Europe/Paris)". Reads back with [`parse_when`].
pub fn describe(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    let (fr_day, en_day) = words::WEEKDAYS[local.weekday().num_days_from_monday() as usize];
    let (fr_month, en_month) = words::MONTHS[local.month0() as usize];
    let capital = |s: &str| s[..1].to_ascii_uppercase() + &s[1..];
    let (weekday, day, month) = match (lang, local.day()) {
        // French says "le 1er", never "le 1".
        (Lang::Fr, 1) => (fr_day.to_string(), "1er".to_string(), fr_month.to_string()),
        (Lang::Fr, d) => (fr_day.to_string(), d.to_string(), fr_month.to_string()),
        (Lang::En, d) => (capital(en_day), d.to_string(), capital(en_month)),
    };
    let (year, time) = (local.year(), local.format("%H:%M"));
    format!("{weekday} {day} {month} {year}, {time} ({})", tz.name())
}

#[derive(Debug, Default)]
struct Parsed {
    day: Option<Day>,
    weekday: Option<Weekday>,
    time: Option<Clock>,
    evening: bool,
}

/// Reads the pieces from `i` on, after an optional day already read.
fn read(t: &[Tok], mut i: usize, day: Option<Day>) -> Result<Parsed, WhenError> {
    let mut p = Parsed {
        day,
        ..Parsed::default()
    };
    while i < t.len() {
        i = step(t, i, &mut p)?;
    }
    // Nothing, or only fillers ("le", "prochain"): nothing was said.
    if p.day.is_none() && p.weekday.is_none() && p.time.is_none() && !p.evening {
        return Err(WhenError::Unreadable);
    }
    Ok(p)
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

/// Consumes one meaningful piece at `i` and returns where the next one starts.
fn step(t: &[Tok], i: usize, p: &mut Parsed) -> Result<usize, WhenError> {
    let set_day = |p: &mut Parsed, d: Day, next: usize| {
        if p.day.replace(d).is_some() {
            return Err(WhenError::Unreadable);
        }
        Ok(next)
    };
    let set_time = |p: &mut Parsed, c: Clock, next: usize| {
        if p.time.replace(c).is_some() {
            return Err(WhenError::Unreadable);
        }
        Ok(next)
    };
    if matches!(sym(t, i), Some(',' | '.')) {
        return Ok(i + 1);
    }
    if let Some(w) = word(t, i) {
        let noon = Clock {
            h: 12,
            m: 0,
            fixed: true,
        };
        match w {
            _ if is_filler(w) => return Ok(i + 1),
            "demain" | "tomorrow" => return set_day(p, Day::Rel(1), i + 1),
            "aujourdhui" | "today" => return set_day(p, Day::Rel(0), i + 1),
            "apres" if word(t, i + 1) == Some("demain") => return set_day(p, Day::Rel(2), i + 2),
            "day" if word(t, i + 1) == Some("after") && word(t, i + 2) == Some("tomorrow") => {
                return set_day(p, Day::Rel(2), i + 3)
            }
            "tonight" => {
                p.evening = true;
                return set_day(p, Day::Rel(0), i + 1);
            }
            "soir" | "evening" => {
                p.evening = true;
                return Ok(i + 1);
            }
            "midi" | "noon" => return set_time(p, noon, i + 1),
            "minuit" | "midnight" => return set_time(p, Clock { h: 0, ..noon }, i + 1),
            _ => {}
        }
        if let Some((d, next)) = month_first(t, i)? {
            return set_day(p, d, next);
        }
        if let Some(wd) = weekday(w) {
            if p.weekday.replace(wd).is_some() {
                return Err(WhenError::Unreadable);
            }
            return Ok(i + 1);
        }
        return Err(WhenError::Unreadable);
    }
    if let Some((c, next)) = clock(t, i)? {
        return set_time(p, c, next);
    }
    if let Some((d, next)) = numeric_date(t, i)? {
        return set_day(p, d, next);
    }
    if let Some((d, next)) = day_first(t, i)? {
        return set_day(p, d, next);
    }
    Err(WhenError::Unreadable)
}

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

fn resolve(p: &Parsed, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    let default = if p.evening { EVENING_HOUR } else { DEFAULT_HOUR };
    let c = p.time.unwrap_or(Clock {
        h: default,
        m: 0,
        fixed: true,
    });
    let h = if p.evening && !c.fixed && (1..12).contains(&c.h) {
        c.h + 12
    } else {
        c.h
    };
    let time = NaiveTime::from_hms_opt(h, c.m, 0).ok_or(WhenError::InvalidTime)?;
    // Not `now.with_timezone(&tz).date_naive()`: that panics at the ends of time.
    let offset = tz.offset_from_utc_datetime(&now.naive_utc()).fix();
    let today = now.naive_utc().checked_add_offset(offset).map(|t| t.date());
    let today = today.ok_or(WhenError::InvalidTime)?;
    let day = p
        .day
        .or((p.evening && p.weekday.is_none()).then_some(Day::Rel(0)));
    let at = |d: NaiveDate| local(tz, d.and_time(time)).map(|t| (d, t));
    // The first candidate day whose instant is still ahead of now.
    let ahead = |days: &mut dyn Iterator<Item = NaiveDate>| {
        days.filter_map(at)
            .find(|(_, t)| *t > now)
            .ok_or(WhenError::InvalidTime)
    };
    let (d, instant) = match day {
        Some(Day::Rel(k)) => Duration::try_days(k)
            .and_then(|k| today.checked_add_signed(k))
            .and_then(at)
            .ok_or(WhenError::InvalidTime)?,
        Some(Day::Full(d)) => at(d).ok_or(WhenError::InvalidTime)?,
        // Eight years always contain a 29 February.
        Some(Day::Yearless(m, d)) => {
            ahead(&mut (0..=8).filter_map(|k| NaiveDate::from_ymd_opt(today.year() + k, m, d)))?
        }
        None => {
            let span = if p.weekday.is_some() { 7 } else { 2 };
            ahead(
                &mut today
                    .iter_days()
                    .take(span + 1)
                    .filter(|d| p.weekday.is_none_or(|w| d.weekday() == w)),
            )?
        }
    };
    if p.weekday.is_some_and(|w| w != d.weekday()) {
        return Err(WhenError::InvalidTime);
    }
    Ok(instant)
}

fn within_range(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<DateTime<Utc>, WhenError> {
    let at = at.ok_or(WhenError::InvalidTime)?;
    match now.checked_add_months(Months::new(FUTURE_MAX_MONTHS)) {
        Some(limit) if at > limit => Err(WhenError::InvalidTime),
        _ => Ok(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Paris;

    /// A Sunday: 11:00 in Paris, 05:00 in New York.
    const NOW: &str = "2026-11-29T10:00:00Z";

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn when_at(input: &str, now: &str, tz: Tz) -> DateTime<Utc> {
        parse_when(input, utc(now), tz).unwrap_or_else(|e| panic!("{input:?}: {e:?}"))
    }

    /// Rows of `input | expected`, the expectation being local wall-clock time.
    fn check_local(table: &str, tz: Tz) {
        for (input, expected) in table.lines().filter_map(|l| l.split_once('|')) {
            let at = when_at(input.trim(), NOW, tz).with_timezone(&tz);
            assert_eq!(
                at.format("%Y-%m-%d %H:%M").to_string(),
                expected.trim(),
                "{input:?} {tz}"
            );
        }
    }

    /// Rows of `input | now | expected`, all in UTC.
    fn check_utc(table: &str, tz: Tz) {
        for row in table.lines().filter(|l| l.contains('|')) {
            let cols: Vec<&str> = row.split('|').map(str::trim).collect();
            assert_eq!(when_at(cols[0], cols[1], tz), utc(cols[2]), "{row}");
        }
    }

    /// Forms whose meaning does not depend on the hour of "now" in the zone.
    const SAME_EVERYWHERE: &str = "
        2026-12-03 18:30                 | 2026-12-03 18:30
        2026-12-03T18:30                 | 2026-12-03 18:30
        2026-12-03T18:30:00              | 2026-12-03 18:30
        2026-12-03                       | 2026-12-03 09:00
        2026/12/03 18h                   | 2026-12-03 18:00
        03/12/2026 18h30                 | 2026-12-03 18:30
        3/12/2026 18:30                  | 2026-12-03 18:30
        3/12/26 18:30                    | 2026-12-03 18:30
        03/12 18h                        | 2026-12-03 18:00
        03.12.2026 18h30                 | 2026-12-03 18:30
        03/11 18h                        | 2027-11-03 18:00
        29/02 10h                        | 2028-02-29 10:00
        3 déc 18h30                      | 2026-12-03 18:30
        3 DEC 18H30                      | 2026-12-03 18:30
        3 décembre 2026 à 18h30          | 2026-12-03 18:30
        3 decembre 2026 a 18h30          | 2026-12-03 18:30
        le 3 déc. à 18h                  | 2026-12-03 18:00
        le   3  déc.   à  18h            | 2026-12-03 18:00
        dec 3 6pm                        | 2026-12-03 18:00
        3 december 18:30                 | 2026-12-03 18:30
        December 3, 2026 6:30 pm         | 2026-12-03 18:30
        December 3, 2026 at 6:30 pm      | 2026-12-03 18:30
        on the 3rd of December at 6pm    | 2026-12-03 18:00
        1er janvier 2027 minuit          | 2027-01-01 00:00
        3 déc                            | 2026-12-03 09:00
        jeudi 18h                        | 2026-12-03 18:00
        jeudi prochain 18h               | 2026-12-03 18:00
        thursday 6pm                     | 2026-12-03 18:00
        Thu 6 pm                         | 2026-12-03 18:00
        next friday 19:00                | 2026-12-04 19:00
        vendredi 19:00                   | 2026-12-04 19:00
        vendredi soir                    | 2026-12-04 20:00
        mar 1er déc 18h                  | 2026-12-01 18:00
        jeu 3 déc 18h                    | 2026-12-03 18:00
        jeudi                            | 2026-12-03 09:00
        jeudi 3 décembre 2026, 18:30     | 2026-12-03 18:30
        demain 9h                        | 2026-11-30 09:00
        demain                           | 2026-11-30 09:00
        demain soir                      | 2026-11-30 20:00
        après-demain 14h                 | 2026-12-01 14:00
        apres demain 14h                 | 2026-12-01 14:00
        aujourd'hui 18h                  | 2026-11-29 18:00
        aujourdhui 18h                   | 2026-11-29 18:00
        ce soir 20h                      | 2026-11-29 20:00
        ce soir 8h                       | 2026-11-29 20:00
        ce soir                          | 2026-11-29 20:00
        tomorrow 6pm                     | 2026-11-30 18:00
        tomorrow at noon                 | 2026-11-30 12:00
        today 18:00                      | 2026-11-29 18:00
        tonight 8pm                      | 2026-11-29 20:00
        tonight                          | 2026-11-29 20:00
        day after tomorrow 10am          | 2026-12-01 10:00
        the day after tomorrow at 10am   | 2026-12-01 10:00
        dans 3 jours à 18h               | 2026-12-02 18:00
        dans 2 jours 18h                 | 2026-12-01 18:00
        in 2 days at 6pm                 | 2026-12-01 18:00
        dans 1 jour 2 heures             | 2026-11-30 02:00
        18h                              | 2026-11-29 18:00
        18h30                            | 2026-11-29 18:30
        18 h 30                          | 2026-11-29 18:30
        18 heures                        | 2026-11-29 18:00
        18h 3 déc                        | 2026-12-03 18:00
        18h30 03/12                      | 2026-12-03 18:30
        18h 1er décembre 2026            | 2026-12-01 18:00
        18h30.                           | 2026-11-29 18:30
        18:30                            | 2026-11-29 18:30
        6pm                              | 2026-11-29 18:00
        6:30pm                           | 2026-11-29 18:30
        6 pm                             | 2026-11-29 18:00
        6:30 p.m.                        | 2026-11-29 18:30
        demain 8 a.m                     | 2026-11-30 08:00
        demain matin                     | 2026-11-30 09:00
        à 18h                            | 2026-11-29 18:00
        a 18h                            | 2026-11-29 18:00
        at 6pm                           | 2026-11-29 18:00
        midi                             | 2026-11-29 12:00
        noon                             | 2026-11-29 12:00
        minuit                           | 2026-11-30 00:00
        midnight                         | 2026-11-30 00:00
        12am                             | 2026-11-30 00:00
        12pm                             | 2026-11-29 12:00
        0h                               | 2026-11-30 00:00
        demain minuit                    | 2026-11-30 00:00
        aujourd'hui 8h                   | 2026-11-29 08:00
        2020-01-01 10:00                 | 2020-01-01 10:00";

    #[test]
    fn forms_in_paris() {
        check_local(SAME_EVERYWHERE, Paris);
    }

    #[test]
    fn forms_in_new_york() {
        check_local(SAME_EVERYWHERE, New_York);
    }

    #[test]
    fn rolling_forward_depends_on_local_now() {
        // 11:00 in Paris, 05:00 in New York, both on Sunday.
        let paris = "10h | 2026-11-30 10:00
                     dimanche | 2026-12-06 09:00
                     sunday 6pm | 2026-11-29 18:00
                     dimanche prochain matin 10h | 2026-12-06 10:00";
        check_local(paris, Paris);
        let new_york = "10h | 2026-11-29 10:00
                        dimanche | 2026-11-29 09:00
                        9am | 2026-11-29 09:00
                        dimanche prochain matin 10h | 2026-11-29 10:00
                        next sunday 10am | 2026-11-29 10:00";
        check_local(new_york, New_York);
    }

    #[test]
    fn offsets_are_exact() {
        let now = utc(NOW);
        for tz in [Paris, New_York] {
            for (input, minutes) in [
                ("dans 2 heures", 120),
                ("dans 30 minutes", 30),
                ("dans 3 jours", 3 * 1440),
                ("dans 1h30", 90),
                ("dans une heure", 60),
                ("in 2 hours", 120),
                ("in 45 minutes", 45),
                ("in 3 days", 3 * 1440),
                ("in an hour", 60),
                ("IN 1 WEEK", 7 * 1440),
                ("dans 1 jour et 2 heures", 26 * 60),
            ] {
                let at = when_at(input, NOW, tz);
                assert_eq!(at - now, Duration::minutes(minutes), "{input}");
            }
        }
    }

    #[test]
    fn errors() {
        let invalid = "25h|24h|18:75|18h75|13pm|0am|31/02|31/02/2027|30/02 18h|32 déc|3/13|\
            2026-13-01|2026-02-30|0/12|2037-01-01|dans 9999999 jours|in 99999999999999 minutes|\
            vendredi 3 décembre 2026|mar 3 déc|18:30:75|99999999999999999999h";
        let unreadable = "|   |blah|demain demain|18h 19h|jeudi vendredi|dans|in|dans deux heures|\
            3|18|18:|demain 9|le|prochain|the, .|8 a|jui 3|december 18h|3 déc (America/New_York)|(Europe/Paris)|\
            in -2 hours|dans 0 minutes|dans 11 ans|2026-12|apres|day after|3 décembres";
        for (table, expected) in [
            (invalid, WhenError::InvalidTime),
            (unreadable, WhenError::Unreadable),
        ] {
            for input in table.split('|') {
                assert_eq!(
                    parse_when(input, utc(NOW), Paris),
                    Err(expected.clone()),
                    "{input:?}"
                );
            }
        }
        assert!(parse_when("2036-11-29 09:00", utc(NOW), Paris).is_ok());
    }

    #[test]
    fn never_panics_on_junk() {
        let parts = [
            "",
            "\"",
            "'",
            "NEAR(",
            ")",
            "(",
            "'; DROP TABLE events; --",
            "OR 1=1",
            "🎉",
            "👨‍👩‍👧",
            "é",
            "ß",
            "İ",
            "日本",
            "\u{0}",
            "\n",
            "-",
            "--",
            ":",
            "::",
            "/",
            ".",
            ",",
            "h",
            "pm",
            "99999999999999999999",
            "0",
            "00",
            "2026",
            "-1",
            "1h",
            "dans",
            "in",
            "jeudi",
            "dec",
            "3",
            "31",
            "29/02",
            "2026-",
            "T",
            "1er",
            "minuit",
            "soir",
            "(Europe/Paris)",
            "à",
            "\u{202e}",
            "０",
            "١٢",
            "½",
        ];
        let mut inputs: Vec<String> = Vec::new();
        for a in parts {
            for b in parts {
                inputs.push(format!("{a}{b}"));
                inputs.push(format!("{a} {b} {a}"));
            }
        }
        inputs.extend(["9".repeat(10_000), "é".repeat(5_000), "18h ".repeat(1_000)]);
        inputs.push("1h,".repeat(1_000));
        let nows = [utc(NOW), DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC];
        for input in &inputs {
            for (tz, now) in [Paris, New_York, chrono_tz::Pacific::Apia, chrono_tz::UTC]
                .into_iter()
                .flat_map(|tz| nows.map(|now| (tz, now)))
            {
                let _ = parse_when(input, now, tz);
            }
            let _ = parse_duration(input);
            let _ = parse_offsets(input);
        }
        assert!(inputs.len() > 500);
    }

    #[test]
    fn daylight_saving_paris() {
        check_utc(
            "2026-03-28 10:00  | 2026-01-15T12:00:00Z | 2026-03-28T09:00:00Z
             2026-03-29 10:00  | 2026-01-15T12:00:00Z | 2026-03-29T08:00:00Z
             2026-03-29 02:30  | 2026-01-15T12:00:00Z | 2026-03-29T01:30:00Z
             2026-10-25 02:30  | 2026-01-15T12:00:00Z | 2026-10-25T00:30:00Z
             2026-10-25 03:30  | 2026-01-15T12:00:00Z | 2026-10-25T02:30:00Z
             2026-10-26 10:00  | 2026-01-15T12:00:00Z | 2026-10-26T09:00:00Z
             demain 9h         | 2026-03-28T12:00:00Z | 2026-03-29T07:00:00Z
             dans 2 heures     | 2026-03-29T00:30:00Z | 2026-03-29T02:30:00Z
             in 2 hours        | 2026-10-24T23:30:00Z | 2026-10-25T01:30:00Z
             jeudi 18h         | 2026-10-20T10:00:00Z | 2026-10-22T16:00:00Z
             jeudi 18h         | 2026-10-23T10:00:00Z | 2026-10-29T17:00:00Z
             jeudi 18h         | 2026-10-27T10:00:00Z | 2026-10-29T17:00:00Z",
            Paris,
        );
        // 02:30 does not exist on 29 March (02:00 jumps to 03:00): read as 03:30 CEST.
        let gap = when_at("2026-03-29 02:30", NOW, Paris).with_timezone(&Paris);
        assert_eq!(gap.format("%H:%M %Z").to_string(), "03:30 CEST");
        // Two hours of real time from 01:30 CET is 04:30 CEST on the wall.
        let at = when_at("dans 2 heures", "2026-03-29T00:30:00Z", Paris).with_timezone(&Paris);
        assert_eq!(at.format("%H:%M").to_string(), "04:30");
        let autumn = when_at("jeudi 18h", "2026-10-27T10:00:00Z", Paris).with_timezone(&Paris);
        assert_eq!(autumn.format("%H:%M %Z").to_string(), "18:00 CET");
    }

    #[test]
    fn daylight_saving_new_york() {
        check_utc(
            "2026-03-07 10:00 | 2026-01-15T12:00:00Z | 2026-03-07T15:00:00Z
             2026-03-08 10:00 | 2026-01-15T12:00:00Z | 2026-03-08T14:00:00Z
             2026-03-08 02:30 | 2026-01-15T12:00:00Z | 2026-03-08T07:30:00Z
             2026-11-01 01:30 | 2026-01-15T12:00:00Z | 2026-11-01T05:30:00Z
             2026-11-02 10:00 | 2026-01-15T12:00:00Z | 2026-11-02T15:00:00Z
             demain 9h        | 2026-03-07T17:00:00Z | 2026-03-08T13:00:00Z",
            New_York,
        );
    }

    #[test]
    fn describes_in_both_languages() {
        let cases = [
            (
                "2026-12-03T17:30:00Z",
                Paris,
                Lang::Fr,
                "jeudi 3 décembre 2026, 18:30 (Europe/Paris)",
            ),
            (
                "2026-12-03T17:30:00Z",
                Paris,
                Lang::En,
                "Thursday 3 December 2026, 18:30 (Europe/Paris)",
            ),
            (
                "2026-12-03T17:30:00Z",
                New_York,
                Lang::En,
                "Thursday 3 December 2026, 12:30 (America/New_York)",
            ),
            (
                "2026-12-03T17:30:00Z",
                New_York,
                Lang::Fr,
                "jeudi 3 décembre 2026, 12:30 (America/New_York)",
            ),
            (
                "2026-12-01T08:05:00Z",
                Paris,
                Lang::Fr,
                "mardi 1er décembre 2026, 09:05 (Europe/Paris)",
            ),
            (
                "2027-08-15T10:00:00Z",
                Paris,
                Lang::Fr,
                "dimanche 15 août 2027, 12:00 (Europe/Paris)",
            ),
            (
                "2027-02-01T00:00:00Z",
                chrono_tz::UTC,
                Lang::En,
                "Monday 1 February 2027, 00:00 (UTC)",
            ),
        ];
        for (at, tz, lang, expected) in cases {
            assert_eq!(describe(utc(at), tz, lang), expected);
        }
    }

    #[test]
    fn descriptions_read_back() {
        let instants = [
            "2026-12-03T17:30:00Z",
            "2026-12-01T08:05:00Z",
            "2027-08-15T10:00:00Z",
            "2027-02-28T23:59:00Z",
        ];
        for tz in [Paris, New_York] {
            for at in instants {
                for lang in [Lang::Fr, Lang::En] {
                    let text = describe(utc(at), tz, lang);
                    assert_eq!(when_at(&text, NOW, tz), utc(at), "{text}");
                }
            }
        }
    }

    #[test]
    fn durations() {
        let minutes = "2h=120|90min=90|90 min=90|1h30=90|1h 30=90|1 h 30=90|45m=45|2 heures=120|\
            2 hours=120|1 jour=1440|1d=1440|1j=1440|30=30| 30 =30|1 day 2 hours=1560|1h et 15min=75|\
            1 semaine=10080|2 Heures=120|1hr=60|une heure=60|1h30min=90";
        for (input, expected) in minutes.split('|').filter_map(|c| c.split_once('=')) {
            let expected = Duration::minutes(expected.parse().unwrap());
            assert_eq!(parse_duration(input), Some(expected), "{input}");
        }
        let nothing = "|abc|0|0h|-5|1.5h|1,5h|h|30min 2h|1h 2h|1 jour 2|1h 90|2 heures heures|une|\
            99999999999999999999 weeks";
        for input in nothing.split('|') {
            assert_eq!(parse_duration(input), None, "{input}");
        }
    }

    #[test]
    fn offsets() {
        let m = Duration::minutes;
        assert_eq!(parse_offsets("24h,1h"), Some(vec![m(1440), m(60)]));
        assert_eq!(parse_offsets("2d, 30min"), Some(vec![m(2880), m(30)]));
        assert_eq!(parse_offsets("1h,24h"), Some(vec![m(1440), m(60)]));
        assert_eq!(parse_offsets("24h 1h"), Some(vec![m(1440), m(60)]));
        assert_eq!(parse_offsets("1h, 60min, 1h"), Some(vec![m(60)]));
        assert_eq!(parse_offsets("1h 30, 2 heures"), Some(vec![m(120), m(90)]));
        let five = vec![m(1440), m(300), m(240), m(180), m(120)];
        assert_eq!(parse_offsets("1d,2h,3h,4h,5h"), Some(five));
        for input in ["", " , ", "1d,2h,3h,4h,5h,6h", "24h,abc", "0", "24h,0", "-1h"] {
            assert_eq!(parse_offsets(input), None, "{input}");
        }
    }

    #[test]
    fn formats_offsets() {
        let m = Duration::minutes;
        assert_eq!(format_offsets(&[m(1440), m(60)]), "24h,1h");
        assert_eq!(format_offsets(&[m(2880), m(30)]), "2d,30min");
        assert_eq!(format_offsets(&[m(90), m(65)]), "1h30,1h05");
        assert_eq!(format_offsets(&[m(4320), m(1500)]), "3d,25h");
        assert_eq!(format_offsets(&[]), "");
        for text in ["24h,1h", "2d,30min", "1h30,1h05", "3d,25h,45min"] {
            assert_eq!(
                parse_offsets(text).map(|o| format_offsets(&o)).as_deref(),
                Some(text)
            );
        }
    }
}
