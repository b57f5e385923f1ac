//! `/event create from:…`: a new event pre-filled from an earlier one of
//! the same server (title, place, duration, capacity, description,
//! restriction, channel); options given explicitly win, `when` is needed.

use super::{Call, Options};
use crate::domain::event::Event;
use crate::domain::when;
use crate::error::{AppError, AppResult};
use crate::i18n::arg;
use crate::reply::Choice;
use crate::store;

/// The event `from` names, made a template: what belongs to its own date
/// (answer deadline, repetition) is left behind. `None` without `from`.
/// Events of other servers are unknown here: the id comes from a client.
pub async fn template(call: &Call<'_>, options: &Options) -> AppResult<Option<Event>> {
    let Some(text) = options.str("from") else {
        return Ok(None);
    };
    let found = match text.parse::<i64>() {
        Ok(id) => store::events::get(call.pool(), call.ctx.guild_id, id).await?,
        // A title typed without picking a suggestion: the latest of that name.
        Err(_) => store::recent::recent(call.pool(), call.ctx.guild_id, text, 25)
            .await?
            .into_iter()
            .find(|e| e.title.to_lowercase() == text.to_lowercase()),
    };
    let Some(mut event) = found else {
        let shown: String = text.chars().take(100).collect();
        return Err(AppError::user_with(
            "error-unknown-event",
            vec![("text", arg(shown))],
        ));
    };
    // The earlier date is no default for the new one.
    if options.str("when").is_none() {
        return Err(AppError::user_with(
            "error-required",
            vec![("field", arg(call.t("field-when", &[])))],
        ));
    }
    event.rsvp_deadline = None;
    event.repeat = None;
    Ok(Some(event))
}

/// The `from` autocomplete: the server's latest events by title and date.
pub async fn suggestions(call: &Call<'_>, typed: &str, max: usize) -> AppResult<Vec<Choice>> {
    let found = store::recent::recent(call.pool(), call.ctx.guild_id, typed, max).await?;
    let tz = call.settings.timezone;
    Ok(found
        .into_iter()
        .map(|e| {
            let title: String = e.title.chars().take(50).collect();
            let length = when::format_offsets(&[e.ends_at - e.starts_at])
                .chars()
                .take(20)
                .collect::<String>();
            let name = format!(
                "{title} — {} ({length})",
                when::describe(e.starts_at, tz, call.lang)
            );
            Choice {
                name: name.chars().take(100).collect(),
                value: e.id.to_string(),
            }
        })
        .collect())
}
