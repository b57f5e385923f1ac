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
use crate::store::jobs::Kind;
use crate::store::{self, begin_write, rsvps};

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

/// The occurrences a change applies to, and the scope asked for (`None`
/// for an event outside any series). A repeating event needs `scope`: the
/// bot asks rather than guess between one date and several.
async fn targets(
    call: &Call<'_>,
    conn: &mut store::Tx,
    event: &Event,
    options: &Options,
) -> AppResult<(Vec<Event>, Option<Scope>)> {
    let Some(series) = event.series_id else {
        return Ok((vec![event.clone()], None));
    };
    let scope = Scope::parse(options).ok_or_else(|| AppError::user("error-series-scope"))?;
    let targets = match scope {
        Scope::This => vec![event.clone()],
        Scope::Following | Scope::Series => {
            let mut all = store::series::upcoming_in_whole_series(&mut *conn, series, call.now()).await?;
            if scope == Scope::Following {
                all.retain(|e| e.starts_at >= event.starts_at);
            }
            all
        }
    };
    Ok((targets, Some(scope)))
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
    // Read and decide inside the write transaction, so two organizers
    // editing at once, or an edit racing a cancel, cannot undo each other.
    let mut tx = begin_write(call.pool()).await?;
    let event = fresh(call, &mut tx, found.id).await?;
    let fields = read_fields(call, options, Some(&event)).await?;
    let (targets, scope) = targets(call, &mut tx, &event, options).await?;
    for target in &targets {
        call.require_may_change(target)?;
    }
    let now = call.now();
    let mut moved = Vec::new();
    let mut told = Vec::new();
    let mut promotions = false;
    for target in &targets {
        let new = if target.id == event.id {
            fields.clone()
        } else {
            shifted(call, &event, &fields, target)
        };
        let taken = rsvps::promote::seats_taken(&mut tx, target.id).await?;
        if new.capacity.is_some_and(|cap| cap < taken) {
            return Err(AppError::user_with(
                "error-capacity-below-taken",
                vec![("taken", num(taken))],
            ));
        }
        store::events::update(&mut tx, target.id, &new, now).await?;
        promotions |= !rsvps::promote::promote_waitlist(&mut tx, target.id, new.capacity, now)
            .await?
            .is_empty();
        store::jobs::plan_event(&mut tx, target.id, &call.settings.reminder_offsets, now).await?;
        if new.starts_at != target.starts_at || new.location != target.location {
            moved.push(target.id);
            told.push(Effect::ThreadPost {
                event_id: target.id,
                message: notices::thread_changed(&call.state.i18n, call.settings.language, &new),
            });
        }
    }
    // Those who answered are told in the same transaction: one DM each for
    // the whole change, however many dates it touched.
    store::notices::queue(&mut tx, Kind::Changed, call.ctx.guild_id, &moved, now).await?;
    // A new time for the series' last dates is a new rule: the dates
    // generated later must follow it.
    if let (Some(series), Some(true)) = (event.series_id, scope.map(Scope::rule)) {
        if fields.starts_at != event.starts_at && !targets.is_empty() {
            let moved: Vec<i64> = targets.iter().map(|t| t.id).collect();
            store::series::reanchor(&mut tx, series, &moved, now).await?;
        }
    }
    tx.commit().await?;
    if promotions || !moved.is_empty() {
        call.state.jobs_wake.notify_one();
    }

    let mut effects = Vec::new();
    for target in &targets {
        effects.push(Effect::RefreshCard { event_id: target.id });
        if call.settings.mirror_events {
            effects.push(Effect::MirrorEvent { event_id: target.id });
        }
    }
    effects.extend(told);
    let key = if targets.len() > 1 {
        "event-series-edited"
    } else {
        "event-edited"
    };
    Ok(Reply::private_text(call.t(
        key,
        &[("title", arg(fields.title)), ("count", num(targets.len() as i64))],
    ))
    .with_effects(effects))
}

/// The event as it is now, inside the caller's write transaction. What is
/// over stays as it happened: the report counts it, and nobody needs a DM
/// about a past date.
async fn fresh(call: &Call<'_>, tx: &mut store::Tx, id: i64) -> AppResult<Event> {
    let event = store::events::get(&mut *tx, call.ctx.guild_id, id)
        .await?
        .ok_or_else(|| AppError::user("error-event-gone"))?;
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

pub async fn cancel(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_event_creator()?;
    let found = call.event(options.str("event").unwrap_or_default()).await?;
    call.require_may_change(&found)?;
    let reason = fields::text(call, options.str("reason"), "field-reason", 500, false)?;
    let mut tx = begin_write(call.pool()).await?;
    let event = fresh(call, &mut tx, found.id).await?;
    let (targets, scope) = targets(call, &mut tx, &event, options).await?;
    for target in &targets {
        call.require_may_change(target)?;
    }
    for target in &targets {
        store::events::cancel_in(&mut tx, target.id, reason.as_deref(), call.now()).await?;
    }
    // Without its last dates the series generates no more.
    if let (Some(series), Some(true)) = (event.series_id, scope.map(Scope::rule)) {
        store::series::stop_whole_series(&mut tx, series).await?;
    }
    let cancelled: Vec<i64> = targets.iter().map(|t| t.id).collect();
    store::notices::queue(
        &mut tx,
        Kind::Cancelled,
        call.ctx.guild_id,
        &cancelled,
        call.now(),
    )
    .await?;
    tx.commit().await?;
    call.state.jobs_wake.notify_one();
    let mut effects = Vec::new();
    for target in &targets {
        effects.push(Effect::RefreshCard { event_id: target.id });
        if call.settings.mirror_events {
            effects.push(Effect::MirrorEvent { event_id: target.id });
        }
    }
    for target in &targets {
        effects.push(Effect::ThreadPost {
            event_id: target.id,
            message: notices::thread_cancelled(
                &call.state.i18n,
                call.settings.language,
                target,
                reason.as_deref(),
            ),
        });
    }
    let key = if targets.len() > 1 {
        "event-series-cancelled"
    } else {
        "event-cancelled"
    };
    Ok(Reply::private_text(call.t(
        key,
        &[
            ("title", arg(event.title.clone())),
            ("count", num(targets.len() as i64)),
        ],
    ))
    .with_effects(effects))
}
