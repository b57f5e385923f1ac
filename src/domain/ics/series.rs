//! A repeating series as RFC 5545 expresses it: one master VEVENT with an
//! RRULE, and an override (same UID, RECURRENCE-ID) for each date that
//! differs from the rule.
//!
//! The choices, and why:
//!
//! - **The rule** is the one [`recurrence::occurrences`] applies from the
//!   series' anchor (its first date as first generated), which is also what
//!   the bot generates new dates from: weekly → `FREQ=WEEKLY;BYDAY=TU`,
//!   every two weeks → `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`, monthly "2nd
//!   Tuesday" → `FREQ=MONTHLY;BYDAY=2TU`. A monthly series anchored on a
//!   5th weekday falls back to the 4th in months without a 5th: that is
//!   always the month's last one, so `BYDAY=-1TU` says it exactly.
//! - **What the file covers**: the bot keeps dates 8 weeks ahead and the
//!   feed lists those that are not over (the HTTP feed keeps the last 30
//!   days too). The master starts (DTSTART) at the first of them, in the
//!   rule's slot, so a client shows no earlier date the file does not cover.
//!   Slots between the first and the last stored date that have no stored
//!   date (skipped while the bot was down, or moved out of the window) get
//!   an EXDATE, so the client shows exactly the stored dates there. After the
//!   last stored date the RRULE goes on without end: those are the dates the
//!   bot will generate, a week at a time, with the details of the latest
//!   date — which is why the master carries the latest date's title, place,
//!   description and length. A series cancelled as a whole generates nothing
//!   more, so its RRULE ends (UNTIL) at its last stored date, and when every
//!   date in the file is cancelled, the master itself is STATUS:CANCELLED.
//! - **Overrides**: a date moved, retitled, relocated, re-described,
//!   lengthened or cancelled on its own is written again in full with the
//!   master's UID and `RECURRENCE-ID` = the local start its slot had, and
//!   its own STATUS (a cancelled date stays visible as cancelled, as a
//!   cancelled single event does, rather than vanishing through an EXDATE).
//!   Dates identical to the rule write nothing of their own.
//! - **Dates the rule cannot place** (a start that was never a slot of the
//!   rule, from before the bot kept original starts, or a second date in the
//!   same slot) are written as single events with their own UID, and their
//!   slot gets an EXDATE: never a date twice, never a date lost.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};

use super::write::{utc, Component};
use super::{details, series_uid, status, CalendarEntry, Ids, SeriesRule, Zone};
use crate::domain::recurrence::{self, Repeat};

/// Slots computed at most per series: 190 years of weeks.
const MAX_SLOTS: usize = 10_000;

/// What one series contributes to the file.
pub(super) struct Rendered {
    /// The master first, then its overrides in slot order; empty when no
    /// date fits the rule.
    pub components: Vec<Component>,
    /// Event ids written as single events instead.
    pub singles: Ids,
    /// The earliest and latest times written in local time (for the VTIMEZONE).
    pub local_span: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The dates of one series that the file covers, folded under `rule`.
pub(super) fn render(rule: &SeriesRule, dates: &[&CalendarEntry], zone: Zone) -> Rendered {
    let original = |e: &CalendarEntry| e.occurrence.map_or(e.starts_at, |o| o.original_start);
    let index = |e: &CalendarEntry| e.occurrence.map_or(0, |o| o.index);
    let mut by_index: Vec<&CalendarEntry> = dates.to_vec();
    by_index.sort_by_key(|e| (index(e), e.event_id));

    let until = by_index.iter().map(|e| original(e)).max().unwrap_or(rule.anchor) + Duration::seconds(1);
    let slots: BTreeSet<DateTime<Utc>> =
        recurrence::occurrences(rule.anchor, rule.repeat, zone.tz(), until, MAX_SLOTS)
            .into_iter()
            .collect();
    let mut placed: BTreeMap<DateTime<Utc>, &CalendarEntry> = BTreeMap::new();
    let mut singles = Ids::new();
    for entry in by_index {
        let slot = original(entry);
        if slots.contains(&slot) && !placed.contains_key(&slot) {
            placed.insert(slot, entry);
        } else {
            singles.insert(entry.event_id);
        }
    }
    let (Some((&first, _)), Some((&last, _))) = (placed.first_key_value(), placed.last_key_value()) else {
        return Rendered {
            components: Vec::new(),
            singles,
            local_span: None,
        };
    };
    // The date the bot copies into the dates it generates next.
    let Some(template) = placed.values().copied().max_by_key(|e| (index(e), e.event_id)) else {
        unreachable!("placed is not empty");
    };
    let length = template.ends_at - template.starts_at;
    let cancelled = rule.cancelled && placed.values().all(|e| e.cancelled);
    let guild_id = template.guild_id;

    let mut master = Component::new("VEVENT");
    let revised = placed
        .values()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or(template.updated_at);
    master
        .text("UID", &series_uid(rule.series_id, guild_id))
        .value("DTSTAMP", utc(revised))
        .value("LAST-MODIFIED", utc(revised))
        .prop(zone.time("DTSTART", first));
    if length > Duration::zero() {
        master.prop(zone.time("DTEND", first + length));
    }
    master.value("RRULE", rrule(rule, zone, rule.cancelled.then_some(last)));
    for slot in slots.range(first..=last).filter(|s| !placed.contains_key(s)) {
        master.prop(zone.time("EXDATE", *slot));
    }
    details(&mut master, template);
    master.value("STATUS", status(cancelled));

    let mut components = vec![master];
    let mut span = (first, last + length.max(Duration::zero()));
    for (&slot, entry) in &placed {
        let same = entry.starts_at == slot
            && entry.ends_at - entry.starts_at == length
            && entry.title == template.title
            && entry.description == template.description
            && entry.location == template.location
            && entry.cancelled == cancelled;
        if same {
            continue;
        }
        let mut event = Component::new("VEVENT");
        event
            .text("UID", &series_uid(rule.series_id, guild_id))
            .prop(zone.time("RECURRENCE-ID", slot))
            .value("DTSTAMP", utc(entry.updated_at))
            .value("LAST-MODIFIED", utc(entry.updated_at))
            .prop(zone.time("DTSTART", entry.starts_at));
        if entry.ends_at > entry.starts_at {
            event.prop(zone.time("DTEND", entry.ends_at));
        }
        details(&mut event, entry);
        event.value("STATUS", status(entry.cancelled));
        span = (span.0.min(entry.starts_at), span.1.max(entry.ends_at));
        components.push(event);
    }
    Rendered {
        components,
        singles,
        local_span: Some(span),
    }
}

/// The RRULE value of `rule`, ending at `until` (a UTC instant, as RFC 5545
/// §3.3.10 requires when DTSTART is local with a TZID).
fn rrule(rule: &SeriesRule, zone: Zone, until: Option<DateTime<Utc>>) -> String {
    let local = rule.anchor.with_timezone(&zone.tz());
    let day = weekday(local.weekday());
    let mut value = match rule.repeat {
        Repeat::Weekly => format!("FREQ=WEEKLY;BYDAY={day}"),
        Repeat::Biweekly => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"),
        Repeat::Monthly => match (local.day() - 1) / 7 + 1 {
            // recurrence::occurrences takes the 4th when a month has no
            // 5th: the last one, whatever the month.
            5 => format!("FREQ=MONTHLY;BYDAY=-1{day}"),
            nth => format!("FREQ=MONTHLY;BYDAY={nth}{day}"),
        },
    };
    if let Some(until) = until {
        value.push_str(&format!(";UNTIL={}", utc(until)));
    }
    value
}

/// RFC 5545's two-letter weekday.
pub(super) fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}
