//! Dates as people say them (issues 14 and 17): "mardi prochain", ranges, parts of
//! the day, "le 3", "lundi en huit", "hier", weekday/date mismatches, the limit.

use super::*;
use crate::domain::Lang;
use chrono::{Duration, NaiveDate, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Europe::Paris;

/// A Tuesday: 11:00 in Paris, 05:00 in New York.
const TUESDAY: &str = "2026-12-01T10:00:00Z";

fn span_at(input: &str, now: &str, tz: Tz) -> Span {
    parse_span(input, utc(now), tz).unwrap_or_else(|e| panic!("{input:?}: {e:?}"))
}

/// Rows of `input | local start | minutes of the range, or -`, said on [`TUESDAY`].
fn check_spans(table: &str, tz: Tz) {
    for row in table.lines().filter(|l| l.contains('|')) {
        let cols: Vec<&str> = row.split('|').map(str::trim).collect();
        let span = span_at(cols[0], TUESDAY, tz);
        let start = span.start.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
        let minutes = span
            .duration
            .map_or("-".to_string(), |d| d.num_minutes().to_string());
        assert_eq!(
            (start.as_str(), minutes.as_str()),
            (cols[1], cols[2]),
            "{row} {tz}"
        );
    }
}

/// The same meaning in Paris and New York (05:00 there, so every time below is ahead).
const SAID_ON_A_TUESDAY: &str = "
    mardi prochain 18h           | 2026-12-08 18:00 | -
    next tuesday 6pm             | 2026-12-08 18:00 | -
    Mardi prochain à 18h         | 2026-12-08 18:00 | -
    mardi 18h                    | 2026-12-01 18:00 | -
    tuesday 6pm                  | 2026-12-01 18:00 | -
    jeudi prochain 18h           | 2026-12-03 18:00 | -
    next thursday 6pm            | 2026-12-03 18:00 | -
    lundi en huit                | 2026-12-14 09:00 | -
    lundi en 8 à 18h             | 2026-12-14 18:00 | -
    mardi en huit 18h            | 2026-12-08 18:00 | -
    jeudi en quinze 18h          | 2026-12-17 18:00 | -
    demain en huit               | 2026-12-09 09:00 | -
    le 3 à 18h                   | 2026-12-03 18:00 | -
    le 15 à 18h                  | 2026-12-15 18:00 | -
    le 31                        | 2026-12-31 09:00 | -
    on the 3rd at 6pm            | 2026-12-03 18:00 | -
    the 15th at 6pm              | 2026-12-15 18:00 | -
    3rd 6pm                      | 2026-12-03 18:00 | -
    le 1er à 18h                 | 2026-12-01 18:00 | -
    ce soir                      | 2026-12-01 20:00 | -
    cet après-midi               | 2026-12-01 14:00 | -
    this afternoon               | 2026-12-01 14:00 | -
    vendredi après-midi          | 2026-12-04 14:00 | -
    vendredi apres midi 3h       | 2026-12-04 15:00 | -
    friday afternoon             | 2026-12-04 14:00 | -
    vendredi matin               | 2026-12-04 09:00 | -
    dans un mois à 18h           | 2027-01-01 18:00 | -
    in a month at 6pm            | 2027-01-01 18:00 | -
    dans 2 semaines à 18h        | 2026-12-15 18:00 | -
    next week                    | 2026-12-07 09:00 | -
    la semaine prochaine         | 2026-12-07 09:00 | -
    la semaine prochaine 18h     | 2026-12-07 18:00 | -
    mardi de la semaine prochaine 18h | 2026-12-08 18:00 | -
    hier 18h                     | 2026-11-30 18:00 | -
    yesterday 6pm                | 2026-11-30 18:00 | -
    avant-hier                   | 2026-11-29 09:00 | -
    the day before yesterday     | 2026-11-29 09:00 | -
    1/12 18h                     | 2026-12-01 18:00 | -
    30/11 18h                    | 2027-11-30 18:00 | -
    lundi 8h-10h                 | 2026-12-07 08:00 | 120
    jeudi 18h30 à 20h            | 2026-12-03 18:30 | 90
    jeudi 18h30-20h              | 2026-12-03 18:30 | 90
    jeudi 18h30 - 20h            | 2026-12-03 18:30 | 90
    de 14h à 17h                 | 2026-12-01 14:00 | 180
    demain de 9h à 12h30         | 2026-12-02 09:00 | 210
    demain 18h jusqu'à 20h       | 2026-12-02 18:00 | 120
    3 déc 18:30-20:00            | 2026-12-03 18:30 | 90
    ce soir 8h-11h               | 2026-12-01 20:00 | 180
    22h-2h                       | 2026-12-01 22:00 | 240
    monday 8am-10am              | 2026-12-07 08:00 | 120
    from 2pm to 5pm              | 2026-12-01 14:00 | 180
    thursday 6:30pm until 8pm    | 2026-12-03 18:30 | 90
    jeudi 3 décembre 2026, 18:30–20:00 | 2026-12-03 18:30 | 90";

#[test]
fn said_on_a_tuesday() {
    check_spans(SAID_ON_A_TUESDAY, Paris);
    check_spans(SAID_ON_A_TUESDAY, New_York);
}

#[test]
fn said_after_the_hour_is_past_not_next_year() {
    // 11:00 in Paris: what was said for this morning is today, in the past, so the
    // caller says "déjà passé" the same way for all of them.
    let past = "1/12 10h | 01/12 10h | aujourd'hui 10h | today 10am | ce matin | this morning | \
                le 1er à 10h | on the 1st at 10am | hier 18h | yesterday 6pm | avant-hier";
    for input in past.split('|').map(str::trim) {
        let at = when_at(input, TUESDAY, Paris);
        assert!(at < utc(TUESDAY), "{input:?} → {at}");
        assert!(at > utc(TUESDAY) - Duration::days(3), "{input:?} → {at}");
    }
    // "10h" alone still rolls over to tomorrow: no date was said.
    let at = when_at("10h", TUESDAY, Paris).with_timezone(&Paris);
    assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2026-12-02 10:00");
}

#[test]
fn months_ahead_keep_the_wall_clock() {
    for (input, expected) in [
        ("dans 1 mois", "2027-01-01 11:00"),
        ("in 1 month", "2027-01-01 11:00"),
        ("dans 2 mois", "2027-02-01 11:00"),
    ] {
        let at = when_at(input, TUESDAY, Paris).with_timezone(&Paris);
        assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), expected, "{input}");
    }
    // 31 January plus a month is the last day of February; across the spring change
    // the wall clock stays 11:00.
    let at = when_at("dans 1 mois", "2027-01-31T10:00:00Z", Paris).with_timezone(&Paris);
    assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2027-02-28 11:00");
    let at = when_at("dans 1 mois", "2027-03-15T10:00:00Z", Paris).with_timezone(&Paris);
    assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2027-04-15 11:00");
}

#[test]
fn ranges_last_real_time_across_daylight_saving() {
    // Autumn: 01:00 summer time to 04:00 winter time is four real hours.
    let autumn = span_at("2026-10-25 1h-4h", "2026-10-01T10:00:00Z", Paris);
    assert_eq!(autumn.start, utc("2026-10-24T23:00:00Z"));
    assert_eq!(autumn.duration, Some(Duration::hours(4)));
    // Spring: 01:00 to 04:00 skips an hour: two real hours.
    let spring = span_at("2026-03-29 1h-4h", "2026-03-01T10:00:00Z", Paris);
    assert_eq!(spring.duration, Some(Duration::hours(2)));
    let spring = span_at("2026-03-08 1am-4am", "2026-03-01T10:00:00Z", New_York);
    assert_eq!(spring.duration, Some(Duration::hours(2)));
}

#[test]
fn a_weekday_that_is_not_the_dates_offers_both_readings() {
    let at = |s: &str| Span {
        start: utc(s),
        duration: None,
    };
    // 19 December 2026 is a Saturday; the Friday nearest is the 18th.
    let saturday = NaiveDate::from_ymd_opt(2026, 12, 19).unwrap();
    let expected = WhenError::WeekdayMismatch {
        date: saturday,
        said: Weekday::Fri,
        readings: [at("2026-12-18T17:00:00Z"), at("2026-12-19T17:00:00Z")],
    };
    for input in [
        "vendredi 19 décembre 2026 à 18h",
        "friday 19 december 2026 at 6pm",
        "ven. 19/12 18h",
    ] {
        assert_eq!(
            parse_span(input, utc(TUESDAY), Paris),
            Err(expected.clone()),
            "{input}"
        );
    }
    // With a range, both readings keep it; 3 December is a Thursday, Tuesday the 1st.
    let Err(WhenError::WeekdayMismatch { readings, .. }) =
        parse_span("mar 3 déc 18h-20h", utc(TUESDAY), Paris)
    else {
        panic!("not a mismatch")
    };
    let two_hours = Some(Duration::hours(2));
    assert_eq!(
        readings,
        [
            Span {
                start: utc("2026-12-01T17:00:00Z"),
                duration: two_hours
            },
            Span {
                start: utc("2026-12-03T17:00:00Z"),
                duration: two_hours
            },
        ]
    );
    // Each reading, shown back, reads as itself.
    for reading in readings {
        let text = describe_span(reading, Paris, Lang::Fr);
        assert_eq!(span_at(&text, TUESDAY, Paris), reading, "{text}");
    }
}

#[test]
fn too_far_ahead_names_the_limit() {
    let limit = utc("2036-12-01T10:00:00Z");
    for input in [
        "2040-01-01 10:00",
        "2037-01-01",
        "dans 9999999 jours",
        "in 99999999999999 minutes",
    ] {
        assert_eq!(
            parse_span(input, utc(TUESDAY), Paris),
            Err(WhenError::TooFar { limit }),
            "{input}"
        );
    }
    assert!(parse_span("2036-12-01 10:00", utc(TUESDAY), Paris).is_ok());
}

#[test]
fn spoken_forms_that_stay_refused() {
    let unreadable = "semaine|cette semaine|en huit|18h-|18h-20|de|from|next|la semaine|\
        mardi semaine prochaine demain|hier demain|matin soir|le|the";
    for input in unreadable.split('|') {
        assert_eq!(
            parse_span(input, utc(TUESDAY), Paris),
            Err(WhenError::Unreadable),
            "{input:?}"
        );
    }
    for input in ["le 32", "18h-18h", "le 0", "18h-25h"] {
        assert_eq!(
            parse_span(input, utc(TUESDAY), Paris),
            Err(WhenError::InvalidTime),
            "{input:?}"
        );
    }
}
