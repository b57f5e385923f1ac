use chrono::Duration;
use chrono_tz::Europe::Paris;

use super::*;

const START: &str = "DTSTART;TZID=Europe/Paris";
const END: &str = "DTEND;TZID=Europe/Paris";
const RECURRENCE_ID: &str = "RECURRENCE-ID;TZID=Europe/Paris";

#[test]
fn a_weekly_series_is_one_master_with_its_rule_and_time_zone() {
    let first = paris(2026, 12, 8, 18, 30);
    let dates = series_dates(first, Repeat::Weekly, 8);
    let ics = render(&dates, rule(Repeat::Weekly, first));
    let events = read_events(&ics);
    assert_eq!(events.len(), 1, "one master, no per-date events:\n{ics}");
    let master = &events[0];
    assert_eq!(get(master, "UID"), Some("series-5-42@rencontre"));
    assert_eq!(get(master, START), Some("20261208T183000"));
    assert_eq!(get(master, END), Some("20261208T203000"));
    assert_eq!(get(master, "RRULE"), Some("FREQ=WEEKLY;BYDAY=TU"));
    assert_eq!(get(master, "SUMMARY"), Some("Café numérique"));
    assert_eq!(get(master, "LOCATION"), Some("La Station"));
    assert_eq!(get(master, "STATUS"), Some("CONFIRMED"));
    assert!(!master
        .keys()
        .any(|k| k.starts_with("EXDATE") || k.starts_with("RECURRENCE-ID")));
    // The TZID resolves within the file, and is defined before it is used.
    let zone = ics
        .find("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n")
        .expect("a VTIMEZONE");
    assert!(zone < ics.find("BEGIN:VEVENT").unwrap());
    assert_eq!(ics, render(&dates, rule(Repeat::Weekly, first)), "stable renders");
}

#[test]
fn an_edited_date_is_an_override_at_its_original_local_start() {
    let first = paris(2026, 12, 8, 18, 30);
    let mut dates = series_dates(first, Repeat::Weekly, 8);
    dates[2].starts_at = paris(2026, 12, 22, 19, 0);
    dates[2].ends_at = paris(2026, 12, 22, 21, 30);
    dates[2].location = Some("EILCO, Calais".into());
    let events = read_events(&render(&dates, rule(Repeat::Weekly, first)));
    assert_eq!(events.len(), 2, "{events:#?}");
    let edited = &events[1];
    assert_eq!(get(edited, "UID"), get(&events[0], "UID"));
    assert_eq!(get(edited, RECURRENCE_ID), Some("20261222T183000"));
    assert_eq!(get(edited, START), Some("20261222T190000"));
    assert_eq!(get(edited, END), Some("20261222T213000"));
    assert_eq!(get(edited, "LOCATION"), Some("EILCO, Calais"));
    assert_eq!(get(edited, "SUMMARY"), Some("Café numérique"));
    assert_eq!(get(edited, "STATUS"), Some("CONFIRMED"));
}

#[test]
fn a_date_cancelled_alone_is_a_cancelled_override() {
    let first = paris(2026, 12, 8, 18, 30);
    let mut dates = series_dates(first, Repeat::Weekly, 8);
    dates[1].cancelled = true;
    let events = read_events(&render(&dates, rule(Repeat::Weekly, first)));
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(get(&events[0], "STATUS"), Some("CONFIRMED"));
    assert_eq!(get(&events[0], "RRULE"), Some("FREQ=WEEKLY;BYDAY=TU"));
    assert_eq!(get(&events[1], RECURRENCE_ID), Some("20261215T183000"));
    assert_eq!(get(&events[1], START), Some("20261215T183000"));
    assert_eq!(get(&events[1], "STATUS"), Some("CANCELLED"));
}

#[test]
fn monthly_rules_name_the_weekday_position() {
    // 2026-12-08 is the 2nd Tuesday of December.
    let second = paris(2026, 12, 8, 18, 0);
    let ics = render(
        &series_dates(second, Repeat::Monthly, 3),
        rule(Repeat::Monthly, second),
    );
    let events = read_events(&ics);
    assert_eq!(events.len(), 1, "{ics}");
    assert_eq!(get(&events[0], "RRULE"), Some("FREQ=MONTHLY;BYDAY=2TU"));
    assert_eq!(get(&events[0], START), Some("20261208T180000"));

    // 2026-12-29 is a 5th Tuesday; January 2027 has four, and the bot takes
    // the last: 2027-01-26. "Last Tuesday" says both.
    let fifth = paris(2026, 12, 29, 18, 0);
    let dates = series_dates(fifth, Repeat::Monthly, 3);
    assert_eq!(dates[1].starts_at, paris(2027, 1, 26, 18, 0));
    let events = read_events(&render(&dates, rule(Repeat::Monthly, fifth)));
    assert_eq!(events.len(), 1);
    assert_eq!(get(&events[0], "RRULE"), Some("FREQ=MONTHLY;BYDAY=-1TU"));
}

#[test]
fn every_two_weeks_is_an_interval() {
    let first = paris(2026, 12, 1, 9, 0);
    let events = read_events(&render(
        &series_dates(first, Repeat::Biweekly, 4),
        rule(Repeat::Biweekly, first),
    ));
    assert_eq!(events.len(), 1);
    assert_eq!(get(&events[0], "RRULE"), Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"));
}

#[test]
fn a_weekly_series_across_the_october_change_keeps_its_local_time() {
    // 18:30 in Paris is 16:30 UTC until 2026-10-25, then 17:30 UTC.
    let first = paris(2026, 10, 13, 18, 30);
    let dates = series_dates(first, Repeat::Weekly, 6);
    assert_eq!(dates[1].starts_at, at(2026, 10, 20, 16, 30));
    assert_eq!(dates[2].starts_at, at(2026, 10, 27, 17, 30));
    let ics = render(&dates, rule(Repeat::Weekly, first));
    // No date needs an override: the rule in local time with the zone's
    // rules gives 18:30 on both sides of the change.
    let events = read_events(&ics);
    assert_eq!(events.len(), 1, "{ics}");
    assert_eq!(get(&events[0], START), Some("20261013T183000"));
    assert!(ics.contains(
        "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
         RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    ));
    assert!(ics.contains(
        "BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
         RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    ));
}

#[test]
fn the_master_starts_at_the_first_date_covered_and_skipped_slots_are_excluded() {
    let anchor = paris(2026, 10, 13, 18, 30);
    // Dates before the window are not given; the 5th slot was never generated.
    let mut dates = series_dates(anchor, Repeat::Weekly, 8);
    dates.drain(..2);
    dates.remove(2);
    let events = read_events(&render(&dates, rule(Repeat::Weekly, anchor)));
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(get(&events[0], START), Some("20261027T183000"));
    assert_eq!(
        get(&events[0], "EXDATE;TZID=Europe/Paris"),
        Some("20261110T183000")
    );
    assert!(!get(&events[0], "RRULE").unwrap().contains("UNTIL"));
}

#[test]
fn the_master_carries_the_latest_dates_details() {
    // The series was retitled from its third date on: the bot copies the
    // latest date into the dates it generates next, so the master says the
    // new title and the first two dates keep theirs as overrides.
    let first = paris(2026, 12, 8, 18, 30);
    let mut dates = series_dates(first, Repeat::Weekly, 6);
    for date in &mut dates[2..] {
        date.title = "Café numérique, saison 2".into();
    }
    let events = read_events(&render(&dates, rule(Repeat::Weekly, first)));
    assert_eq!(events.len(), 3, "{events:#?}");
    assert_eq!(get(&events[0], "SUMMARY"), Some("Café numérique, saison 2"));
    assert_eq!(get(&events[1], "SUMMARY"), Some("Café numérique"));
    assert_eq!(get(&events[1], RECURRENCE_ID), Some("20261208T183000"));
    assert_eq!(get(&events[2], RECURRENCE_ID), Some("20261215T183000"));
}

#[test]
fn a_cancelled_series_ends_and_is_cancelled_when_every_date_is() {
    let first = paris(2026, 12, 8, 18, 30);
    let mut dates = series_dates(first, Repeat::Weekly, 4);
    let mut cancelled = rule(Repeat::Weekly, first);
    cancelled.cancelled = true;
    for date in &mut dates {
        date.cancelled = true;
    }
    let events = read_events(&render(&dates, cancelled));
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(get(&events[0], "STATUS"), Some("CANCELLED"));
    // 2026-12-29 18:30 in Paris.
    assert_eq!(
        get(&events[0], "RRULE"),
        Some("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261229T173000Z")
    );

    // Cancelled from its third date on: the first two took place.
    dates[0].cancelled = false;
    dates[1].cancelled = false;
    let events = read_events(&render(&dates, cancelled));
    assert_eq!(events.len(), 3, "{events:#?}");
    assert_eq!(get(&events[0], "STATUS"), Some("CONFIRMED"));
    assert!(get(&events[0], "RRULE")
        .unwrap()
        .ends_with(";UNTIL=20261229T173000Z"));
    assert_eq!(get(&events[1], RECURRENCE_ID), Some("20261222T183000"));
    assert_eq!(get(&events[1], "STATUS"), Some("CANCELLED"));
    assert_eq!(get(&events[2], "STATUS"), Some("CANCELLED"));
}

#[test]
fn dates_the_rule_cannot_place_stay_single_events() {
    let first = paris(2026, 12, 8, 18, 30);
    let mut dates = series_dates(first, Repeat::Weekly, 4);
    // A date moved before the bot kept original starts: its slot is unknown.
    dates[1].starts_at = paris(2026, 12, 16, 12, 0);
    dates[1].ends_at = paris(2026, 12, 16, 14, 0);
    dates[1].occurrence.as_mut().unwrap().original_start = dates[1].starts_at;
    let events = read_events(&render(&dates, rule(Repeat::Weekly, first)));
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(
        get(&events[0], "EXDATE;TZID=Europe/Paris"),
        Some("20261215T183000")
    );
    assert_eq!(get(&events[1], "UID"), Some("event-101-42@rencontre"));
    assert_eq!(get(&events[1], "DTSTART"), Some("20261216T110000Z"));
}

#[test]
fn without_the_rule_a_members_dates_stay_single_events() {
    let first = paris(2026, 12, 8, 18, 30);
    let dates = series_dates(first, Repeat::Weekly, 8);
    let mine = [dates[1].clone(), dates[4].clone()];
    let ics = calendar_ics("Mes événements", Paris, &mine, &[]);
    let events = read_events(&ics);
    assert_eq!(events.len(), 2);
    assert_eq!(get(&events[0], "UID"), Some("event-101-42@rencontre"));
    assert_eq!(get(&events[1], "UID"), Some("event-104-42@rencontre"));
    assert!(!ics.contains("RRULE") && !ics.contains("VTIMEZONE"));
}

#[test]
fn a_utc_server_writes_utc_times_and_no_time_zone() {
    let first = at(2026, 12, 8, 18, 30);
    let dates: Vec<CalendarEntry> = series_dates(paris(2026, 12, 8, 19, 30), Repeat::Weekly, 3);
    assert_eq!(dates[0].starts_at, first);
    let ics = calendar_ics("Agenda", chrono_tz::UTC, &dates, &[rule(Repeat::Weekly, first)]);
    let events = read_events(&ics);
    assert_eq!(events.len(), 1, "{ics}");
    assert_eq!(get(&events[0], "DTSTART"), Some("20261208T183000Z"));
    assert!(!ics.contains("VTIMEZONE") && !ics.contains("TZID"));
}

#[test]
fn the_rust_icalendar_parser_reads_a_series_with_overrides() {
    let first = paris(2026, 10, 13, 18, 30);
    let mut dates = series_dates(first, Repeat::Weekly, 8);
    dates[1].cancelled = true;
    dates[3].starts_at += Duration::minutes(30);
    dates[3].ends_at += Duration::minutes(30);
    let mut single = entry(7, "AG, bilan", None);
    single.starts_at = paris(2026, 10, 20, 9, 0);
    dates.insert(1, single);
    let ics = render(&dates, rule(Repeat::Weekly, first));
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let names: Vec<&str> = calendar.components.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(names, ["VTIMEZONE", "VEVENT", "VEVENT", "VEVENT", "VEVENT"]);
    let zone = &calendar.components[0];
    let kinds: Vec<&str> = zone.components.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(kinds, ["DAYLIGHT", "STANDARD"]);
    let prop = |i: usize, name: &str| {
        calendar.components[i]
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.to_string())
    };
    assert_eq!(prop(1, "RRULE").as_deref(), Some("FREQ=WEEKLY;BYDAY=TU"));
    // The series sits where its first date does; the single event after it.
    assert_eq!(prop(2, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(prop(3, "DTSTART").as_deref(), Some("20261103T190000"));
    assert_eq!(prop(4, "UID").as_deref(), Some("event-7-42@rencontre"));
}
