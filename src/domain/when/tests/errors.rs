//! What is refused, and why; junk never panics.

use super::*;
use chrono_tz::America::New_York;
use chrono_tz::Europe::Paris;

#[test]
fn errors() {
    let invalid = "25h|24h|18:75|18h75|13pm|0am|31/02|31/02/2027|30/02 18h|32 déc|3/13|\
        2026-13-01|2026-02-30|0/12|18:30:75|99999999999999999999h";
    let unreadable = "|   |blah|demain demain|18h 19h|jeudi vendredi|dans|in|dans deux heures|\
        3|18|18:|demain 9|le|prochain|the, .|8 a|jui 3|december 18h|3 déc (America/New_York)|(Europe/Paris)|\
        in -2 hours|dans 0 minutes|dans 11 ans|2026-12|apres|day after|3 décembres";
    for (table, expected) in [
        (invalid, WhenError::InvalidTime),
        (unreadable, WhenError::Unreadable),
    ] {
        for input in table.split('|') {
            assert_eq!(
                parse_when(input, utc(NOW), Paris),
                Err(expected.clone()),
                "{input:?}"
            );
        }
    }
    for input in ["vendredi 3 décembre 2026", "mar 3 déc"] {
        let read = parse_when(input, utc(NOW), Paris);
        assert!(matches!(read, Err(WhenError::WeekdayMismatch { .. })), "{input}");
    }
    for input in ["2037-01-01", "dans 9999999 jours", "in 99999999999999 minutes"] {
        let read = parse_when(input, utc(NOW), Paris);
        assert!(matches!(read, Err(WhenError::TooFar { .. })), "{input}");
    }
    assert!(parse_when("2036-11-29 09:00", utc(NOW), Paris).is_ok());
}

#[test]
fn never_panics_on_junk() {
    let parts = [
        "",
        "\"",
        "'",
        "NEAR(",
        ")",
        "(",
        "'; DROP TABLE events; --",
        "OR 1=1",
        "🎉",
        "👨‍👩‍👧",
        "é",
        "ß",
        "İ",
        "日本",
        "\u{0}",
        "\n",
        "-",
        "--",
        ":",
        "::",
        "/",
        ".",
        ",",
        "h",
        "pm",
        "99999999999999999999",
        "0",
        "00",
        "2026",
        "-1",
        "1h",
        "dans",
        "in",
        "jeudi",
        "dec",
        "3",
        "31",
        "29/02",
        "2026-",
        "T",
        "1er",
        "minuit",
        "soir",
        "(Europe/Paris)",
        "à",
        "\u{202e}",
        "０",
        "١٢",
        "½",
    ];
    let mut inputs: Vec<String> = Vec::new();
    for a in parts {
        for b in parts {
            inputs.push(format!("{a}{b}"));
            inputs.push(format!("{a} {b} {a}"));
        }
    }
    inputs.extend(["9".repeat(10_000), "é".repeat(5_000), "18h ".repeat(1_000)]);
    inputs.push("1h,".repeat(1_000));
    let nows = [utc(NOW), DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC];
    for input in &inputs {
        for (tz, now) in [Paris, New_York, chrono_tz::Pacific::Apia, chrono_tz::UTC]
            .into_iter()
            .flat_map(|tz| nows.map(|now| (tz, now)))
        {
            let _ = parse_when(input, now, tz);
        }
        let _ = parse_duration(input);
        let _ = parse_offsets(input);
    }
    assert!(inputs.len() > 500);
}
