//! Reading the pieces of a date in any order ("18h jeudi", "jeudi 18h") into a
//! [`Parsed`], before it is placed on the calendar by [`super::resolve`].

use chrono::Weekday;

use super::grammar::{clock, day_first, month_day, month_first, num, numeric_date, sym, word, Clock, Day};
use super::words::{is_filler, weekday, Tok};
use super::WhenError;

/// A part of the day said in words: "ce matin", "vendredi après-midi", "ce soir".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Morning,
    Afternoon,
    Evening,
}

impl Part {
    /// The hour meant when no time is said.
    pub(super) fn default_hour(self) -> u32 {
        match self {
            Part::Morning => 9,
            Part::Afternoon => 14,
            Part::Evening => 20,
        }
    }

    /// Whether "3h" said in this part is 15:00.
    pub(super) fn is_pm(self) -> bool {
        self != Part::Morning
    }
}

#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub(super) day: Option<Day>,
    pub(super) weekday: Option<Weekday>,
    pub(super) time: Option<Clock>,
    /// The end of a range: "18h30-20h", "de 14h à 17h".
    pub(super) end: Option<Clock>,
    pub(super) part: Option<Part>,
    /// "prochain", "next": a weekday said is not today's.
    pub(super) next: bool,
    /// "semaine", "week": only meaningful with `next`.
    pub(super) week: bool,
    /// "en huit" (7), "en quinze" (14): days added to the day said.
    pub(super) later: i64,
}

/// Reads the pieces from `i` on, after an optional day already read.
pub(super) fn read(t: &[Tok], mut i: usize, day: Option<Day>) -> Result<Parsed, WhenError> {
    let mut p = Parsed {
        day,
        ..Parsed::default()
    };
    while i < t.len() {
        i = step(t, i, &mut p)?;
    }
    // Nothing, or only fillers ("le", "prochain"): nothing was said.
    if p.day.is_none() && p.weekday.is_none() && p.time.is_none() && p.part.is_none() && !p.week {
        return Err(WhenError::Unreadable);
    }
    // "en huit" counts from a day; "semaine" needs "prochaine" and no other day.
    if (p.later > 0 && p.day.is_none() && p.weekday.is_none()) || (p.week && (!p.next || p.day.is_some())) {
        return Err(WhenError::Unreadable);
    }
    Ok(p)
}

fn once<T>(slot: &mut Option<T>, value: T, next: usize) -> Result<usize, WhenError> {
    if slot.replace(value).is_some() {
        return Err(WhenError::Unreadable);
    }
    Ok(next)
}

/// After a time at `i`: "-", "à", "to", "jusqu'à" and another time make a range.
fn range_end(t: &[Tok], i: usize) -> Result<Option<(Clock, usize)>, WhenError> {
    let joined = matches!(sym(t, i), Some('-' | '–' | '—'))
        || matches!(word(t, i), Some("a" | "to" | "till" | "until" | "jusqua"));
    if !joined {
        return Ok(None);
    }
    clock(t, i + 1)
}

/// Consumes one meaningful piece at `i` and returns where the next one starts.
fn step(t: &[Tok], i: usize, p: &mut Parsed) -> Result<usize, WhenError> {
    if matches!(sym(t, i), Some(',' | '.')) {
        return Ok(i + 1);
    }
    if let Some(w) = word(t, i) {
        return step_word(t, i, w, p);
    }
    if let Some((c, next)) = clock(t, i)? {
        let next = once(&mut p.time, c, next)?;
        return match range_end(t, next)? {
            Some((end, after)) => once(&mut p.end, end, after),
            None => Ok(next),
        };
    }
    if let Some((d, next)) = numeric_date(t, i)? {
        return once(&mut p.day, d, next);
    }
    if let Some((d, next)) = day_first(t, i)? {
        return once(&mut p.day, d, next);
    }
    // A day of the month alone only after "le" / "the" or with an ordinal: a bare
    // "3" is too likely a half-typed time.
    let after_article = i > 0 && matches!(word(t, i - 1), Some("le" | "the"));
    if let Some((d, next)) = month_day(t, i, after_article)? {
        return once(&mut p.day, d, next);
    }
    Err(WhenError::Unreadable)
}

fn step_word(t: &[Tok], i: usize, w: &str, p: &mut Parsed) -> Result<usize, WhenError> {
    let noon = Clock {
        h: 12,
        m: 0,
        fixed: true,
    };
    let next_is = |k: usize, s: &str| word(t, i + k) == Some(s);
    match w {
        "apres" if next_is(1, "demain") => return once(&mut p.day, Day::Rel(2), i + 2),
        "apres" if next_is(1, "midi") => return once(&mut p.part, Part::Afternoon, i + 2),
        "avant" if next_is(1, "hier") => return once(&mut p.day, Day::Rel(-2), i + 2),
        "day" if next_is(1, "after") && next_is(2, "tomorrow") => {
            return once(&mut p.day, Day::Rel(2), i + 3)
        }
        "day" if next_is(1, "before") && next_is(2, "yesterday") => {
            return once(&mut p.day, Day::Rel(-2), i + 3)
        }
        "en" if next_is(1, "huit") || num(t, i + 1).is_some_and(|(n, _)| n == 8) => {
            p.later += 7;
            return Ok(i + 2);
        }
        "en" if next_is(1, "quinze") || num(t, i + 1).is_some_and(|(n, _)| n == 15) => {
            p.later += 14;
            return Ok(i + 2);
        }
        _ if is_filler(w) => return Ok(i + 1),
        "demain" | "tomorrow" => return once(&mut p.day, Day::Rel(1), i + 1),
        "aujourdhui" | "today" => return once(&mut p.day, Day::Rel(0), i + 1),
        "hier" | "yesterday" => return once(&mut p.day, Day::Rel(-1), i + 1),
        "tonight" => {
            once(&mut p.part, Part::Evening, i)?;
            return once(&mut p.day, Day::Rel(0), i + 1);
        }
        "matin" | "morning" => return once(&mut p.part, Part::Morning, i + 1),
        "aprem" | "afternoon" => return once(&mut p.part, Part::Afternoon, i + 1),
        "soir" | "evening" => return once(&mut p.part, Part::Evening, i + 1),
        "prochain" | "prochaine" | "next" => {
            p.next = true;
            return Ok(i + 1);
        }
        "semaine" | "week" if !p.week => {
            p.week = true;
            return Ok(i + 1);
        }
        "midi" | "noon" => return once(&mut p.time, noon, i + 1),
        "minuit" | "midnight" => return once(&mut p.time, Clock { h: 0, ..noon }, i + 1),
        _ => {}
    }
    if let Some((d, next)) = month_first(t, i)? {
        return once(&mut p.day, d, next);
    }
    if let Some(wd) = weekday(w) {
        return once(&mut p.weekday, wd, i + 1);
    }
    Err(WhenError::Unreadable)
}
