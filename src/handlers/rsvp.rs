//! `/rsvp`, the card's buttons and *Check in*.

use super::{fields, Call, Options};
use crate::domain::event::LATE_CHECK_IN_HOURS;
use crate::domain::limits::{GUESTS_MAX, NOTE_MAX};
use crate::domain::rsvp::{Asker, Closed, RsvpChoice, RsvpStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::{arg, num};
use crate::reply::{Effect, Reply};
use crate::store::rsvps::{self, Answered, CheckIn, Outcome, Request};

pub async fn command(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let event = call.event(options.str("event").unwrap_or_default()).await?;
    let choice = options
        .str("status")
        .and_then(RsvpChoice::parse)
        .ok_or_else(|| AppError::user("error-bad-invocation"))?;
    let guests = fields::int_in(call, options, "guests", "field-guests", 0, GUESTS_MAX)?;
    let note = fields::text(call, options.str("note"), "field-note", NOTE_MAX, false)?;
    answer(call, event.id, choice, guests, note.as_deref()).await
}

/// A card's button. The event is read by the transaction that records the
/// answer, not before: one read less on the commonest interaction, and no
/// answer recorded to an event cancelled a moment earlier.
pub async fn button(call: &Call<'_>, event_id: i64, choice: RsvpChoice) -> AppResult<Reply> {
    answer(call, event_id, choice, None, None).await
}

/// Records the caller's answer through the group commit and tells them
/// what it did.
async fn answer(
    call: &Call<'_>,
    event_id: i64,
    choice: RsvpChoice,
    guests: Option<i64>,
    note: Option<&str>,
) -> AppResult<Reply> {
    let request = Request {
        guild_id: call.ctx.guild_id,
        event_id,
        user_id: call.ctx.caller.user_id,
        user_name: call.ctx.caller.name.clone(),
        choice,
        guests,
        note: note.map(str::to_owned),
        asker: Asker {
            roles: call.ctx.caller.roles.clone(),
            organizer: call.is_organizer(),
        },
    };
    let answered = call
        .state
        .rsvp_writer
        .record(call.pool(), request, call.now())
        .await?;
    let Answered {
        event: Some(event),
        outcome,
    } = answered
    else {
        return Err(AppError::user("error-event-gone"));
    };
    let title = arg(event.title.clone());
    match outcome {
        Outcome::NoSuchEvent => Err(AppError::user("error-event-gone")),
        Outcome::Refused(closed) => Err(refusal(closed)),
        Outcome::GuestsDoNotFit { free_seats } => Err(AppError::user_with(
            "error-guests-do-not-fit",
            vec![("free", num(free_seats))],
        )),
        Outcome::PartyTooLarge { max_guests } => Err(AppError::user_with(
            "error-party-too-large",
            vec![
                ("capacity", num(event.capacity.unwrap_or(0))),
                ("free", num(max_guests)),
            ],
        )),
        Outcome::Recorded {
            status,
            waitlist_position,
            guests,
            promoted,
        } => {
            let text = match status {
                RsvpStatus::Going => call.t("rsvp-going", &[("title", title), ("guests", num(guests))]),
                RsvpStatus::Waitlisted => call.t(
                    "rsvp-waitlisted",
                    &[
                        ("title", title),
                        ("position", num(waitlist_position.unwrap_or(0))),
                    ],
                ),
                RsvpStatus::Maybe => call.t("rsvp-maybe", &[("title", title)]),
                RsvpStatus::Declined => call.t("rsvp-declined", &[("title", title)]),
                // A click never records a walk-in; only an organizer's check-in does.
                RsvpStatus::WalkIn => call.t("rsvp-declined", &[("title", title)]),
            };
            // Their DMs were queued with the promotion, for the runner.
            if !promoted.is_empty() {
                call.state.jobs_wake.notify_one();
            }
            let mut effects = vec![Effect::RefreshCard { event_id: event.id }];
            if call.settings.threads && status == RsvpStatus::Going {
                effects.push(Effect::AddToThread {
                    event_id: event.id,
                    user_id: call.ctx.caller.user_id,
                });
            }
            Ok(Reply::private_text(text).with_effects(effects))
        }
    }
}

fn refusal(closed: Closed) -> AppError {
    match closed {
        Closed::Cancelled => AppError::user("error-event-cancelled"),
        Closed::Over => AppError::user("error-event-over"),
        Closed::Deadline => AppError::user("error-rsvp-closed"),
        Closed::Restricted { role } => {
            AppError::user_with("error-restricted", vec![("role", arg(format!("<@&{role}>")))])
        }
    }
}

pub async fn check_in(call: &Call<'_>, event_id: i64) -> AppResult<Reply> {
    let event = call.event_by_id(event_id).await?;
    if !event.check_in_open(call.now()) {
        return Err(AppError::user("error-check-in-closed"));
    }
    if !rsvps::check_in(
        call.pool(),
        call.ctx.guild_id,
        event.id,
        call.ctx.caller.user_id,
        call.now(),
    )
    .await?
    {
        return Err(AppError::user("error-check-in-not-going"));
    }
    Ok(
        Reply::private_text(call.t("check-in-done", &[("title", arg(event.title.clone()))]))
            .with_effects([Effect::RefreshCard { event_id: event.id }]),
    )
}

/// `/event check-in event member`: an organizer records who is at the
/// door, whatever they answered (or as a walk-in if they did not), from the
/// button's opening until a day after the end.
pub async fn check_in_member(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_organizer()?;
    let event = call.event(options.str("event").unwrap_or_default()).await?;
    let (member, name) = options
        .user("member")
        .ok_or_else(|| AppError::user("error-bad-invocation"))?;
    if !event.organizer_check_in_open(call.now()) {
        return Err(AppError::user_with(
            "error-check-in-member-closed",
            vec![("hours", num(LATE_CHECK_IN_HOURS))],
        ));
    }
    let how =
        rsvps::check_in_anyone(call.pool(), call.ctx.guild_id, event.id, member, name, call.now()).await?;
    let key = match how {
        CheckIn::OnAnswer => "check-in-member-done",
        CheckIn::WalkIn => "check-in-member-walk-in",
    };
    Ok(Reply::private_text(call.t(
        key,
        &[
            ("name", arg(name.to_owned())),
            ("title", arg(event.title.clone())),
        ],
    ))
    .with_effects([Effect::RefreshCard { event_id: event.id }]))
}
