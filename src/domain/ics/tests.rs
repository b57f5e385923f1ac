use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Europe::Paris;

use super::*;
use crate::domain::recurrence::{occurrences, resolve_local};

/// Repeating series: master, overrides, time zone.
mod series;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn paris(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    let local = NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap();
    resolve_local(local, Paris).unwrap()
}

fn entry(event_id: i64, title: &str, description: Option<&str>) -> CalendarEntry {
    let start = at(2026, 12, 3, 17, 30);
    CalendarEntry {
        event_id,
        guild_id: 42,
        title: title.into(),
        description: description.map(Into::into),
        location: Some("Salle des fêtes; 1, rue Haute".into()),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        cancelled: false,
        updated_at: at(2026, 11, 20, 9, 0),
        occurrence: None,
    }
}

/// `count` dates of series 5 as the bot generates them from `first`, event
/// ids from 100 on.
fn series_dates(first: DateTime<Utc>, repeat: Repeat, count: usize) -> Vec<CalendarEntry> {
    occurrences(first, repeat, Paris, DateTime::<Utc>::MAX_UTC, count)
        .into_iter()
        .enumerate()
        .map(|(i, start)| {
            let mut e = entry(100 + i as i64, "Café numérique", None);
            e.location = Some("La Station".into());
            e.starts_at = start;
            e.ends_at = start + Duration::hours(2);
            e.occurrence = Some(Occurrence {
                series_id: 5,
                index: i as i64,
                original_start: start,
            });
            e
        })
        .collect()
}

fn rule(repeat: Repeat, anchor: DateTime<Utc>) -> SeriesRule {
    SeriesRule {
        series_id: 5,
        repeat,
        anchor,
        cancelled: false,
    }
}

fn render(dates: &[CalendarEntry], rule: SeriesRule) -> String {
    calendar_ics("Agenda", Paris, dates, &[rule])
}

/// What a strict client checks before reading anything: CRLF endings,
/// physical lines of at most 75 octets, balanced BEGIN/END, and the
/// properties RFC 5545 requires. Returns the unfolded content lines.
fn check_rfc5545(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "last line must end with CRLF");
    let body = &ics[..ics.len() - 2];
    let mut lines: Vec<String> = Vec::new();
    for physical in body.split("\r\n") {
        assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
        assert!(!physical.contains(['\r', '\n']), "bare CR or LF: {physical:?}");
        match physical.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("continuation first").push_str(rest),
            None => lines.push(physical.to_owned()),
        }
    }
    let mut stack: Vec<(String, Vec<String>)> = Vec::new();
    for line in &lines {
        let (name, value) = line.split_once(':').expect("a content line has a colon");
        let name = name.split(';').next().unwrap_or_default();
        match name {
            "BEGIN" => stack.push((value.to_owned(), Vec::new())),
            "END" => {
                let (kind, props) = stack.pop().expect("END without BEGIN");
                assert_eq!(kind, value, "END does not match BEGIN");
                let required: &[&str] = match kind.as_str() {
                    "VCALENDAR" => &["PRODID", "VERSION"],
                    "VEVENT" => &["UID", "DTSTAMP", "DTSTART"],
                    "VTIMEZONE" => &["TZID"],
                    "STANDARD" | "DAYLIGHT" => &["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"],
                    _ => &[],
                };
                for r in required {
                    assert!(props.iter().any(|p| p == r), "{kind} lacks {r}");
                }
            }
            _ => stack
                .last_mut()
                .expect("property outside a component")
                .1
                .push(name.to_owned()),
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    lines
}

/// The VEVENTs as a client reads them: unfolded, TEXT values unescaped,
/// keyed by name with parameters (`DTSTART;TZID=Europe/Paris`); a repeated
/// property (EXDATE) keeps every value, in order, joined by spaces.
fn read_events(ics: &str) -> Vec<BTreeMap<String, String>> {
    let mut events = Vec::new();
    let mut current = None;
    for line in check_rfc5545(ics) {
        let (name, value) = line.split_once(':').unwrap();
        match (name, value) {
            ("BEGIN", "VEVENT") => current = Some(BTreeMap::new()),
            ("END", "VEVENT") => events.extend(current.take()),
            _ => {
                if let Some(event) = current.as_mut() {
                    let text = matches!(name, "SUMMARY" | "DESCRIPTION" | "LOCATION" | "UID");
                    let value = if text { unescape(value) } else { value.to_owned() };
                    event
                        .entry(name.to_owned())
                        .and_modify(|v: &mut String| *v = format!("{v} {value}"))
                        .or_insert(value);
                }
            }
        }
    }
    events
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        assert!(!matches!(c, ',' | ';'), "unescaped {c:?} in {value:?}");
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(e @ ('\\' | ',' | ';')) => out.push(e),
                other => panic!("bad escape {other:?} in {value:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn get<'a>(event: &'a BTreeMap<String, String>, key: &str) -> Option<&'a str> {
    event.get(key).map(String::as_str)
}

#[test]
fn calendar_parses_back_with_everything_a_member_sees() {
    let title = "AG 2026, bilan; budget \\ vote\nsuite";
    let description = "Ordre du jour :\r\n1. Rapport moral, financier; vote\n2. Élections";
    let mut cancelled = entry(8, "Apéro annulé", None);
    cancelled.cancelled = true;
    let ics = calendar_ics(
        "Agenda; Rencontre, Lille",
        Paris,
        &[entry(7, title, Some(description)), cancelled],
        &[],
    );
    let lines = check_rfc5545(&ics);
    for expected in [
        "PRODID:-//Rencontre//Rencontre//FR",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "NAME:Agenda\\; Rencontre\\, Lille",
        "X-WR-CALNAME:Agenda\\; Rencontre\\, Lille",
        "SUMMARY:AG 2026\\, bilan\\; budget \\\\ vote\\nsuite",
        "UID:event-7-42@rencontre",
        "DTSTAMP:20261120T090000Z",
        "DTSTART:20261203T173000Z",
        "DTEND:20261203T193000Z",
        "STATUS:CONFIRMED",
        "STATUS:CANCELLED",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "missing {expected:?} in {lines:#?}"
        );
    }
    // Single events need no time zone definition.
    assert!(!ics.contains("VTIMEZONE"));

    let events = read_events(&ics);
    assert_eq!(events.len(), 2);
    assert_eq!(get(&events[0], "SUMMARY"), Some(title));
    assert_eq!(
        get(&events[0], "DESCRIPTION"),
        Some("Ordre du jour :\n1. Rapport moral, financier; vote\n2. Élections")
    );
    assert_eq!(get(&events[0], "LOCATION"), Some("Salle des fêtes; 1, rue Haute"));
    assert_eq!(get(&events[0], "STATUS"), Some("CONFIRMED"));
    assert_eq!(get(&events[1], "STATUS"), Some("CANCELLED"));
    assert_eq!(get(&events[1], "UID"), Some("event-8-42@rencontre"));
    assert_eq!(get(&events[1], "DESCRIPTION"), None);
}

#[test]
fn long_french_text_is_folded_on_character_boundaries() {
    let description = "Assemblée générale de l'association : présentation du bilan \
        d'activité, élection du bureau, questions diverses. Venez nombreux, \
        c'est l'été ! Goûter offert après la séance, café et thé à volonté. \
        Merci de répondre avant vendredi.";
    assert!(description.chars().count() >= 200);
    let ics = calendar_ics("Agenda", Paris, &[entry(1, "Réunion", Some(description))], &[]);
    let lines = check_rfc5545(&ics);
    let folded = ics.split("\r\n").filter(|l| l.starts_with(' ')).count();
    assert!(folded >= 2, "a long description spans several lines");
    let expected = format!("DESCRIPTION:{}", description.replace(',', "\\,"));
    assert!(lines.contains(&expected), "{lines:#?}");
    let events = read_events(&ics);
    assert_eq!(get(&events[0], "DESCRIPTION"), Some(description));
}

#[test]
fn text_that_hangs_icalendars_own_folding_renders() {
    let title = "é".repeat(100) + &" a b c d e f g h i j k l m".repeat(6);
    let ics = calendar_ics("Agenda", Paris, &[entry(1, &title, None)], &[]);
    assert_eq!(get(&read_events(&ics)[0], "SUMMARY"), Some(title.as_str()));
}

#[test]
fn renders_are_stable_and_bad_end_times_are_dropped() {
    let mut odd = entry(9, "x", None);
    odd.ends_at = odd.starts_at;
    odd.description = Some("  ".into());
    let entries = [entry(7, "Atelier", Some("vélo")), odd];
    let first = calendar_ics("Agenda", Paris, &entries, &[]);
    assert_eq!(first, calendar_ics("Agenda", Paris, &entries, &[]));
    assert_eq!(first.matches("UID:event-7-42@rencontre\r\n").count(), 1);
    assert_eq!(first.matches("DTEND:").count(), 1);
    assert_eq!(first.matches("DESCRIPTION:").count(), 1);
    check_rfc5545(&first);
}
