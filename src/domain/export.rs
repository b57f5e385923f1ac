//! Files members and organizers take away: an iCalendar feed (RFC 5545),
//! CSV for spreadsheets (RFC 4180) and the yearly activity report ("bilan")
//! in Markdown and CSV. Pure: the caller loads the data and translates every
//! word; this module only lays it out.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, EventLike, EventStatus, Property, ValueType};

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

/// The event's UID in calendar files. It depends only on the event, so a
/// re-downloaded or subscribed calendar updates the event instead of adding
/// a duplicate.
pub fn event_uid(event_id: i64, guild_id: u64) -> String {
    format!("event-{event_id}-{guild_id}@rencontre")
}

/// A valid RFC 5545 calendar: one VEVENT per entry, times in UTC, text
/// escaped, lines CRLF-terminated and folded at 75 octets.
pub fn calendar_ics(calendar_name: &str, entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("PRODID", "-//Rencontre//Rencontre//FR"))
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(&ics_text(calendar_name));
    for entry in entries {
        let mut event = icalendar::Event::new();
        event
            .uid(&event_uid(entry.event_id, entry.guild_id))
            // Without a METHOD, DTSTAMP is the last revision in our store
            // (RFC 5545 §3.8.7.2); a fixed value also keeps renders stable.
            .timestamp(entry.updated_at)
            .last_modified(entry.updated_at)
            .starts(entry.starts_at)
            .summary(&ics_text(&entry.title))
            .status(if entry.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        // RFC 5545 requires DTEND after DTSTART; clients reject the whole
        // file otherwise, while an event without DTEND is valid (it is
        // instantaneous), so a bad end time costs one event its duration only.
        if entry.ends_at > entry.starts_at {
            event.ends(entry.ends_at);
        }
        if let Some(text) = non_blank(&entry.description) {
            event.description(&ics_text(text));
        }
        if let Some(text) = non_blank(&entry.location) {
            event.location(&ics_text(text));
        }
        calendar.push(event.done());
    }
    write_calendar(&calendar)
}

fn non_blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

/// TEXT values may not hold control characters (RFC 5545 §3.3.11) apart from
/// tab, and line breaks are written as `\n`: members paste text from
/// Windows, so a bare CR would otherwise end up raw inside a content line.
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

// We serialise the icalendar crate's model ourselves rather than with its
// `Display`, whose folding (icalendar 0.17.17) mixes byte offsets with
// character indices: a line whose last fold leaves exactly 75 octets comes
// out 76 long, and a run of accented letters followed by spaced-out text
// ("éééé… a b c d") makes it loop forever, so a member's title could hang
// the bot. Its escaping (`\\`, `;`, `,`, newline) is right; we redo it below
// only because we write the lines ourselves.
fn write_calendar(calendar: &Calendar) -> String {
    let mut out = String::new();
    content_line(&mut out, "BEGIN:VCALENDAR");
    for property in &calendar.properties {
        write_property(&mut out, property);
    }
    for event in calendar.events() {
        write_component(&mut out, event);
    }
    content_line(&mut out, "END:VCALENDAR");
    out
}

fn write_component<C: Component>(out: &mut String, component: &C) {
    let kind = component.component_kind();
    content_line(out, &format!("BEGIN:{kind}"));
    let single = component.properties().values();
    for property in single.chain(component.multi_properties().values().flatten()) {
        write_property(out, property);
    }
    for child in component.components() {
        write_component(out, child);
    }
    content_line(out, &format!("END:{kind}"));
}

fn write_property(out: &mut String, property: &Property) {
    let mut line = property.key().to_owned();
    for param in property.params().values() {
        // A DQUOTE cannot appear in a parameter value at all; a quoted value
        // may hold `:`, `;` and `,` (RFC 5545 §3.2).
        let value = param.value().replace('"', "");
        if value.contains([':', ';', ',']) {
            line.push_str(&format!(";{}=\"{value}\"", param.key()));
        } else {
            line.push_str(&format!(";{}={value}", param.key()));
        }
    }
    line.push(':');
    // icalendar's table of value types lacks RFC 7986's NAME, which
    // `Calendar::name` sets; an unknown property is treated as TEXT, so a
    // comma or line break in the calendar's name cannot break the file.
    match property.value_type() {
        Some(ValueType::Text) | None => line.push_str(&escape_text(property.value())),
        Some(_) => line.push_str(property.value()),
    }
    content_line(out, &line);
}

/// RFC 5545 §3.3.11: backslash first, so the escapes added next stay single.
fn escape_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Appends `line` folded as RFC 5545 §3.1 asks: at most 75 octets per
/// physical line, the leading space of a continuation included, and never
/// inside a UTF-8 sequence (clients that decode per line would show garbage).
fn content_line(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut budget = LIMIT;
    while rest.len() > budget {
        let mut cut = budget;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        budget = LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// One attendee line for the organizers' CSV.
pub struct AttendeeRow {
    pub name: String,
    pub user_id: u64,
    /// Already translated by the caller.
    pub status: String,
    pub guests: i64,
    pub waitlist_position: Option<i64>,
    pub note: Option<String>,
    pub responded_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// The attendee list as CSV: the caller's translated `headers` (same order
/// as [`AttendeeRow`]'s fields), then one row per attendee, times in RFC 3339
/// UTC. UTF-8 with a byte-order mark, RFC 4180 quoting, and cells that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`...) prefixed by `'`.
pub fn attendees_csv(headers: &[&str; 8], rows: &[AttendeeRow]) -> String {
    let records = rows.iter().map(|row| {
        vec![
            row.name.clone(),
            row.user_id.to_string(),
            row.status.clone(),
            row.guests.to_string(),
            row.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
            row.note.clone().unwrap_or_default(),
            rfc3339(row.responded_at),
            row.checked_in_at.map(rfc3339).unwrap_or_default(),
        ]
    });
    csv_file(headers, records)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Spreadsheet apps evaluate a cell starting with one of these as a formula
/// (`=HYPERLINK(...)` can leak data or lure a click); names, notes and titles
/// are typed by members, so such cells get a leading quote, which Excel and
/// LibreOffice show as plain text (OWASP's advice for CSV injection).
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// RFC 4180 CSV (CRLF, quoting where needed) starting with a UTF-8 byte-order
/// mark. Excel, which association treasurers open these files with, reads a
/// CSV without BOM in the system's legacy code page, turning "Hélène" into
/// "HÃ©lÃ¨ne"; the BOM makes it read UTF-8, and other tools skip it.
fn csv_file<H, R>(header: &[H], rows: impl Iterator<Item = R>) -> String
where
    H: AsRef<str>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    // Writing into memory cannot fail and every record has the header's
    // width, so an error would be a bug here, not a user's doing.
    let bytes = csv_bytes(header, rows).unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

fn csv_bytes<H, R>(header: &[H], rows: impl Iterator<Item = R>) -> csv::Result<Vec<u8>>
where
    H: AsRef<str>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header.iter().map(|h| defuse(h.as_ref())))?;
    for row in rows {
        writer.write_record(row.into_iter().map(|c| defuse(c.as_ref())))?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// One event of the year in the report.
pub struct ReportEvent {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Seats taken, guests included.
    pub going: i64,
    pub maybe: i64,
    pub checked_in: i64,
}

/// One month of the report.
pub struct MonthRow {
    /// 1 to 12.
    pub month: u32,
    pub events: i64,
    pub going: i64,
    pub checked_in: i64,
}

/// The yearly activity report ("bilan") for a general assembly.
pub struct ReportData {
    pub year: i32,
    pub events: Vec<ReportEvent>,
    /// All twelve months; a missing month is shown with zeros.
    pub months: Vec<MonthRow>,
    pub total_going: i64,
    pub unique_attendees: i64,
    pub total_checked_in: i64,
    pub new_introductions: i64,
}

/// Every word of the report, translated by the caller.
pub struct ReportLabels {
    /// The document's heading, year included.
    pub title: String,
    /// Summary: number of events held.
    pub events_held: String,
    /// Summary: seats taken over the year, guests included.
    pub total_going: String,
    /// Summary: distinct people who said they were going.
    pub unique_attendees: String,
    /// Summary label and column header: check-ins.
    pub checked_in: String,
    /// Summary: introductions posted during the year.
    pub new_introductions: String,
    /// Heading of the per-event table.
    pub per_event: String,
    /// Heading of the per-month table.
    pub per_month: String,
    /// Column headers.
    pub date: String,
    pub event: String,
    pub going: String,
    pub maybe: String,
    pub month: String,
    pub events: String,
    /// January first.
    pub month_names: [String; 12],
}

/// The report as Markdown: heading, summary list, a table per event and a
/// table of the twelve months. Dates are local to `tz`.
pub fn report_markdown(data: &ReportData, labels: &ReportLabels, tz: Tz) -> String {
    let mut md = format!("# {}\n\n", one_line(&labels.title));
    let summary = [
        (&labels.events_held, data.events.len() as i64),
        (&labels.total_going, data.total_going),
        (&labels.unique_attendees, data.unique_attendees),
        (&labels.checked_in, data.total_checked_in),
        (&labels.new_introductions, data.new_introductions),
    ];
    for (label, value) in summary {
        // A dash rather than a colon: French puts a space before a colon and
        // English does not, and the caller's labels carry no punctuation.
        md.push_str(&format!("- {} — **{value}**\n", one_line(label)));
    }

    md.push_str(&format!("\n## {}\n\n", one_line(&labels.per_event)));
    table_row(
        &mut md,
        [
            &labels.date,
            &labels.event,
            &labels.going,
            &labels.maybe,
            &labels.checked_in,
        ]
        .map(|l| table_cell(l)),
    );
    md.push_str("|---|---|---:|---:|---:|\n");
    for event in &data.events {
        table_row(
            &mut md,
            [
                local_date(event.starts_at, tz),
                table_cell(&event.title),
                event.going.to_string(),
                event.maybe.to_string(),
                event.checked_in.to_string(),
            ],
        );
    }

    md.push_str(&format!("\n## {}\n\n", one_line(&labels.per_month)));
    table_row(
        &mut md,
        [&labels.month, &labels.events, &labels.going, &labels.checked_in].map(|l| table_cell(l)),
    );
    md.push_str("|---|---:|---:|---:|\n");
    for (name, month) in labels.month_names.iter().zip(1..) {
        let row = data.months.iter().find(|m| m.month == month);
        let count = |f: fn(&MonthRow) -> i64| row.map(f).unwrap_or(0).to_string();
        table_row(
            &mut md,
            [
                table_cell(name),
                count(|m| m.events),
                count(|m| m.going),
                count(|m| m.checked_in),
            ],
        );
    }
    md
}

fn table_row<const N: usize>(md: &mut String, cells: [String; N]) {
    md.push_str(&format!("| {} |\n", cells.join(" | ")));
}

fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

/// Event titles are typed by members: a `|` or a line break would split the
/// table row, and `*`, `_`, `` ` ``, `[`, `<`... would turn a title into
/// formatting, a link or HTML in the rendered document.
fn table_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(c, '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '~') {
            cell.push('\\');
        }
        cell.push(c);
    }
    cell
}

/// ISO 8601 local date: the same in both languages and sorted correctly by
/// any spreadsheet.
fn local_date(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// The report's per-event table as CSV (date local to `tz`, title, going,
/// maybe, checked in), encoded like [`attendees_csv`].
pub fn report_csv(data: &ReportData, labels: &ReportLabels, tz: Tz) -> String {
    let header = [
        &labels.date,
        &labels.event,
        &labels.going,
        &labels.maybe,
        &labels.checked_in,
    ];
    let rows = data.events.iter().map(|event| {
        [
            local_date(event.starts_at, tz),
            event.title.clone(),
            event.going.to_string(),
            event.maybe.to_string(),
            event.checked_in.to_string(),
        ]
    });
    csv_file(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
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
            ends_at: start + chrono::Duration::hours(2),
            cancelled: false,
            updated_at: at(2026, 11, 20, 9, 0),
        }
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

    /// The VEVENTs as a client reads them: unfolded, values unescaped.
    fn read_events(ics: &str) -> Vec<std::collections::BTreeMap<String, String>> {
        let mut events = Vec::new();
        let mut current = None;
        for line in check_rfc5545(ics) {
            let (name, value) = line.split_once(':').unwrap();
            match (name, value) {
                ("BEGIN", "VEVENT") => current = Some(std::collections::BTreeMap::new()),
                ("END", "VEVENT") => events.extend(current.take()),
                _ => {
                    if let Some(event) = current.as_mut() {
                        event.insert(name.to_owned(), unescape(value));
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

    #[test]
    fn calendar_parses_back_with_everything_a_member_sees() {
        let title = "AG 2026, bilan; budget \\ vote\nsuite";
        let description = "Ordre du jour :\r\n1. Rapport moral, financier; vote\n2. Élections";
        let mut cancelled = entry(8, "Apéro annulé", None);
        cancelled.cancelled = true;
        let ics = calendar_ics(
            "Agenda; Rencontre, Lille",
            &[entry(7, title, Some(description)), cancelled],
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

        let events = read_events(&ics);
        assert_eq!(events.len(), 2);
        let get = |i: usize, key: &str| events[i].get(key).map(String::as_str);
        assert_eq!(get(0, "SUMMARY"), Some(title));
        assert_eq!(
            get(0, "DESCRIPTION"),
            Some("Ordre du jour :\n1. Rapport moral, financier; vote\n2. Élections")
        );
        assert_eq!(get(0, "LOCATION"), Some("Salle des fêtes; 1, rue Haute"));
        assert_eq!(get(0, "STATUS"), Some("CONFIRMED"));
        assert_eq!(get(1, "STATUS"), Some("CANCELLED"));
        assert_eq!(get(1, "UID"), Some("event-8-42@rencontre"));
        assert_eq!(get(1, "DESCRIPTION"), None);
    }

    #[test]
    fn long_french_text_is_folded_on_character_boundaries() {
        let description = "Assemblée générale de l'association : présentation du bilan \
            d'activité, élection du bureau, questions diverses. Venez nombreux, \
            c'est l'été ! Goûter offert après la séance, café et thé à volonté. \
            Merci de répondre avant vendredi.";
        assert!(description.chars().count() >= 200);
        let ics = calendar_ics("Agenda", &[entry(1, "Réunion", Some(description))]);
        let lines = check_rfc5545(&ics);
        let folded = ics.split("\r\n").filter(|l| l.starts_with(' ')).count();
        assert!(folded >= 2, "a long description spans several lines");
        let expected = format!("DESCRIPTION:{}", description.replace(',', "\\,"));
        assert!(lines.contains(&expected), "{lines:#?}");
        let events = read_events(&ics);
        assert_eq!(
            events[0].get("DESCRIPTION").map(String::as_str),
            Some(description)
        );
    }

    #[test]
    fn text_that_hangs_icalendars_own_folding_renders() {
        let title = "é".repeat(100) + &" a b c d e f g h i j k l m".repeat(6);
        let ics = calendar_ics("Agenda", &[entry(1, &title, None)]);
        assert_eq!(read_events(&ics)[0].get("SUMMARY"), Some(&title));
    }

    #[test]
    fn folding_holds_at_every_length_and_width() {
        for piece in ["a", "é", " é", "€", "😀 "] {
            for n in 60..200 {
                let text: String = piece.repeat(n).chars().take(n).collect();
                let mut out = String::new();
                content_line(&mut out, &text);
                let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
                assert!(physical.iter().all(|l| l.len() <= 75), "{piece:?} × {n}");
                let unfolded: String = physical
                    .iter()
                    .enumerate()
                    .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
                    .collect();
                assert_eq!(unfolded, text);
            }
        }
    }

    #[test]
    fn renders_are_stable_and_bad_end_times_are_dropped() {
        let mut odd = entry(9, "x", None);
        odd.ends_at = odd.starts_at;
        odd.description = Some("  ".into());
        let entries = [entry(7, "Atelier", Some("vélo")), odd];
        let first = calendar_ics("Agenda", &entries);
        assert_eq!(first, calendar_ics("Agenda", &entries));
        assert_eq!(first.matches("UID:event-7-42@rencontre\r\n").count(), 1);
        assert_eq!(first.matches("DTEND:").count(), 1);
        assert_eq!(first.matches("DESCRIPTION:").count(), 1);
        check_rfc5545(&first);
    }

    fn attendee(name: &str, note: Option<&str>) -> AttendeeRow {
        AttendeeRow {
            name: name.into(),
            user_id: 123_456_789_012_345_678,
            status: "Présent".into(),
            guests: 2,
            waitlist_position: None,
            note: note.map(Into::into),
            responded_at: at(2026, 12, 1, 8, 0),
            checked_in_at: Some(at(2026, 12, 3, 17, 45)),
        }
    }

    fn read_csv(text: &str) -> Vec<Vec<String>> {
        let body = text.strip_prefix('\u{feff}').expect("starts with a BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn attendees_csv_quotes_defuses_and_carries_a_bom() {
        let headers = [
            "Nom", "ID", "Statut", "Invités", "Attente", "Note", "Réponse", "Arrivée",
        ];
        let rows = [
            attendee(
                "Dupont, \"Jo\"",
                Some("=HYPERLINK(\"http://x.example\",\"clic\")"),
            ),
            attendee("+33 6 12", None),
            attendee("Hélène", Some("@admin\nvient à vélo")),
        ];
        let csv = attendees_csv(&headers, &rows);
        assert!(csv.starts_with("\u{feff}Nom,ID,Statut,Invités,Attente,Note,Réponse,Arrivée\r\n"));
        assert!(csv.contains("\"Dupont, \"\"Jo\"\"\","), "{csv}");
        let cells = read_csv(&csv);
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[1][0], "Dupont, \"Jo\"");
        assert_eq!(cells[1][1], "123456789012345678");
        assert_eq!(cells[1][4], "");
        assert_eq!(cells[1][5], "'=HYPERLINK(\"http://x.example\",\"clic\")");
        assert_eq!(cells[1][6], "2026-12-01T08:00:00Z");
        assert_eq!(cells[1][7], "2026-12-03T17:45:00Z");
        assert_eq!(cells[2][0], "'+33 6 12");
        assert_eq!(cells[2][5], "");
        assert_eq!(cells[3][0], "Hélène");
        assert_eq!(cells[3][5], "'@admin\nvient à vélo");
    }

    fn labels() -> ReportLabels {
        let s = |x: &str| x.to_owned();
        ReportLabels {
            title: s("Bilan d'activité 2026"),
            events_held: s("Événements tenus"),
            total_going: s("Participations"),
            unique_attendees: s("Personnes différentes"),
            checked_in: s("Présences"),
            new_introductions: s("Nouvelles présentations"),
            per_event: s("Par événement"),
            per_month: s("Par mois"),
            date: s("Date"),
            event: s("Événement"),
            going: s("Inscrits"),
            maybe: s("Peut-être"),
            month: s("Mois"),
            events: s("Événements"),
            month_names: std::array::from_fn(|i| format!("Mois{}", i + 1)),
        }
    }

    fn report() -> ReportData {
        ReportData {
            year: 2026,
            events: vec![
                ReportEvent {
                    title: "Atelier | vélo\nsuite *gras*".into(),
                    // 23:30 UTC is already the next day in Paris.
                    starts_at: at(2026, 3, 1, 23, 30),
                    going: 30,
                    maybe: 2,
                    checked_in: 25,
                },
                ReportEvent {
                    title: "=1+1".into(),
                    starts_at: at(2026, 6, 12, 18, 0),
                    going: 12,
                    maybe: 0,
                    checked_in: 10,
                },
            ],
            // July missing: still shown, with zeros.
            months: (1..=12)
                .filter(|m| *m != 7)
                .map(|month| MonthRow {
                    month,
                    events: i64::from(month == 3 || month == 6),
                    going: if month == 3 { 30 } else { 0 },
                    checked_in: 0,
                })
                .collect(),
            total_going: 42,
            unique_attendees: 28,
            total_checked_in: 35,
            new_introductions: 4,
        }
    }

    #[test]
    fn markdown_report_has_totals_months_and_escaped_titles() {
        let md = report_markdown(&report(), &labels(), chrono_tz::Europe::Paris);
        assert!(md.starts_with("# Bilan d'activité 2026\n"));
        for total in [
            "- Événements tenus — **2**",
            "- Participations — **42**",
            "- Personnes différentes — **28**",
            "- Présences — **35**",
            "- Nouvelles présentations — **4**",
        ] {
            assert!(md.contains(total), "missing {total:?} in\n{md}");
        }
        assert!(
            md.contains("| 2026-03-02 | Atelier \\| vélo suite \\*gras\\* | 30 | 2 | 25 |\n"),
            "{md}"
        );
        let month_rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| Mois")).collect();
        assert_eq!(month_rows.len(), 13, "header and twelve months:\n{md}");
        assert_eq!(month_rows[3], "| Mois3 | 1 | 30 | 0 |");
        assert_eq!(month_rows[7], "| Mois7 | 0 | 0 | 0 |");
        // Every table row has as many cells as its header.
        for line in md.lines().filter(|l| l.starts_with('|')) {
            let cells = line.replace("\\|", "").matches('|').count();
            assert!(cells == 6 || cells == 5, "{line}");
        }
    }

    #[test]
    fn report_csv_uses_local_dates_and_defuses_titles() {
        let cells = read_csv(&report_csv(&report(), &labels(), chrono_tz::Europe::Paris));
        assert_eq!(
            cells[0],
            ["Date", "Événement", "Inscrits", "Peut-être", "Présences"]
        );
        assert_eq!(
            cells[1],
            ["2026-03-02", "Atelier | vélo\nsuite *gras*", "30", "2", "25"]
        );
        assert_eq!(cells[2], ["2026-06-12", "'=1+1", "12", "0", "10"]);
    }
}
