//! The VTIMEZONE that makes a `TZID=Europe/Paris` in the file resolvable by
//! any client (RFC 5545 §3.6.5), built from chrono-tz's own transitions so
//! it says exactly what the bot computed dates with.
//!
//! chrono-tz exposes offsets, not its table of transitions, so we find them
//! by sampling a day apart and bisecting to the second. Transitions of the
//! same kind (same offsets, same name) that recur on the same weekday
//! position of the same month at the same local time year after year become
//! one observance with a yearly RRULE (`BYMONTH=3;BYDAY=-1SU` for Europe's
//! last Sunday of March); one still going at the end of the scan has no
//! UNTIL, since the series it serves repeat without end. Anything irregular
//! is an observance of its own.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::series::weekday;
use super::write::{utc, Component};

/// The offset in force at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    /// Seconds east of UTC, daylight saving included.
    offset: i64,
    daylight: bool,
    name: Option<String>,
}

fn state(tz: Tz, at: DateTime<Utc>) -> State {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    State {
        offset: (offset.base_utc_offset() + offset.dst_offset()).num_seconds(),
        daylight: offset.dst_offset() > Duration::zero(),
        name: offset.abbreviation().map(str::to_owned),
    }
}

struct Transition {
    at: DateTime<Utc>,
    before: State,
    after: State,
}

impl Transition {
    /// The onset as an observance's DTSTART gives it: local time in the
    /// offset in force before (RFC 5545 §3.6.5).
    fn onset(&self) -> NaiveDateTime {
        self.at.naive_utc() + Duration::seconds(self.before.offset)
    }

    fn same_kind(&self, other: &Transition) -> bool {
        self.before.offset == other.before.offset && self.after == other.after
    }
}

/// A VTIMEZONE for `tz` valid for every time from `first` to `last` and, for
/// a zone whose rules still hold then, after.
pub(super) fn vtimezone(tz: Tz, first: DateTime<Utc>, last: DateTime<Utc>) -> Component {
    // The year before, for the onset of the offset in force at `first`;
    // years after, to tell a rule that still holds from one that stopped.
    let start = year_start(first.year() - 1);
    let end = year_start(last.year() + 6);
    let transitions = transitions(tz, start, end);
    let mut zone = Component::new("VTIMEZONE");
    zone.value("TZID", tz.name());
    // The offset in force at `first` began before the scan: say so from its start.
    if transitions.first().is_none_or(|t| t.at > first) {
        let initial = state(tz, start);
        let onset = start.naive_utc() + Duration::seconds(initial.offset);
        zone.child(observance(&initial, initial.offset, onset, None));
    }
    let mut runs: Vec<Vec<&Transition>> = Vec::new();
    for transition in &transitions {
        let run = runs
            .iter_mut()
            .rev()
            .find(|run| run[0].same_kind(transition))
            .filter(|run| yearly(run, transition).is_some());
        match run {
            Some(run) => run.push(transition),
            None => runs.push(vec![transition]),
        }
    }
    for run in runs {
        let first = run[0];
        let mut component = observance(&first.after, first.before.offset, first.onset(), None);
        if let [_, .., last] = run.as_slice() {
            let position = position(&run);
            let onset = first.onset();
            let mut rule = format!(
                "FREQ=YEARLY;BYMONTH={};BYDAY={position}{}",
                onset.month(),
                weekday(onset.weekday())
            );
            // Still going in the scan's last year: the rule holds from then on.
            if last.at < end - Duration::days(366) {
                rule.push_str(&format!(";UNTIL={}", utc(last.at)));
            }
            component = observance(&first.after, first.before.offset, onset, Some(rule));
        }
        zone.child(component);
    }
    zone
}

fn year_start(year: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Every change of offset or name between `start` and `end`. Zones change
/// at most a few times a year, never twice in a day.
fn transitions(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Transition> {
    let mut found = Vec::new();
    let mut at = start;
    let mut current = state(tz, at);
    while at < end {
        let next = at + Duration::days(1);
        let after = state(tz, next);
        if after != current {
            let (mut low, mut high) = (at, next);
            while high - low > Duration::seconds(1) {
                let mid = low + (high - low) / 2;
                if state(tz, mid) == current {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            found.push(Transition {
                at: high,
                before: current,
                after: after.clone(),
            });
        }
        at = next;
        current = after;
    }
    found
}

/// Where `onset` falls in its month: (nth weekday from the start, whether
/// it is the last one).
fn place(onset: NaiveDateTime) -> (u32, bool) {
    let day = onset.day();
    let next_week = onset.date() + Duration::days(7);
    ((day - 1) / 7 + 1, next_week.month() != onset.month())
}

/// Whether `next` continues `run` as the same yearly rule: a year after its
/// last onset, same month, weekday and local time, and a weekday position
/// every onset shares (the nth, or the last).
fn yearly(run: &[&Transition], next: &Transition) -> Option<()> {
    let (prev, onset) = (run.last()?.onset(), next.onset());
    let same_day = onset.year() == prev.year() + 1
        && onset.month() == prev.month()
        && onset.weekday() == prev.weekday()
        && onset.time() == prev.time();
    if !same_day {
        return None;
    }
    let (nth, last) = place(onset);
    let all_nth = run.iter().all(|t| place(t.onset()).0 == nth);
    let all_last = last && run.iter().all(|t| place(t.onset()).1);
    (all_nth || all_last).then_some(())
}

/// The BYDAY position a run's onsets share; "last" when it fits, since a 4th
/// or 5th Sunday that is always the last is a "last Sunday" rule.
fn position(run: &[&Transition]) -> String {
    let places: Vec<(u32, bool)> = run.iter().map(|t| place(t.onset())).collect();
    if places.iter().all(|(_, last)| *last) {
        "-1".to_owned()
    } else {
        places[0].0.to_string()
    }
}

fn observance(after: &State, from: i64, onset: NaiveDateTime, rule: Option<String>) -> Component {
    let mut component = Component::new(if after.daylight { "DAYLIGHT" } else { "STANDARD" });
    component
        .value("DTSTART", onset.format("%Y%m%dT%H%M%S").to_string())
        .value("TZOFFSETFROM", utc_offset(from))
        .value("TZOFFSETTO", utc_offset(after.offset));
    if let Some(rule) = rule {
        component.value("RRULE", rule);
    }
    if let Some(name) = &after.name {
        component.text("TZNAME", name);
    }
    component
}

/// RFC 5545 §3.3.14: `+0100`, `-0330`, seconds only when there are some;
/// zero is `+0000` (`-0000` is not allowed).
fn utc_offset(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn europe_paris_is_two_yearly_rules_from_the_year_before() {
        let ics = vtimezone(chrono_tz::Europe::Paris, at(2026, 10, 13), at(2026, 12, 1)).to_ics();
        assert_eq!(
            ics,
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
             BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
             RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n\
             BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
             RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:CET\r\nEND:STANDARD\r\n\
             END:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn new_york_uses_nth_sundays() {
        let ics = vtimezone(chrono_tz::America::New_York, at(2026, 6, 1), at(2026, 7, 1)).to_ics();
        assert!(ics.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"), "{ics}");
        assert!(
            ics.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"),
            "{ics}"
        );
        assert!(
            ics.contains("TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn a_zone_without_daylight_saving_is_one_standard_time() {
        let ics = vtimezone(chrono_tz::Asia::Tokyo, at(2026, 6, 1), at(2027, 7, 1)).to_ics();
        assert_eq!(ics.matches("BEGIN:STANDARD").count(), 1, "{ics}");
        assert!(!ics.contains("DAYLIGHT") && !ics.contains("RRULE"), "{ics}");
        assert!(
            ics.contains("TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn rules_that_stop_end_with_until() {
        // São Paulo kept daylight saving until February 2019.
        let ics = vtimezone(chrono_tz::America::Sao_Paulo, at(2016, 1, 1), at(2017, 12, 1)).to_ics();
        assert!(
            ics.contains("BYMONTH=2;BYDAY=3SU;UNTIL=20190217T020000Z"),
            "{ics}"
        );
        assert!(
            !ics.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=3SU\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_asks() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(-12_600), "-0330");
        assert_eq!(utc_offset(561), "+000921");
    }
}
