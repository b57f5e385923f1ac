//! Autocomplete: how a typed date was understood, upcoming events by title,
//! time zones, scheduled announcements.

use chrono::{Datelike, NaiveDate};

use super::{Call, CommandName, Options};
use crate::domain::when::{self, Span, WhenError};
use crate::error::AppResult;
use crate::i18n::{arg, num};
use crate::reply::{Body, Choice, Reply};
use crate::store;

const MAX_CHOICES: usize = 25;
const CHOICE_MAX: usize = 100;

fn cut(text: &str) -> String {
    text.chars().take(CHOICE_MAX).collect()
}

pub async fn run(
    call: &Call<'_>,
    command: CommandName,
    _sub: Option<&str>,
    focused: &str,
    options: &Options,
) -> AppResult<Reply> {
    let typed = match options.get(focused) {
        Some(super::OptionValue::Str(s)) => s.trim().to_owned(),
        _ => String::new(),
    };
    let choices = match (command, focused) {
        (CommandName::Poll, "dates") => super::poll_complete::complete_dates(call, &typed),
        (CommandName::Poll, "poll") => super::poll_complete::complete_polls(call, &typed).await?,
        (CommandName::Poll, "date") => super::poll_complete::complete_poll_dates(call, options).await?,
        (_, "when" | "deadline" | "at") => dates(call, &typed),
        (_, "event") => events(call, &typed).await?,
        (CommandName::Event, "from") => super::event_from::suggestions(call, &typed, MAX_CHOICES).await?,
        (CommandName::Setup, "zone") => zones(&typed),
        (CommandName::Announce, "cancel") => scheduled_announcements(call, &typed).await?,
        _ => Vec::new(),
    };
    Ok(Reply {
        body: Body::Choices(choices),
        effects: Vec::new(),
    })
}

fn dates(call: &Call<'_>, typed: &str) -> Vec<Choice> {
    let tz = call.settings.timezone;
    if typed.is_empty() {
        // Examples a member can pick or copy, in their language.
        return ["example-date-1", "example-date-2", "example-date-3"]
            .iter()
            .map(|key| call.t(key, &[]))
            .filter_map(|example| {
                let at = when::parse_when(&example, call.now(), tz).ok()?;
                Some(Choice {
                    name: cut(&format!("{example} → {}", when::describe(at, tz, call.lang))),
                    value: cut(&example),
                })
            })
            .collect();
    }
    let note = |name: String| {
        vec![Choice {
            name: cut(&name),
            value: cut(typed),
        }]
    };
    match when::parse_span(typed, call.now(), tz) {
        Ok(span) if span.start > call.now() => vec![reading(call, span, None, typed)],
        Ok(span) => note(call.t(
            "autocomplete-date-past",
            &[("when", arg(when::describe_span(span, tz, call.lang)))],
        )),
        // Both readings, each choice sending back the text that reads as it.
        Err(WhenError::WeekdayMismatch { date, readings, .. }) => readings
            .into_iter()
            .map(|span| reading(call, span, Some(date), &when::describe_span(span, tz, call.lang)))
            .collect(),
        Err(WhenError::TooFar { limit }) => note(call.t(
            "autocomplete-date-too-far",
            &[
                ("years", num(i64::from(when::FUTURE_MAX_MONTHS / 12))),
                (
                    "limit",
                    arg(when::describe_date(
                        limit.with_timezone(&tz).date_naive(),
                        call.lang,
                    )),
                ),
            ],
        )),
        Err(_) => note(call.t("autocomplete-date-unreadable", &[("text", arg(cut(typed)))])),
    }
}

/// A date as understood, sending back `value`; after a weekday/date mismatch, says
/// what the date's day is.
fn reading(call: &Call<'_>, span: Span, mismatch: Option<NaiveDate>, value: &str) -> Choice {
    let tz = call.settings.timezone;
    let shown = when::describe_span(span, tz, call.lang);
    let name = match mismatch {
        Some(date) => call.t(
            "autocomplete-date-mismatch",
            &[
                ("date", arg(when::describe_date(date, call.lang))),
                ("actual", arg(when::weekday_name(date.weekday(), call.lang))),
                ("reading", arg(shown)),
            ],
        ),
        None => shown,
    };
    Choice {
        name: cut(&name),
        value: cut(value),
    }
}

async fn events(call: &Call<'_>, typed: &str) -> AppResult<Vec<Choice>> {
    let found = store::events::suggest(call.pool(), call.ctx.guild_id, typed, call.now()).await?;
    let tz = call.settings.timezone;
    Ok(found
        .into_iter()
        .take(MAX_CHOICES)
        .map(|e| {
            let when = when::describe(e.starts_at, tz, call.lang);
            let title: String = e.title.chars().take(50).collect();
            Choice {
                name: cut(&format!("{title} — {when}")),
                value: e.id.to_string(),
            }
        })
        .collect())
}

/// The server's scheduled announcements, for organizers only (a pending
/// announcement is not public yet); the value is the number `cancel` reads.
async fn scheduled_announcements(call: &Call<'_>, typed: &str) -> AppResult<Vec<Choice>> {
    if !call.is_organizer() {
        return Ok(Vec::new());
    }
    let pending = store::announcements::pending(call.pool(), call.ctx.guild_id).await?;
    let tz = call.settings.timezone;
    let needle = typed.trim_start_matches("n°").trim().to_lowercase();
    Ok(pending
        .into_iter()
        .filter(|a| {
            needle.is_empty()
                || a.id.to_string().starts_with(&needle)
                || a.title.to_lowercase().contains(&needle)
        })
        .take(MAX_CHOICES)
        .map(|a| {
            let title: String = a.title.chars().take(50).collect();
            let when = a
                .post_at
                .map(|at| format!(" — {}", when::describe(at, tz, call.lang)))
                .unwrap_or_default();
            Choice {
                name: cut(&format!("n° {} · {title}{when}", a.id)),
                value: a.id.to_string(),
            }
        })
        .collect())
}

fn zones(typed: &str) -> Vec<Choice> {
    let needle = typed.to_lowercase().replace(' ', "_");
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| name.to_lowercase().contains(&needle))
        .take(MAX_CHOICES)
        .map(|name| Choice {
            name: name.to_owned(),
            value: name.to_owned(),
        })
        .collect()
}
