//! How a reading is shown back to the member, in their language; what is shown
//! reads back with [`super::parse_span`].

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

use super::{words, Span};
use crate::domain::Lang;

fn capital(s: &str) -> String {
    s[..1].to_ascii_uppercase() + &s[1..]
}

/// The weekday's name: "samedi", "Saturday".
pub fn weekday_name(w: Weekday, lang: Lang) -> String {
    let (fr, en) = words::WEEKDAYS[w.num_days_from_monday() as usize];
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => capital(en),
    }
}

/// A date without its weekday: "19 décembre 2026", "1er décembre 2026", "19 December 2026".
pub fn describe_date(date: NaiveDate, lang: Lang) -> String {
    let (fr_month, en_month) = words::MONTHS[date.month0() as usize];
    match (lang, date.day()) {
        // French says "le 1er", never "le 1".
        (Lang::Fr, 1) => format!("1er {fr_month} {}", date.year()),
        (Lang::Fr, d) => format!("{d} {fr_month} {}", date.year()),
        (Lang::En, d) => format!("{d} {} {}", capital(en_month), date.year()),
    }
}

/// How the text was understood, for autocomplete, in local time of `tz`:
/// "jeudi 3 décembre 2026, 18:30 (Europe/Paris)" or
/// "Thursday 3 December 2026, 18:30 (Europe/Paris)". Reads back with [`super::parse_when`].
pub fn describe(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    describe_span(
        Span {
            start: at,
            duration: None,
        },
        tz,
        lang,
    )
}

/// Like [`describe`], with the end of a range: "jeudi 3 décembre 2026, 18:30–20:00
/// (Europe/Paris)"; an end on the next day reads back as such ("22:00–02:00").
pub fn describe_span(span: Span, tz: Tz, lang: Lang) -> String {
    let local = span.start.with_timezone(&tz);
    let day = local.date_naive();
    let mut time = local.format("%H:%M").to_string();
    if let Some(end) = span.duration.and_then(|d| span.start.checked_add_signed(d)) {
        time = format!("{time}–{}", end.with_timezone(&tz).format("%H:%M"));
    }
    format!(
        "{} {}, {time} ({})",
        weekday_name(day.weekday(), lang),
        describe_date(day, lang),
        tz.name()
    )
}
