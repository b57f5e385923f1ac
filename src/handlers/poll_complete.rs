//! Autocomplete of `/poll`: how each typed date was read, the server's
//! polls, and a poll's dates with their counts.

use super::poll::named_poll;
use super::{Call, Options};
use crate::domain::poll::{split_dates, MAX_DATES};
use crate::domain::when;
use crate::error::AppResult;
use crate::i18n::{arg, num};
use crate::reply::Choice;
use crate::store::polls;
use crate::views::poll::{short_date, tally_text};

/// Autocomplete of `dates`: how each part was read, one choice per part,
/// each sending back the whole text (Discord takes at most 100 characters
/// back; a longer text is sent as typed, without picking).
pub(super) fn complete_dates(call: &Call<'_>, typed: &str) -> Vec<Choice> {
    let tz = call.settings.timezone;
    let value: String = typed.chars().take(100).collect();
    split_dates(typed)
        .into_iter()
        .take(MAX_DATES + 1)
        .enumerate()
        .map(|(i, part)| {
            let position = num(i as i64 + 1);
            let name = match when::parse_span(part, call.now(), tz) {
                Ok(span) if span.start > call.now() => call.t(
                    "autocomplete-poll-part",
                    &[
                        ("position", position),
                        ("reading", arg(when::describe_span(span, tz, call.lang))),
                    ],
                ),
                Ok(span) => call.t(
                    "autocomplete-poll-part-past",
                    &[
                        ("position", position),
                        ("when", arg(when::describe_span(span, tz, call.lang))),
                    ],
                ),
                Err(_) => call.t(
                    "autocomplete-poll-part-unreadable",
                    &[
                        ("position", position),
                        ("text", arg(part.chars().take(40).collect::<String>())),
                    ],
                ),
            };
            Choice {
                name: name.chars().take(100).collect(),
                value: value.clone(),
            }
        })
        .collect()
}

/// Autocomplete of `poll`: the server's polls, open ones first.
pub(super) async fn complete_polls(call: &Call<'_>, typed: &str) -> AppResult<Vec<Choice>> {
    let found = polls::suggest(call.pool(), call.ctx.guild_id, typed, 25).await?;
    Ok(found
        .into_iter()
        .map(|(id, title, closed)| {
            let title: String = title.chars().take(80).collect();
            let name = if closed {
                call.t("autocomplete-poll-closed", &[("title", arg(title))])
            } else {
                title
            };
            Choice {
                name: name.chars().take(100).collect(),
                value: id.to_string(),
            }
        })
        .collect())
}

/// Autocomplete of `/poll close date`: the chosen poll's dates with their
/// counts; the value is the date's number.
pub(super) async fn complete_poll_dates(call: &Call<'_>, options: &Options) -> AppResult<Vec<Choice>> {
    let Ok(poll) = named_poll(call, options).await else {
        return Ok(Vec::new());
    };
    let tallies = polls::tallies(call.pool(), &poll).await?;
    let tz = call.settings.timezone;
    Ok(poll
        .dates
        .iter()
        .zip(&tallies)
        .enumerate()
        .map(|(i, (date, tally))| Choice {
            name: format!(
                "{}. {} — {}",
                i + 1,
                short_date(date.starts_at, tz, call.lang),
                tally_text(&call.state.i18n, call.lang, *tally)
            )
            .chars()
            .take(100)
            .collect(),
            value: (i + 1).to_string(),
        })
        .collect())
}
