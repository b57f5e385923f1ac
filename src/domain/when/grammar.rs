//! The token grammar of [`super`]: clock times, dates and durations, each read at
//! a position and returning where it stopped (`Ok(None)` when it is not there).

use chrono::{Duration, NaiveDate};

use super::words::{month, unit, Tok, Unit};
use super::WhenError;

/// A day as typed, before it is placed on the calendar.
#[derive(Debug, Clone, Copy)]
pub(super) enum Day {
    Rel(i64),
    Full(NaiveDate),
    /// Month and day, no year.
    Yearless(u32, u32),
    /// A day of the month alone: "le 3", "the 3rd".
    OfMonth(u32),
    /// Calendar months from today: "dans 2 mois à 18h".
    Months(i64),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Clock {
    pub(super) h: u32,
    pub(super) m: u32,
    /// Said with am/pm or as a word (midi), so "ce soir" must not shift it.
    pub(super) fixed: bool,
}

pub(super) fn word(t: &[Tok], i: usize) -> Option<&str> {
    match t.get(i) {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

pub(super) fn num(t: &[Tok], i: usize) -> Option<(u64, usize)> {
    match t.get(i) {
        Some(Tok::Num(v, len)) => Some((*v, *len)),
        _ => None,
    }
}

pub(super) fn sym(t: &[Tok], i: usize) -> Option<char> {
    match t.get(i) {
        Some(Tok::Sym(c)) => Some(*c),
        _ => None,
    }
}

/// Numbers are capped at tokenizing, so this only guards the conversion.
fn small(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn is_hour_word(w: &str) -> bool {
    matches!(w, "h" | "heure" | "heures")
}

/// "pm", "p.m.", "p.m": whether afternoon, and where it ends.
fn meridiem(t: &[Tok], i: usize) -> Option<(bool, usize)> {
    let (pm, dotted) = match word(t, i)? {
        "am" => (false, false),
        "pm" => (true, false),
        "a" => (false, true),
        "p" => (true, true),
        _ => return None,
    };
    if !dotted {
        return Some((pm, i + 1));
    }
    if sym(t, i + 1) != Some('.') || word(t, i + 2) != Some("m") {
        return None;
    }
    Some((pm, if sym(t, i + 3) == Some('.') { i + 4 } else { i + 3 }))
}

fn clock24(h: u64, m: u64) -> Result<Clock, WhenError> {
    if h > 23 || m > 59 {
        return Err(WhenError::InvalidTime);
    }
    Ok(Clock {
        h: small(h),
        m: small(m),
        fixed: false,
    })
}

fn clock12(h: u64, m: u64, pm: bool) -> Result<Clock, WhenError> {
    if !(1..=12).contains(&h) || m > 59 {
        return Err(WhenError::InvalidTime);
    }
    let h = small(h) % 12 + if pm { 12 } else { 0 };
    Ok(Clock {
        h,
        m: small(m),
        fixed: true,
    })
}

/// "18h", "18h30", "18 heures", "18:30", "18:30:00", "6:30pm", "6pm", "6 p.m.".
pub(super) fn clock(t: &[Tok], i: usize) -> Result<Option<(Clock, usize)>, WhenError> {
    let Some((h, _)) = num(t, i) else {
        return Ok(None);
    };
    if word(t, i + 1).is_some_and(is_hour_word) {
        // In "18h 3 déc" or "18h 03/12" the number after "h" is a day, not minutes;
        // in "18h30-20h" it is minutes, a range following.
        let date_sym = matches!(sym(t, i + 3), Some('/' | '.' | '-')) && num(t, i + 4).is_some();
        let day_follows = (date_sym && !matches!(clock(t, i + 4), Ok(Some(_)) | Err(_)))
            || word(t, i + 3).is_some_and(|w| month(w).is_some() || ORDINALS.contains(&w));
        return match num(t, i + 2) {
            Some((m, len)) if len <= 2 && !day_follows => Ok(Some((clock24(h, m)?, i + 3))),
            _ => Ok(Some((clock24(h, 0)?, i + 2))),
        };
    }
    if let Some((pm, next)) = meridiem(t, i + 1) {
        return Ok(Some((clock12(h, 0, pm)?, next)));
    }
    if sym(t, i + 1) != Some(':') {
        return Ok(None);
    }
    let Some((m, _)) = num(t, i + 2) else {
        return Ok(None);
    };
    let mut next = i + 3;
    if let (Some(':'), Some((s, _))) = (sym(t, next), num(t, next + 1)) {
        if s > 59 {
            return Err(WhenError::InvalidTime);
        }
        next += 2;
    }
    match meridiem(t, next) {
        Some((pm, end)) => Ok(Some((clock12(h, m, pm)?, end))),
        None => Ok(Some((clock24(h, m)?, next))),
    }
}

fn full_date(y: u64, m: u64, d: u64) -> Result<Day, WhenError> {
    let y = i32::try_from(y).map_err(|_| WhenError::InvalidTime)?;
    NaiveDate::from_ymd_opt(y, small(m), small(d))
        .map(Day::Full)
        .ok_or(WhenError::InvalidTime)
}

fn date(d: u64, m: u64, y: Option<u64>) -> Result<Day, WhenError> {
    match y {
        Some(y) => full_date(y, m, d),
        None if (1..=31).contains(&d) && (1..=12).contains(&m) => Ok(Day::Yearless(small(m), small(d))),
        None => Err(WhenError::InvalidTime),
    }
}

/// "2026-12-03", "2026/12/03", "03/12/2026", "3.12.26", "03/12".
pub(super) fn numeric_date(t: &[Tok], i: usize) -> Result<Option<(Day, usize)>, WhenError> {
    let (Some((a, alen)), Some(s), Some((b, blen))) = (num(t, i), sym(t, i + 1), num(t, i + 2)) else {
        return Ok(None);
    };
    if !matches!(s, '-' | '/' | '.') || blen > 2 {
        return Ok(None);
    }
    let third = num(t, i + 4).filter(|_| sym(t, i + 3) == Some(s));
    match (alen, third) {
        (4, Some((c, clen))) if clen <= 2 => Ok(Some((full_date(a, b, c)?, i + 5))),
        (1 | 2, Some((y, 4))) => Ok(Some((date(a, b, Some(y))?, i + 5))),
        (1 | 2, Some((y, 2))) => Ok(Some((date(a, b, Some(2000 + y))?, i + 5))),
        (1 | 2, None) => Ok(Some((date(a, b, None)?, i + 3))),
        _ => Ok(None),
    }
}

/// An optional four-digit year, possibly after a comma ("December 3, 2026").
fn year(t: &[Tok], j: usize) -> (Option<u64>, usize) {
    match (sym(t, j), num(t, j), num(t, j + 1)) {
        (Some(','), _, Some((y, 4))) => (Some(y), j + 2),
        (_, Some((y, 4)), _) => (Some(y), j + 1),
        _ => (None, j),
    }
}

fn skip(t: &[Tok], j: usize, what: &[&str]) -> usize {
    match word(t, j) {
        Some(w) if what.contains(&w) => j + 1,
        _ => j,
    }
}

const ORDINALS: &[&str] = &["er", "st", "nd", "rd", "th"];

/// "3 déc", "1er décembre 2026", "3rd of December", "3 dec. 2026".
pub(super) fn day_first(t: &[Tok], i: usize) -> Result<Option<(Day, usize)>, WhenError> {
    let Some((d, 1 | 2)) = num(t, i) else {
        return Ok(None);
    };
    let j = skip(t, skip(t, i + 1, ORDINALS), &["of"]);
    let Some(m) = word(t, j).and_then(month) else {
        return Ok(None);
    };
    let j = if sym(t, j + 1) == Some('.') { j + 2 } else { j + 1 };
    let (y, next) = year(t, j);
    Ok(Some((date(d, m, y)?, next)))
}

/// "3rd", "1er", or after an article ("le 3", "the 15"): a day of the month alone.
pub(super) fn month_day(t: &[Tok], i: usize, after_article: bool) -> Result<Option<(Day, usize)>, WhenError> {
    let Some((d, 1 | 2)) = num(t, i) else {
        return Ok(None);
    };
    let after = skip(t, i + 1, ORDINALS);
    if after == i + 1 && !after_article {
        return Ok(None);
    }
    if !(1..=31).contains(&d) {
        return Err(WhenError::InvalidTime);
    }
    Ok(Some((Day::OfMonth(small(d)), after)))
}

/// "dec 3", "December 3, 2026", "dec. 3rd". Not "mar 3 déc" (mardi 3 décembre)
/// nor "december 18h", where the number is not a day.
pub(super) fn month_first(t: &[Tok], i: usize) -> Result<Option<(Day, usize)>, WhenError> {
    let Some(m) = word(t, i).and_then(month) else {
        return Ok(None);
    };
    let j = if sym(t, i + 1) == Some('.') { i + 2 } else { i + 1 };
    let Some((d, 1 | 2)) = num(t, j) else {
        return Ok(None);
    };
    let after = skip(t, j + 1, ORDINALS);
    let is_time = sym(t, j + 1) == Some(':')
        || word(t, j + 1).is_some_and(is_hour_word)
        || meridiem(t, j + 1).is_some();
    if is_time || word(t, after).and_then(month).is_some() {
        return Ok(None);
    }
    let (y, next) = year(t, after);
    Ok(Some((date(d, m, y)?, next)))
}

/// Reads "1h30", "2 heures", "90", "1 jour 2h", "une heure": units strictly decreasing,
/// a trailing bare number being minutes (alone, or after hours).
pub(super) fn duration_tokens(t: &[Tok]) -> Option<Duration> {
    let mut total: i64 = 0;
    let mut last: Option<Unit> = None;
    let mut i = 0;
    while i < t.len() {
        if matches!(word(t, i), Some("et" | "and")) && last.is_some() {
            i += 1;
            continue;
        }
        let n = match (num(t, i), word(t, i)) {
            (Some((n, _)), _) => n,
            (None, Some("un" | "une" | "a" | "an")) => 1,
            _ => return None,
        };
        let u = match word(t, i + 1).and_then(unit) {
            Some(u) => {
                i += 2;
                u
            }
            // "1h30": the bare number is minutes, so it must fit in the hour.
            None if i + 1 == t.len()
                && num(t, i).is_some()
                && (last.is_none() || (last == Some(Unit::Hour) && n < 60)) =>
            {
                i += 1;
                Unit::Minute
            }
            None => return None,
        };
        if last.is_some_and(|l| l <= u) {
            return None;
        }
        last = Some(u);
        let n = i64::try_from(n).ok()?;
        total = total.checked_add(n.checked_mul(u.minutes())?)?;
    }
    (total > 0).then(|| Duration::try_minutes(total)).flatten()
}
