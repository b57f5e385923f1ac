//! How a reading is shown back, and that it reads back.

use super::*;
use crate::domain::Lang;
use chrono_tz::America::New_York;
use chrono_tz::Europe::Paris;

#[test]
fn describes_in_both_languages() {
    let cases = [
        (
            "2026-12-03T17:30:00Z",
            Paris,
            Lang::Fr,
            "jeudi 3 décembre 2026, 18:30 (Europe/Paris)",
        ),
        (
            "2026-12-03T17:30:00Z",
            Paris,
            Lang::En,
            "Thursday 3 December 2026, 18:30 (Europe/Paris)",
        ),
        (
            "2026-12-03T17:30:00Z",
            New_York,
            Lang::En,
            "Thursday 3 December 2026, 12:30 (America/New_York)",
        ),
        (
            "2026-12-03T17:30:00Z",
            New_York,
            Lang::Fr,
            "jeudi 3 décembre 2026, 12:30 (America/New_York)",
        ),
        (
            "2026-12-01T08:05:00Z",
            Paris,
            Lang::Fr,
            "mardi 1er décembre 2026, 09:05 (Europe/Paris)",
        ),
        (
            "2027-08-15T10:00:00Z",
            Paris,
            Lang::Fr,
            "dimanche 15 août 2027, 12:00 (Europe/Paris)",
        ),
        (
            "2027-02-01T00:00:00Z",
            chrono_tz::UTC,
            Lang::En,
            "Monday 1 February 2027, 00:00 (UTC)",
        ),
    ];
    for (at, tz, lang, expected) in cases {
        assert_eq!(describe(utc(at), tz, lang), expected);
    }
}

#[test]
fn descriptions_read_back() {
    let instants = [
        "2026-12-03T17:30:00Z",
        "2026-12-01T08:05:00Z",
        "2027-08-15T10:00:00Z",
        "2027-02-28T23:59:00Z",
    ];
    for tz in [Paris, New_York] {
        for at in instants {
            for lang in [Lang::Fr, Lang::En] {
                let text = describe(utc(at), tz, lang);
                assert_eq!(when_at(&text, NOW, tz), utc(at), "{text}");
            }
        }
    }
}
