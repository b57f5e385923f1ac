//! Files members and organizers take away: iCalendar (RFC 5545), CSV for
//! spreadsheets, and the yearly report in Markdown. Pure: the caller loads
//! the data and translates the labels.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};

/// One event as it appears in a calendar file.
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
}

/// A stable UID, so calendar apps update an event instead of duplicating it.
pub fn event_uid(event_id: i64, guild_id: u64) -> String {
    format!("event-{event_id}-{guild_id}@rencontre")
}

/// A valid RFC 5545 calendar. The icalendar crate escapes text (`,;\` and
/// newlines), folds lines at 75 octets on character boundaries and ends them
/// with CRLF.
pub fn calendar_ics(calendar_name: &str, entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::empty();
    calendar.append_property(Property::new("VERSION", "2.0"));
    calendar.append_property(Property::new("PRODID", "-//Rencontre//Rencontre//FR"));
    calendar.append_property(Property::new("CALSCALE", "GREGORIAN"));
    calendar.name(calendar_name);
    for entry in entries {
        let mut event = icalendar::Event::new();
        event
            .uid(&event_uid(entry.event_id, entry.guild_id))
            .timestamp(entry.updated_at)
            .summary(&entry.title)
            .starts(entry.starts_at)
            .ends(entry.ends_at)
            .status(if entry.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if let Some(description) = &entry.description {
            event.description(description);
        }
        if let Some(location) = &entry.location {
            event.location(location);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// One attendee line for the organizers' CSV.
pub struct AttendeeRow {
    pub name: String,
    pub user_id: u64,
    pub status: String,
    pub guests: i64,
    pub waitlist_position: Option<i64>,
    pub note: Option<String>,
    pub responded_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// Spreadsheet apps run a cell starting with these as a formula; names and
/// notes are typed by members, so such cells get a leading quote.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// CSV with a UTF-8 byte-order mark: without it Excel, which association
/// treasurers open these with, reads the accents of French names wrongly.
fn csv_text(header: &[String], rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.iter().map(|c| defuse(c)))?;
        }
        writer.flush()?;
        Ok(writer.get_ref().clone())
    };
    let bytes = write().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

pub fn attendees_csv(headers: &[&str; 8], rows: &[AttendeeRow]) -> String {
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.user_id.to_string(),
                r.status.clone(),
                r.guests.to_string(),
                r.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
                r.note.clone().unwrap_or_default(),
                r.responded_at.to_rfc3339(),
                r.checked_in_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            ]
        })
        .collect();
    csv_text(&header, rows)
}

/// One event of the year.
pub struct ReportEvent {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Seats taken, guests included.
    pub going: i64,
    pub maybe: i64,
    pub checked_in: i64,
}

pub struct MonthRow {
    /// 1–12.
    pub month: u32,
    pub events: i64,
    pub going: i64,
    pub checked_in: i64,
}

/// The yearly activity report for a general assembly.
pub struct ReportData {
    pub year: i32,
    pub events: Vec<ReportEvent>,
    /// All twelve months.
    pub months: Vec<MonthRow>,
    pub total_going: i64,
    pub unique_attendees: i64,
    pub total_checked_in: i64,
    pub new_introductions: i64,
}

/// The report's words, translated by the caller.
pub struct ReportLabels {
    pub title: String,
    pub events_held: String,
    pub total_going: String,
    pub unique_attendees: String,
    pub checked_in: String,
    pub new_introductions: String,
    pub per_event: String,
    pub per_month: String,
    pub date: String,
    pub event: String,
    pub going: String,
    pub maybe: String,
    pub month: String,
    pub events: String,
    pub month_names: [String; 12],
}

/// A title inside a Markdown table: `|` and newlines would break the row.
fn table_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub fn report_markdown(data: &ReportData, labels: &ReportLabels, tz: Tz) -> String {
    let mut md = format!("# {}\n\n", labels.title);
    for (label, value) in [
        (&labels.events_held, data.events.len() as i64),
        (&labels.total_going, data.total_going),
        (&labels.unique_attendees, data.unique_attendees),
        (&labels.checked_in, data.total_checked_in),
        (&labels.new_introductions, data.new_introductions),
    ] {
        md.push_str(&format!("- **{label}** : {value}\n"));
    }
    md.push_str(&format!(
        "\n## {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|\n",
        labels.per_event, labels.date, labels.event, labels.going, labels.maybe, labels.checked_in
    ));
    for e in &data.events {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            e.starts_at.with_timezone(&tz).format("%Y-%m-%d"),
            table_cell(&e.title),
            e.going,
            e.maybe,
            e.checked_in
        ));
    }
    md.push_str(&format!(
        "\n## {}\n\n| {} | {} | {} | {} |\n|---|---:|---:|---:|\n",
        labels.per_month, labels.month, labels.events, labels.going, labels.checked_in
    ));
    for m in &data.months {
        let name = labels
            .month_names
            .get(m.month as usize - 1)
            .map(String::as_str)
            .unwrap_or("?");
        md.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            m.events, m.going, m.checked_in
        ));
    }
    md
}

pub fn report_csv(data: &ReportData, labels: &ReportLabels, tz: Tz) -> String {
    let header = vec![
        labels.date.clone(),
        labels.event.clone(),
        labels.going.clone(),
        labels.maybe.clone(),
        labels.checked_in.clone(),
    ];
    let rows = data
        .events
        .iter()
        .map(|e| {
            let local = e.starts_at.with_timezone(&tz);
            vec![
                format!("{:04}-{:02}-{:02}", local.year(), local.month(), local.day()),
                e.title.clone(),
                e.going.to_string(),
                e.maybe.to_string(),
                e.checked_in.to_string(),
            ]
        })
        .collect();
    csv_text(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(title: &str, description: Option<&str>, cancelled: bool) -> CalendarEntry {
        let start = Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap();
        CalendarEntry {
            event_id: 7,
            guild_id: 42,
            title: title.into(),
            description: description.map(Into::into),
            location: Some("Boulogne-sur-Mer".into()),
            starts_at: start,
            ends_at: start + chrono::Duration::hours(2),
            cancelled,
            updated_at: start,
        }
    }

    /// Unfolds RFC 5545 lines, checking every physical line's length.
    fn unfold(ics: &str) -> Vec<String> {
        assert!(ics.ends_with("\r\n"));
        let mut lines: Vec<String> = Vec::new();
        for physical in ics.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "line over 75 octets: {physical:?}");
            match physical.strip_prefix(' ') {
                Some(rest) => lines.last_mut().unwrap().push_str(rest),
                None => lines.push(physical.to_owned()),
            }
        }
        lines
    }

    #[test]
    fn calendar_is_valid_rfc5545() {
        let long = "Rencontre numérique sur la fibre optique et la 4G en entreprise à Boulogne-sur-Mer, été comme hiver, ".repeat(2);
        let ics = calendar_ics(
            "Agenda",
            &[
                entry("Bilan; AG, 2026\\ soirée\nsuite", Some(&long), false),
                entry("Annulé", None, true),
            ],
        );
        let lines = unfold(&ics);
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 2);
        assert!(lines.contains(&"VERSION:2.0".to_owned()));
        assert!(lines.contains(&"PRODID:-//Rencontre//Rencontre//FR".to_owned()));
        assert!(
            lines.contains(&"SUMMARY:Bilan\\; AG\\, 2026\\\\ soirée\\nsuite".to_owned()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"DTSTART:20261203T173000Z".to_owned()),
            "{lines:?}"
        );
        assert!(lines.contains(&"STATUS:CANCELLED".to_owned()));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("DESCRIPTION:") && l.contains("été comme hiver")));
        let again = calendar_ics("Agenda", &[entry("x", None, false)]);
        assert!(again.contains("UID:event-7-42@rencontre"));
    }

    #[test]
    fn csv_quotes_defuses_and_carries_a_bom() {
        let row = AttendeeRow {
            name: "Dupont, \"Jo\"".into(),
            user_id: 1,
            status: "going".into(),
            guests: 1,
            waitlist_position: None,
            note: Some("=HYPERLINK(\"http://x\")".into()),
            responded_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            checked_in_at: None,
        };
        let csv = attendees_csv(&["a", "b", "c", "d", "e", "f", "g", "h"], &[row]);
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"Dupont, \"\"Jo\"\"\""), "{csv}");
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
    }

    #[test]
    fn markdown_report_escapes_titles() {
        let data = ReportData {
            year: 2026,
            events: vec![ReportEvent {
                title: "A | B".into(),
                starts_at: Utc.with_ymd_and_hms(2026, 3, 1, 18, 0, 0).unwrap(),
                going: 30,
                maybe: 2,
                checked_in: 25,
            }],
            months: (1..=12)
                .map(|month| MonthRow {
                    month,
                    events: 0,
                    going: 0,
                    checked_in: 0,
                })
                .collect(),
            total_going: 30,
            unique_attendees: 28,
            total_checked_in: 25,
            new_introductions: 4,
        };
        let s = |x: &str| x.to_owned();
        let labels = ReportLabels {
            title: s("Bilan 2026"),
            events_held: s("Événements"),
            total_going: s("Participants"),
            unique_attendees: s("Personnes"),
            checked_in: s("Présents"),
            new_introductions: s("Nouveaux"),
            per_event: s("Par événement"),
            per_month: s("Par mois"),
            date: s("Date"),
            event: s("Événement"),
            going: s("Inscrits"),
            maybe: s("Peut-être"),
            month: s("Mois"),
            events: s("Événements"),
            month_names: std::array::from_fn(|i| format!("Mnth{}", i + 1)),
        };
        let md = report_markdown(&data, &labels, chrono_tz::Europe::Paris);
        assert!(md.contains("| 2026-03-01 | A \\| B | 30 | 2 | 25 |"), "{md}");
        assert_eq!(md.matches("| Mnth").count(), 12);
        assert!(md.contains("**Personnes** : 28"));
        assert!(report_csv(&data, &labels, chrono_tz::Europe::Paris).contains("2026-03-01,A | B,30,2,25"));
    }
}
