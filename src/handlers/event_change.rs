//! `/event edit` and `/event cancel`, for one date or a whole series.

use crate::views::notices;
use chrono::{DateTime, Utc};

use super::event::read_fields;
use super::{fields, Call, Options};
use crate::domain::event::{Event, EventFields};
use crate::domain::recurrence::resolve_local;
use crate::error::{AppError, AppResult};
use crate::i18n::{arg, num};
use crate::reply::{Effect, Reply};
use crate::store;
use crate::store::event_change::{Ask, CancelPlan, DateEdit, EditPlan, Found, Refused};

/// Which dates of a series a change applies to (PRODUCT.md: `scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// This date only.
    This,
    /// This date and the later ones.
    Following,
    /// Every date still to come, earlier ones included, whatever splits the
    /// series went through; past dates are history and stay as they were.
    Series,
}

impl Scope {
    fn parse(options: &Options) -> Option<Scope> {
        match options.str("scope")? {
            "this" => Some(Scope::This),
            "following" => Some(Scope::Following),
            "series" => Some(Scope::Series),
            _ => None,
        }
    }

    /// Whether the change reaches the series' last dates, so the rule itself.
    fn rule(self) -> bool {
        self != Scope::This
    }
}

/// The dates a change applies to, among what the write lock found, and the
/// scope asked for (`None` for an event outside any series). A repeating
/// event needs `scope`: the bot asks rather than guess between one date and
/// several. Every date must be one the caller may change.
fn targets(call: &Call<'_>, found: &Found, options: &Options) -> AppResult<(Vec<Event>, Option<Scope>)> {
    let event = &found.event;
    let targets = match event.series_id {
        None => (vec![event.clone()], None),
        Some(_) => {
            let scope = Scope::parse(options).ok_or_else(|| AppError::user("error-series-scope"))?;
            let dates = match scope {
                Scope::This => vec![event.clone()],
                Scope::Series => found.series_upcoming.clone(),
                Scope::Following => found
                    .series_upcoming
                    .iter()
                    .filter(|e| e.starts_at >= event.starts_at)
                    .cloned()
                    .collect(),
            };
            (dates, Some(scope))
        }
    };
    for target in &targets.0 {
        call.require_may_change(target)?;
    }
    Ok(targets)
}

/// The fields of another occurrence after the same change: its own date
/// moved by the same wall-clock shift (so 18:30 stays 18:30 across DST).
fn shifted(call: &Call<'_>, clicked: &Event, new: &EventFields, other: &Event) -> EventFields {
    let tz = call.settings.timezone;
    let shift =
        new.starts_at.with_timezone(&tz).naive_local() - clicked.starts_at.with_timezone(&tz).naive_local();
    let local = other.starts_at.with_timezone(&tz).naive_local() + shift;
    let starts_at: DateTime<Utc> = resolve_local(local, tz).unwrap_or(other.starts_at + shift);
    EventFields {
        starts_at,
        ends_at: starts_at + (new.ends_at - new.starts_at),
        rsvp_deadline: new.rsvp_deadline.map(|d| starts_at - (new.starts_at - d)),
        ..new.clone()
    }
}

pub async fn edit(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_event_creator()?;
    let found = call.event(options.str("event").unwrap_or_default()).await?;
    call.require_may_change(&found)?;
    let clock = || call.now();
    // The store reads the event again under its write lock and this decides
    // on that reading, so the options are checked against the event as the
    // change finds it.
    let decide = |found: &Found| -> AppResult<EditPlan> {
        let event = still_upcoming(call, &found.event)?;
        let fields = read_fields(call, options, Some(event))?;
        let (targets, scope) = targets(call, found, options)?;
        let dates: Vec<DateEdit> = targets
            .into_iter()
            .map(|before| {
                let after = if before.id == event.id {
                    fields.clone()
                } else {
                    shifted(call, event, &fields, &before)
                };
                DateEdit { before, after }
            })
            .collect();
        // A new time for the series' last dates is a new rule: the dates
        // generated later must follow it.
        let reanchor = event.series_id.filter(|_| {
            scope.is_some_and(Scope::rule) && fields.starts_at != event.starts_at && !dates.is_empty()
        });
        Ok(EditPlan { dates, reanchor })
    };
    let edited = store::event_change::edit(
        call.pool(),
        ask(call, &found, options, &clock),
        &call.settings.reminder_offsets,
        decide,
    )
    .await?
    .map_err(refusal)?;
    if edited.promoted || !edited.moved.is_empty() {
        call.state.jobs_wake.notify_one();
    }

    let dates = &edited.plan.dates;
    let mut effects = card_effects(call, dates.iter().map(|d| d.before.id));
    for date in dates.iter().filter(|d| edited.moved.contains(&d.before.id)) {
        effects.push(Effect::ThreadPost {
            event_id: date.before.id,
            message: notices::thread_changed(&call.state.i18n, call.settings.language, &date.after),
        });
    }
    let key = if dates.len() > 1 {
        "event-series-edited"
    } else {
        "event-edited"
    };
    // The title as saved on the date that was chosen (every date gets the same).
    let title = dates
        .iter()
        .find(|d| d.before.id == found.id)
        .map_or(found.title.clone(), |d| d.after.title.clone());
    Ok(
        Reply::private_text(call.t(key, &[("title", arg(title)), ("count", num(dates.len() as i64))]))
            .with_effects(effects),
    )
}

/// The event as the write found it, if a change may still reach it. What
/// is over stays as it happened: the report counts it, and nobody needs a
/// DM about a past date.
fn still_upcoming<'e>(call: &Call<'_>, event: &'e Event) -> AppResult<&'e Event> {
    if event.cancelled {
        return Err(AppError::user("error-event-cancelled"));
    }
    if event.ends_at <= call.now() {
        return Err(AppError::user_with(
            "error-event-ended",
            vec![("title", arg(event.title.clone()))],
        ));
    }
    Ok(event)
}

/// What the store reads for a change of `found`: the dates of its series
/// only when the scope asked may reach them.
fn ask<'c>(
    call: &Call<'_>,
    found: &Event,
    options: &Options,
    clock: &'c (dyn Fn() -> DateTime<Utc> + Sync),
) -> Ask<'c> {
    Ask {
        guild_id: call.ctx.guild_id,
        event_id: found.id,
        whole_series: Scope::parse(options).is_some_and(Scope::rule),
        clock,
    }
}

/// The reply for a change the store did not make.
fn refusal(refused: Refused<AppError>) -> AppError {
    match refused {
        Refused::Gone => AppError::user("error-event-gone"),
        Refused::Rule(error) => error,
        Refused::SeatsTaken(taken) => {
            AppError::user_with("error-capacity-below-taken", vec![("taken", num(taken))])
        }
    }
}

/// Each changed date's card is redrawn, and its mirror in Discord's own
/// events list if the server keeps one.
fn card_effects(call: &Call<'_>, ids: impl Iterator<Item = i64>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for event_id in ids {
        effects.push(Effect::RefreshCard { event_id });
        if call.settings.mirror_events {
            effects.push(Effect::MirrorEvent { event_id });
        }
    }
    effects
}

pub async fn cancel(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_event_creator()?;
    let found = call.event(options.str("event").unwrap_or_default()).await?;
    call.require_may_change(&found)?;
    let reason = fields::text(call, options.str("reason"), "field-reason", 500, false)?;
    let decide = |found: &Found| -> AppResult<CancelPlan> {
        let event = still_upcoming(call, &found.event)?;
        let (dates, scope) = targets(call, found, options)?;
        // Without its last dates the series generates no more.
        let stop_series = event.series_id.filter(|_| scope.is_some_and(Scope::rule));
        Ok(CancelPlan { dates, stop_series })
    };
    let clock = || call.now();
    let cancelled = store::event_change::cancel(
        call.pool(),
        ask(call, &found, options, &clock),
        reason.as_deref(),
        decide,
    )
    .await?
    .map_err(refusal)?;
    call.state.jobs_wake.notify_one();
    let dates = &cancelled.dates;
    let mut effects = card_effects(call, dates.iter().map(|d| d.id));
    for date in dates {
        effects.push(Effect::ThreadPost {
            event_id: date.id,
            message: notices::thread_cancelled(
                &call.state.i18n,
                call.settings.language,
                date,
                reason.as_deref(),
            ),
        });
    }
    let key = if dates.len() > 1 {
        "event-series-cancelled"
    } else {
        "event-cancelled"
    };
    let title = dates
        .iter()
        .find(|d| d.id == found.id)
        .map_or(found.title.clone(), |d| d.title.clone());
    Ok(
        Reply::private_text(call.t(key, &[("title", arg(title)), ("count", num(dates.len() as i64))]))
            .with_effects(effects),
    )
}
