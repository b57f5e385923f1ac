//! What a date poll asks of the clock: closing at its deadline, and once
//! closed into an event, that event's card and mirror and a DM to each
//! member who could come, with a link to the card.

use crate::views::notices;
use chrono::{DateTime, Utc};

use super::dms::send_each;
use super::Done;
use crate::delivery::{self, Outlet};
use crate::domain::poll::leading;
use crate::domain::poll::Poll;
use crate::reply::Effect;
use crate::state::AppState;
use crate::store::jobs::Job;
use crate::store::polls::Becomes;
use crate::store::{self, polls};

/// A poll's deadline came: it closes at its leading date (the event and
/// the DMs follow from the job that closing queues), and its card shows it.
pub(super) async fn close(state: &AppState, outlet: &impl Outlet, job: &Job) -> anyhow::Result<Done> {
    let Some(poll) = polls::get_any(&state.pool, job.ref_id).await? else {
        return Ok(Done::Dropped("poll deleted"));
    };
    if poll.closed_at.is_some() {
        return Ok(Done::Dropped("poll already closed"));
    }
    match close_at_deadline(state, &poll, state.now()).await? {
        None => return Ok(Done::Dropped("poll already closed")),
        Some(None) => tracing::info!(poll = poll.id, "poll closed at its deadline without a date"),
        Some(Some(event)) => tracing::info!(poll = poll.id, event, "poll closed at its deadline"),
    }
    if let Err(error) = delivery::deliver_one(state, outlet, &Effect::RefreshPoll { poll_id: poll.id }).await
    {
        // The poll is closed whatever its card says; the next tap refreshes it.
        tracing::warn!(error = ?error, "could not refresh a closed poll's card");
    }
    Ok(Done::Performed)
}

/// A poll became an event: its card is posted (and mirrored) as
/// `/event create` does, then each member who answered yes or if need be
/// for that date is told once, in their language, with the card's link.
/// Resumed after a crash, it edits the card it already posted and skips
/// those it already told.
pub(super) async fn closed(state: &AppState, outlet: &impl Outlet, job: &Job) -> anyhow::Result<Done> {
    let pool = &state.pool;
    let Some(poll) = polls::get_any(pool, job.ref_id).await? else {
        return Ok(Done::Dropped("poll deleted"));
    };
    let (Some(event_id), Some(position)) = (poll.event_id, poll.chosen) else {
        return Ok(Done::Dropped("poll closed without an event"));
    };
    let settings = store::settings::get(pool, poll.guild_id).await?;
    for effect in Effect::for_new_events(settings.mirror_events, vec![event_id]) {
        delivery::deliver_one(state, outlet, &effect).await?;
    }
    let Some(event) = store::events::get_any(pool, event_id).await? else {
        return Ok(Done::Dropped("event deleted"));
    };
    if event.cancelled || event.starts_at <= state.now() {
        return Ok(Done::Dropped("event cancelled or started"));
    }
    let link = match (event.card_channel_id, event.card_message_id) {
        (Some(channel), Some(message)) => format!(
            "https://discord.com/channels/{}/{channel}/{message}",
            event.guild_id
        ),
        _ => "/agenda".into(),
    };
    let recipients = polls::could_come(pool, poll.guild_id, poll.id, position).await?;
    let dms = recipients
        .into_iter()
        .map(|to| {
            let lang = to.lang.unwrap_or(settings.language);
            (
                to,
                notices::poll_closed(&state.i18n, lang, &poll.title, &event, &link),
            )
        })
        .collect();
    send_each(state, outlet, job, 0, poll.guild_id, dms).await?;
    Ok(Done::Performed)
}

/// For the job runner: a poll at its deadline closes at its leading date;
/// without one (nobody answered), or when that date has passed (the bot was
/// down), it closes without an event. `None` if it was already closed.
async fn close_at_deadline(
    state: &AppState,
    poll: &Poll,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Option<i64>>> {
    let settings = store::settings::get(&state.pool, poll.guild_id).await?;
    let tallies = polls::tallies(&state.pool, poll).await?;
    let position = leading(&tallies).filter(|p| poll.dates[*p].starts_at > now);
    let fields = position.and_then(|p| poll.event_fields(p));
    let becomes = fields.as_ref().map(|fields| Becomes {
        fields,
        timezone: settings.timezone,
        reminder_offsets: &settings.reminder_offsets,
    });
    Ok(polls::close(&state.pool, poll, position, becomes, now).await?)
}
