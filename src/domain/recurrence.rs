//! Recurring events: the start times of a series, in local wall-clock time,
//! so that "every Tuesday at 18:30" stays 18:30 across daylight-saving changes.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    Weekly,
    Biweekly,
    /// Same weekday position each month ("2nd Tuesday").
    Monthly,
}

impl Repeat {
    pub fn parse(s: &str) -> Option<Repeat> {
        match s {
            "weekly" => Some(Repeat::Weekly),
            "biweekly" => Some(Repeat::Biweekly),
            "monthly" => Some(Repeat::Monthly),
            _ => None,
        }
    }
}

/// Local time → instant: the earlier of an ambiguous (fall-back) time, and
/// one hour later for a time skipped by spring-forward.
pub fn resolve_local(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// The `nth` (1-based) `weekday` of a month; a 5th that does not exist
/// falls back to the last one, so a series never skips a month.
fn nth_weekday(year: i32, month: u32, weekday: chrono::Weekday, nth: u32) -> Option<NaiveDate> {
    let mut date = NaiveDate::from_ymd_opt(year, month, 1)?;
    while date.weekday() != weekday {
        date = date.succ_opt()?;
    }
    let mut found = date;
    for _ in 1..nth {
        let next = found + Duration::days(7);
        if next.month() != month {
            break;
        }
        found = next;
    }
    Some(found)
}

/// Start times of a series from `first` (included), all before `until`,
/// at most `max` of them.
pub fn occurrences(
    first: DateTime<Utc>,
    repeat: Repeat,
    tz: Tz,
    until: DateTime<Utc>,
    max: usize,
) -> Vec<DateTime<Utc>> {
    let local = first.with_timezone(&tz).naive_local();
    let nth = (local.day() - 1) / 7 + 1;
    let mut out = Vec::new();
    for k in 0..max as i64 {
        let next_local = match repeat {
            Repeat::Weekly => Some(local + Duration::weeks(k)),
            Repeat::Biweekly => Some(local + Duration::weeks(2 * k)),
            Repeat::Monthly => {
                let months = local.month0() as i64 + k;
                let year = local.year() + (months / 12) as i32;
                nth_weekday(year, (months % 12) as u32 + 1, local.weekday(), nth)
                    .map(|d| d.and_time(local.time()))
            }
        };
        let Some(at) = next_local.and_then(|l| resolve_local(l, tz)) else {
            break;
        };
        if at >= until {
            break;
        }
        out.push(at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        resolve_local(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
            Paris,
        )
        .unwrap()
    }

    #[test]
    fn weekly_keeps_local_time_across_the_october_change() {
        let first = paris(2026, 10, 15, 18, 30);
        let all = occurrences(first, Repeat::Weekly, Paris, first + Duration::weeks(8), 20);
        assert_eq!(all.len(), 8);
        for at in &all {
            assert_eq!(at.with_timezone(&Paris).format("%H:%M").to_string(), "18:30");
        }
        // 18:30 CEST is 16:30 UTC; after 2026-10-25 it is 17:30 UTC.
        assert_eq!(all[0].format("%H:%M").to_string(), "16:30");
        assert_eq!(all[2].format("%H:%M").to_string(), "17:30");
    }

    #[test]
    fn monthly_keeps_the_weekday_position() {
        // 2026-12-08 is the 2nd Tuesday of December.
        let first = paris(2026, 12, 8, 18, 0);
        let all = occurrences(first, Repeat::Monthly, Paris, first + Duration::days(400), 4);
        let days: Vec<String> = all
            .iter()
            .map(|t| t.with_timezone(&Paris).format("%Y-%m-%d %a").to_string())
            .collect();
        assert_eq!(
            days,
            [
                "2026-12-08 Tue",
                "2027-01-12 Tue",
                "2027-02-09 Tue",
                "2027-03-09 Tue"
            ]
        );
    }

    #[test]
    fn biweekly_skips_a_week() {
        let first = paris(2026, 12, 1, 9, 0);
        let all = occurrences(first, Repeat::Biweekly, Paris, first + Duration::weeks(8), 10);
        assert_eq!(all.len(), 4);
        assert_eq!(all[1] - all[0], Duration::weeks(2));
    }

    #[test]
    fn a_fifth_weekday_falls_back_to_the_last() {
        // 2026-12-29 is the 5th Tuesday; January 2027 has only four.
        let first = paris(2026, 12, 29, 18, 0);
        let all = occurrences(first, Repeat::Monthly, Paris, first + Duration::days(40), 2);
        assert_eq!(
            all[1].with_timezone(&Paris).format("%Y-%m-%d").to_string(),
            "2027-01-26"
        );
    }
}
