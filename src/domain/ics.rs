//! Calendar files (RFC 5545): the server's agenda and a member's own events,
//! as `/calendar` attaches them and the HTTP feed serves them. Pure: the
//! caller loads the data and translates the calendar's name; this module
//! lays it out.
//!
//! A single event is one VEVENT, times in UTC. A repeating series, in the
//! server's feed, is one master VEVENT whose RRULE says what the bot
//! generates (see [`series`]), in the server's time zone with a VTIMEZONE
//! (see [`vtimezone`]), plus one override per date that differs from it.

mod series;
mod vtimezone;
mod write;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::recurrence::Repeat;
use write::{utc, Component, Prop};

/// One event as it appears in a calendar file.
#[derive(Debug, Clone)]
pub struct CalendarEntry {
    pub event_id: i64,
    pub guild_id: u64,
    pub title: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    pub updated_at: DateTime<Utc>,
    /// Its place in a repeating series, if it is one of its dates.
    pub occurrence: Option<Occurrence>,
}

/// Where a date of a series belongs in the series' rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub series_id: i64,
    /// Order of generation; the bot copies the highest one's details into
    /// the dates it generates next.
    pub index: i64,
    /// The start the rule gave it, before any edit moved it.
    pub original_start: DateTime<Utc>,
}

/// A series' rule exactly as [`super::recurrence::occurrences`] applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesRule {
    pub series_id: i64,
    pub repeat: Repeat,
    /// The first date's original start: the rule's weekday, position in the
    /// month and local time come from it.
    pub anchor: DateTime<Utc>,
    /// Cancelled as a whole: no more dates will be generated.
    pub cancelled: bool,
}

/// The event's UID in calendar files. It depends only on the event, so a
/// re-downloaded or subscribed calendar updates the event instead of adding
/// a duplicate.
pub fn event_uid(event_id: i64, guild_id: u64) -> String {
    format!("event-{event_id}-{guild_id}@rencontre")
}

/// The UID a series' master and its overrides share, stable for the same
/// reason as [`event_uid`].
pub fn series_uid(series_id: i64, guild_id: u64) -> String {
    format!("series-{series_id}-{guild_id}@rencontre")
}

/// A valid RFC 5545 calendar of `entries`, in their order. Dates of a series
/// listed in `series` are folded into that series' master VEVENT and its
/// overrides; every other entry, including dates of series not listed (a
/// member's own feed passes none), is a VEVENT of its own. `tz` is the
/// server's time zone, the one the series' rules are computed in.
pub fn calendar_ics(calendar_name: &str, tz: Tz, entries: &[CalendarEntry], series: &[SeriesRule]) -> String {
    let zone = Zone(tz);
    let rules: HashMap<i64, &SeriesRule> = series.iter().map(|r| (r.series_id, r)).collect();
    let series_of = |entry: &CalendarEntry| entry.occurrence.and_then(|o| rules.get(&o.series_id).copied());
    let mut dates: BTreeMap<i64, Vec<&CalendarEntry>> = BTreeMap::new();
    for entry in entries {
        if let Some(rule) = series_of(entry) {
            dates.entry(rule.series_id).or_default().push(entry);
        }
    }
    let mut rendered: HashMap<i64, series::Rendered> = dates
        .into_iter()
        .map(|(id, dates)| (id, series::render(rules[&id], &dates, zone)))
        .collect();

    let mut components = Vec::new();
    for entry in entries {
        let Some(rule) = series_of(entry) else {
            components.push(single(entry));
            continue;
        };
        let Some(done) = rendered.get_mut(&rule.series_id) else {
            continue;
        };
        if done.singles.contains(&entry.event_id) {
            components.push(single(entry));
        } else {
            // A series sits where its first folded date would.
            components.append(&mut done.components);
        }
    }

    let mut calendar = Component::new("VCALENDAR");
    calendar
        .value("PRODID", "-//Rencontre//Rencontre//FR")
        .value("VERSION", "2.0")
        .value("CALSCALE", "GREGORIAN")
        .text("NAME", calendar_name)
        .text("X-WR-CALNAME", calendar_name);
    let span = rendered
        .values()
        .filter_map(|r| r.local_span)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    if let (Some((first, last)), false) = (span, zone.is_utc()) {
        calendar.child(vtimezone::vtimezone(tz, first, last));
    }
    for component in components {
        calendar.child(component);
    }
    calendar.to_ics()
}

/// One event of its own, times in UTC as every client reads them.
fn single(entry: &CalendarEntry) -> Component {
    let mut event = Component::new("VEVENT");
    event
        .text("UID", &event_uid(entry.event_id, entry.guild_id))
        // Without a METHOD, DTSTAMP is the last revision in our store
        // (RFC 5545 §3.8.7.2); a fixed value also keeps renders stable.
        .value("DTSTAMP", utc(entry.updated_at))
        .value("LAST-MODIFIED", utc(entry.updated_at))
        .value("DTSTART", utc(entry.starts_at));
    // RFC 5545 requires DTEND after DTSTART; clients reject the whole file
    // otherwise, while an event without DTEND is valid (it is
    // instantaneous), so a bad end time costs one event its duration only.
    if entry.ends_at > entry.starts_at {
        event.value("DTEND", utc(entry.ends_at));
    }
    details(&mut event, entry);
    event.value("STATUS", status(entry.cancelled));
    event
}

/// What a member reads about a date: title, description, place.
fn details(event: &mut Component, entry: &CalendarEntry) {
    event.text("SUMMARY", &entry.title);
    if let Some(text) = non_blank(&entry.description) {
        event.text("DESCRIPTION", text);
    }
    if let Some(text) = non_blank(&entry.location) {
        event.text("LOCATION", text);
    }
}

fn status(cancelled: bool) -> &'static str {
    if cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    }
}

fn non_blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

/// How the times of a series are written: local wall-clock time with the
/// zone's TZID, so a weekly 18:30 stays 18:30 across daylight-saving changes
/// when a client expands the RRULE; plain UTC (`Z`) when the zone is UTC,
/// which needs no VTIMEZONE.
#[derive(Debug, Clone, Copy)]
struct Zone(Tz);

impl Zone {
    fn is_utc(self) -> bool {
        matches!(self.0, Tz::UTC | Tz::Etc__UTC)
    }

    fn tz(self) -> Tz {
        self.0
    }

    /// `NAME;TZID=Europe/Paris:20261208T183000`, or `NAME:20261208T173000Z`.
    fn time(self, name: &'static str, at: DateTime<Utc>) -> Prop {
        if self.is_utc() {
            Prop::new(name, utc(at))
        } else {
            let local = at.with_timezone(&self.0).format("%Y%m%dT%H%M%S").to_string();
            Prop::new(name, local).param("TZID", self.0.name())
        }
    }
}

/// A set of event ids.
type Ids = HashSet<i64>;
