use super::*;
use chrono::TimeZone;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
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
        lang: Lang::Fr,
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
        total_going: 53_652,
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
        "- Participations — **53\u{202f}652**",
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
