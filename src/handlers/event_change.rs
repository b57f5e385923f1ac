//! `/event edit` and `/event cancel`, for one date or a whole series.

use chrono::{DateTime, Utc};

use super::call::{arg, num};
use super::card::timestamp;
use super::event::read_fields;
use super::{fields, Call, Options};
use crate::domain::recurrence::resolve_local;
use crate::error::{AppError, AppResult};
use crate::reply::{Effect, Message, Reply};
use crate::store::events::{Event, EventFields};
use crate::store::{self, begin_write, rsvps};

/// The occurrences a change applies to. A repeating event needs `scope`:
/// the bot asks rather than guess between one date and the whole series.
async fn targets(
    call: &Call<'_>,
    conn: &mut sqlx::SqliteConnection,
    event: &Event,
    options: &Options,
) -> AppResult<Vec<Event>> {
    let Some(series) = event.series_id else {
        return Ok(vec![event.clone()]);
    };
    match options.str("scope") {
        Some("this") => Ok(vec![event.clone()]),
        Some("series") => {
            let mut all = store::series::upcoming_in_series(&mut *conn, series, call.now()).await?;
            all.retain(|e| e.starts_at >= event.starts_at);
            Ok(all)
        }
        _ => Err(AppError::user("error-series-scope")),
    }
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
    let targets = targets(call, &mut tx, &event, options).await?;
    for target in &targets {
        call.require_may_change(target)?;
    }
    let now = call.now();
    let mut changes = Vec::new();
    for target in &targets {
        let new = if target.id == event.id {
            fields.clone()
        } else {
            shifted(call, &event, &fields, target)
        };
        let taken = rsvps::seats_taken(&mut tx, target.id).await?;
        if new.capacity.is_some_and(|cap| cap < taken) {
            return Err(AppError::user_with(
                "error-capacity-below-taken",
                vec![("taken", num(taken))],
            ));
        }
        store::events::update(&mut tx, target.id, &new, now).await?;
        let promoted = rsvps::promote(&mut tx, target.id, new.capacity, now).await?;
        store::jobs::plan_event(&mut tx, target.id, &call.settings.reminder_offsets, now).await?;
        changes.push((target, new, promoted));
    }
    // A new time for this date and the following ones is a new rule: the
    // dates generated later must follow it.
    if let (Some(series), Some("series")) = (event.series_id, options.str("scope")) {
        if fields.starts_at != event.starts_at {
            let moved: Vec<i64> = targets.iter().map(|t| t.id).collect();
            store::series::reanchor(&mut tx, series, &moved, now).await?;
        }
    }
    tx.commit().await?;

    let mut effects = Vec::new();
    for (target, new, promoted) in changes {
        effects.push(Effect::RefreshCard { event_id: target.id });
        if call.settings.mirror_events {
            effects.push(Effect::MirrorEvent { event_id: target.id });
        }
        effects.extend(promoted_dms(call, target, &promoted));
        if new.starts_at != target.starts_at || new.location != target.location {
            let place = new
                .location
                .clone()
                .unwrap_or_else(|| call.t_server("card-no-location", &[]));
            let notice = call.t_server(
                "dm-event-changed",
                &[
                    ("title", arg(new.title.clone())),
                    ("when", arg(timestamp(new.starts_at, 'F'))),
                    ("where", arg(place)),
                ],
            );
            effects.extend(notices(call, target.id, &notice).await?);
        }
    }
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

/// The event as it is now, inside the caller's write transaction.
async fn fresh(call: &Call<'_>, tx: &mut sqlx::SqliteConnection, id: i64) -> AppResult<Event> {
    let event = store::events::get(&mut *tx, call.ctx.guild_id, id)
        .await?
        .ok_or_else(|| AppError::user("error-event-gone"))?;
    if event.cancelled {
        return Err(AppError::user("error-event-cancelled"));
    }
    Ok(event)
}

/// DMs to everyone who answered going, maybe or is waiting.
async fn notices(call: &Call<'_>, event_id: i64, text: &str) -> AppResult<Vec<Effect>> {
    Ok(rsvps::interested(call.pool(), event_id)
        .await?
        .into_iter()
        .map(|user_id| Effect::Dm {
            guild_id: call.ctx.guild_id,
            user_id,
            message: Message::text(text.to_owned()),
        })
        .collect())
}

/// DMs telling waitlisted members they got a seat.
pub fn promoted_dms(call: &Call<'_>, event: &Event, promoted: &[(u64, String)]) -> Vec<Effect> {
    promoted
        .iter()
        .map(|(user_id, _)| Effect::Dm {
            guild_id: call.ctx.guild_id,
            user_id: *user_id,
            message: Message::text(call.t_server(
                "dm-promoted",
                &[
                    ("title", arg(event.title.clone())),
                    ("when", arg(timestamp(event.starts_at, 'F'))),
                ],
            )),
        })
        .collect()
}

pub async fn cancel(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_event_creator()?;
    let found = call.event(options.str("event").unwrap_or_default()).await?;
    call.require_may_change(&found)?;
    let reason = fields::text(call, options.str("reason"), "field-reason", 500, false)?;
    let mut tx = begin_write(call.pool()).await?;
    let event = fresh(call, &mut tx, found.id).await?;
    let targets = targets(call, &mut tx, &event, options).await?;
    for target in &targets {
        call.require_may_change(target)?;
    }
    for target in &targets {
        store::events::cancel_in(&mut tx, target.id, reason.as_deref(), call.now()).await?;
    }
    if let (Some(series), Some("series")) = (event.series_id, options.str("scope")) {
        store::series::stop_series(&mut tx, series).await?;
    }
    tx.commit().await?;
    let mut effects = Vec::new();
    for target in &targets {
        let notice = call.t_server(
            "dm-event-cancelled",
            &[
                ("title", arg(target.title.clone())),
                ("when", arg(timestamp(target.starts_at, 'F'))),
                ("reason", arg(reason.clone().unwrap_or_default())),
            ],
        );
        effects.push(Effect::RefreshCard { event_id: target.id });
        if call.settings.mirror_events {
            effects.push(Effect::MirrorEvent { event_id: target.id });
        }
        effects.extend(notices(call, target.id, &notice).await?);
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
