//! Files organizers take away: CSV for spreadsheets (RFC 4180) and the
//! yearly activity report ("bilan") in Markdown and CSV (calendar files are
//! in [`super::ics`]). Pure: the caller loads the data and translates every
//! word; this module only lays it out.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

use super::format::number;
use super::Lang;

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
    /// The reader's language: how numbers are written ("53 652", "53,652").
    pub lang: Lang,
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
        let value = number(value, labels.lang);
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
                number(event.going, labels.lang),
                number(event.maybe, labels.lang),
                number(event.checked_in, labels.lang),
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
        let count = |f: fn(&MonthRow) -> i64| number(row.map(f).unwrap_or(0), labels.lang);
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
mod tests;
