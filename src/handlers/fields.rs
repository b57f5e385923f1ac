//! Checking what users typed against the limits, with translated refusals.

use chrono::{DateTime, Utc};

use super::call::{arg, num};
use super::{Call, Options};
use crate::domain::when;
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;

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

/// A typed date, read in the server's time zone.
pub fn date(call: &Call<'_>, input: &str) -> AppResult<DateTime<Utc>> {
    when::parse_when(input, call.now(), call.settings.timezone).map_err(|_| {
        let shown: String = input.chars().take(60).collect();
        AppError::user_with("error-unreadable-date", vec![("text", arg(shown))])
    })
}

/// A typed date that must be in the future.
pub fn future_date(call: &Call<'_>, input: &str) -> AppResult<DateTime<Utc>> {
    let at = date(call, input)?;
    if at <= call.now() {
        return Err(AppError::user_with(
            "error-date-past",
            vec![("when", arg(when::describe(at, call.settings.timezone, call.lang)))],
        ));
    }
    Ok(at)
}
