//! Checking what users typed against the limits, with translated refusals.

use chrono::{DateTime, Datelike, Utc};

use super::{Call, Options};
use crate::domain::when::{self, Span, WhenError};
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::i18n::{arg, num};

/// Removes control characters (except newlines in long texts) and trims.
pub fn clean(text: &str, multiline: bool) -> String {
    text.chars()
        .filter(|c| !c.is_control() || (multiline && *c == '\n'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Checks a typed text's length; blank is `None`.
pub fn text(
    call: &Call<'_>,
    value: Option<&str>,
    field_key: &str,
    max: usize,
    multiline: bool,
) -> AppResult<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let value = clean(value, multiline);
    if value.is_empty() {
        return Ok(None);
    }
    let len = value.chars().count();
    if len > max {
        return Err(AppError::user_with(
            "error-too-long",
            vec![
                ("field", arg(call.t(field_key, &[]))),
                ("max", num(max as i64)),
                ("len", num(len as i64)),
            ],
        ));
    }
    Ok(Some(value))
}

pub fn required_text(call: &Call<'_>, value: Option<&str>, field_key: &str, max: usize) -> AppResult<String> {
    text(call, value, field_key, max, false)?
        .ok_or_else(|| AppError::user_with("error-required", vec![("field", arg(call.t(field_key, &[])))]))
}

/// An integer option within bounds.
pub fn int_in(
    call: &Call<'_>,
    options: &Options,
    name: &str,
    field_key: &str,
    min: i64,
    max: i64,
) -> AppResult<Option<i64>> {
    bounded(call, options.int(name), field_key, (min, max), num)
}

/// A year option within bounds; the bounds read as years ("2100", never
/// "2 100").
pub fn year_in(
    call: &Call<'_>,
    options: &Options,
    name: &str,
    field_key: &str,
    min: i64,
    max: i64,
) -> AppResult<Option<i64>> {
    bounded(call, options.int(name), field_key, (min, max), |n| {
        arg(n.to_string())
    })
}

fn bounded(
    call: &Call<'_>,
    value: Option<i64>,
    field_key: &str,
    (min, max): (i64, i64),
    shown: fn(i64) -> Arg,
) -> AppResult<Option<i64>> {
    match value {
        None => Ok(None),
        Some(v) if (min..=max).contains(&v) => Ok(Some(v)),
        Some(_) => Err(AppError::user_with(
            "error-out-of-range",
            vec![
                ("field", arg(call.t(field_key, &[]))),
                ("min", shown(min)),
                ("max", shown(max)),
            ],
        )),
    }
}

/// Why a typed date was refused, translated for the caller.
fn date_error(call: &Call<'_>, input: &str, error: WhenError) -> AppError {
    let tz = call.settings.timezone;
    let shown: String = input.chars().take(60).collect();
    match error {
        WhenError::Unreadable | WhenError::InvalidTime => {
            AppError::user_with("error-unreadable-date", vec![("text", arg(shown))])
        }
        WhenError::TooFar { limit } => AppError::user_with(
            "error-date-too-far",
            vec![
                ("text", arg(shown)),
                ("years", num(i64::from(when::FUTURE_MAX_MONTHS / 12))),
                (
                    "limit",
                    arg(when::describe_date(
                        limit.with_timezone(&tz).date_naive(),
                        call.lang,
                    )),
                ),
            ],
        ),
        WhenError::WeekdayMismatch { date, said, readings } => AppError::user_with(
            "error-date-weekday-mismatch",
            vec![
                ("date", arg(when::describe_date(date, call.lang))),
                ("actual", arg(when::weekday_name(date.weekday(), call.lang))),
                ("said", arg(when::weekday_name(said, call.lang))),
                (
                    "said_reading",
                    arg(when::describe_span(readings[0], tz, call.lang)),
                ),
                (
                    "date_reading",
                    arg(when::describe_span(readings[1], tz, call.lang)),
                ),
            ],
        ),
    }
}

/// A typed date or range of times that must be in the future, read in the
/// server's time zone.
pub fn future_span(call: &Call<'_>, input: &str) -> AppResult<Span> {
    let span = when::parse_span(input, call.now(), call.settings.timezone)
        .map_err(|e| date_error(call, input, e))?;
    if span.start <= call.now() {
        return Err(AppError::user_with(
            "error-date-past",
            vec![(
                "when",
                arg(when::describe(span.start, call.settings.timezone, call.lang)),
            )],
        ));
    }
    Ok(span)
}

/// A typed moment that must be in the future: a deadline, a sending time. A range
/// has no meaning there, and is refused rather than silently cut to its start.
pub fn future_date(call: &Call<'_>, input: &str) -> AppResult<DateTime<Utc>> {
    let span = future_span(call, input)?;
    if span.duration.is_some() {
        let shown: String = input.chars().take(60).collect();
        return Err(AppError::user_with(
            "error-date-range-not-here",
            vec![("text", arg(shown))],
        ));
    }
    Ok(span.start)
}
