//! The DMs jobs send: each recipient once, in their own language, with a
//! nonce that makes a send repeated after a crash the same message; and the
//! notices of a freed seat, a change or a cancellation.

use crate::views::notices as view;
use std::collections::HashMap;

use super::Done;
use crate::delivery::{DmError, Outlet};
use crate::domain::event::Event;
use crate::reply::{Effect, Message};
use crate::state::AppState;
use crate::store::jobs::{Job, Kind};
use crate::store::prefs::Recipient;
use crate::store::{self, from_sql_id, notices};

/// Sends a job's DMs to the recipients it has not reached yet; `version`
/// tells apart the messages one job sends over time (a reminder's event
/// moved), and stays the same across retries. A member
/// whose DMs are closed is noted and not tried again by this job; one
/// reached after having been noted so has opened them, and gets reminders
/// again. Fails if a send failed for a reason that may pass, so the job is
/// retried for those members only.
pub(super) async fn send_each(
    state: &AppState,
    outlet: &impl Outlet,
    job: &Job,
    version: i64,
    guild_id: u64,
    dms: Vec<(Recipient, Message)>,
) -> anyhow::Result<()> {
    let pool = &state.pool;
    let mut failures = 0;
    for (to, message) in dms {
        if store::jobs::delivered(pool, job.id, to.user_id).await? {
            continue;
        }
        // The same nonce on every try, retries after a backoff included: a
        // DM sent just before a crash or a lost answer, and sent again, is
        // one message for Discord.
        let once = format!("{}:{}:{version}:{}", job.kind.as_str(), job.id, to.user_id);
        match outlet.dm(to.user_id, &message.once(&once)).await {
            Ok(()) => {
                store::jobs::record_delivery(pool, job.id, to.user_id, state.now()).await?;
                if to.dms_closed {
                    store::prefs::dms_open(pool, guild_id, to.user_id).await?;
                }
            }
            Err(DmError::Closed) => {
                tracing::info!(user = to.user_id, "DMs closed; noted and skipped");
                store::prefs::mark_dms_closed(pool, guild_id, to.user_id, state.now()).await?;
                // Handled: a retry of this job for others does not try again.
                store::jobs::record_delivery(pool, job.id, to.user_id, state.now()).await?;
            }
            Err(DmError::Other(error)) => {
                tracing::warn!(user = to.user_id, error = ?error, "DM failed");
                failures += 1;
            }
        }
    }
    if failures > 0 {
        anyhow::bail!("{failures} DM(s) failed");
    }
    Ok(())
}

/// Tells a member a seat freed up for them, if they are still going to an
/// event still to come.
pub(super) async fn promoted(state: &AppState, outlet: &impl Outlet, job: &Job) -> anyhow::Result<Done> {
    let pool = &state.pool;
    let Some(event) = store::events::get_any(pool, job.ref_id).await? else {
        return Ok(Done::Dropped("event deleted"));
    };
    if event.cancelled {
        return Ok(Done::Dropped("event cancelled"));
    }
    if state.now() >= event.ends_at {
        return Ok(Done::Dropped("event over"));
    }
    let member = from_sql_id(job.detail);
    let Some(to) = notices::still_going(pool, event.guild_id, event.id, member).await? else {
        return Ok(Done::Dropped("no longer going"));
    };
    let settings = store::settings::get(pool, event.guild_id).await?;
    let message = view::promoted(&state.i18n, to.lang.unwrap_or(settings.language), &event);
    send_each(state, outlet, job, 0, event.guild_id, vec![(to, message)]).await?;
    // Going now, so in the event's thread like those who got a seat at once.
    if settings.threads {
        let join = Effect::AddToThread {
            event_id: event.id,
            user_id: member,
        };
        if let Err(error) = crate::delivery::deliver_one(state, outlet, &join).await {
            tracing::warn!(error = ?error, "could not add a promoted member to the thread");
        }
    }
    Ok(Done::Performed)
}

/// Tells everyone who answered one of a notice's dates (going, maybe or
/// waiting) that it moved or changed place, or is cancelled: one message
/// per member, naming the dates they answered. Rendered from the events as
/// they are now, so it never tells an outdated time; dates over by now (the
/// bot was down) are left out.
pub(super) async fn changed_or_cancelled(
    state: &AppState,
    outlet: &impl Outlet,
    job: &Job,
) -> anyhow::Result<Done> {
    let pool = &state.pool;
    let cancelled = job.kind == Kind::Cancelled;
    let mut dates = Vec::new();
    for id in notices::dates(job) {
        let Some(event) = store::events::get_any(pool, id).await? else {
            continue;
        };
        // A change to a date cancelled since is told by the cancellation.
        if event.cancelled == cancelled && event.ends_at > state.now() {
            dates.push(event);
        }
    }
    if dates.is_empty() {
        return Ok(Done::Dropped("nothing left to tell"));
    }
    dates.sort_by_key(|e| e.starts_at);
    // Who answered which dates, in the order they first answered.
    let mut members: Vec<(Recipient, Vec<usize>)> = Vec::new();
    let mut index: HashMap<u64, usize> = HashMap::new();
    for (i, event) in dates.iter().enumerate() {
        for to in notices::interested(pool, job.guild_id, event.id).await? {
            match index.get(&to.user_id) {
                Some(&at) => members[at].1.push(i),
                None => {
                    index.insert(to.user_id, members.len());
                    members.push((to, vec![i]));
                }
            }
        }
    }
    let settings = store::settings::get(pool, job.guild_id).await?;
    let dms = members
        .into_iter()
        .map(|(to, answered)| {
            let theirs: Vec<&Event> = answered.iter().map(|&i| &dates[i]).collect();
            let lang = to.lang.unwrap_or(settings.language);
            (to, view::dates_changed(&state.i18n, lang, cancelled, &theirs))
        })
        .collect();
    send_each(state, outlet, job, 0, job.guild_id, dms).await?;
    Ok(Done::Performed)
}
