//! The parser's tests, by what they check; helpers shared by all of them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::*;

mod describe;
mod durations;
mod errors;
mod forms;
mod spoken;

/// A Sunday: 11:00 in Paris, 05:00 in New York.
const NOW: &str = "2026-11-29T10:00:00Z";

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn when_at(input: &str, now: &str, tz: Tz) -> DateTime<Utc> {
    parse_when(input, utc(now), tz).unwrap_or_else(|e| panic!("{input:?}: {e:?}"))
}

/// Rows of `input | expected`, the expectation being local wall-clock time.
fn check_local(table: &str, tz: Tz) {
    for (input, expected) in table.lines().filter_map(|l| l.split_once('|')) {
        let at = when_at(input.trim(), NOW, tz).with_timezone(&tz);
        assert_eq!(
            at.format("%Y-%m-%d %H:%M").to_string(),
            expected.trim(),
            "{input:?} {tz}"
        );
    }
}

/// Rows of `input | now | expected`, all in UTC.
fn check_utc(table: &str, tz: Tz) {
    for row in table.lines().filter(|l| l.contains('|')) {
        let cols: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(when_at(cols[0], cols[1], tz), utc(cols[2]), "{row}");
    }
}
