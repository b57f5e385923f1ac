//! The discussion thread on each event card (`/setup threads`): opened
//! with the card, going members added, told of changes, archived a day
//! after the end. A thread is a courtesy: its failures are logged (and the
//! admin told when a permission is missing), never a reason to fail the
//! card or the member's answer.

use super::event_card::cut;
use super::{deliver_one, MissingPermission, Outlet};
use crate::domain::event::Event;
use crate::i18n::Arg;
use crate::reply::{Effect, Message};
use crate::state::AppState;
use crate::store;
use crate::store::settings::Settings;

/// Discord's limit on a thread's name.
const NAME_MAX: usize = 100;

/// Opens the thread on a card just posted. Without the permission, threads
/// are turned off for the server and the admin who turned them on is told
/// what to grant, rather than failing again at every card.
pub(super) async fn open(
    state: &AppState,
    outlet: &impl Outlet,
    event: &Event,
    settings: &Settings,
    channel: u64,
    message: u64,
) {
    let name = cut(&event.title, NAME_MAX);
    let error = match outlet.start_thread(channel, message, &name).await {
        Ok(None) => return,
        Ok(Some(thread)) => match store::threads::set(&state.pool, event.id, thread).await {
            Ok(()) => return,
            Err(error) => anyhow::Error::from(error),
        },
        Err(error) => error,
    };
    if !error.is::<MissingPermission>() {
        tracing::warn!(event = event.id, error = ?error, "could not open the card's thread");
        return;
    }
    tracing::warn!(
        guild = event.guild_id,
        channel,
        "thread refused: missing Create Public Threads; threads turned off"
    );
    if let Err(error) = store::settings::stop_threads(&state.pool, event.guild_id).await {
        tracing::error!(error = ?error, "could not turn threads off");
    }
    state.settings.forget(event.guild_id);
    let Some(admin) = settings.threads_admin.filter(|id| *id != 0) else {
        return;
    };
    let text = state.i18n.t(
        settings.language,
        "dm-threads-stopped",
        &[
            ("title", Arg::Str(event.title.clone())),
            ("channel", Arg::Str(format!("<#{channel}>"))),
        ],
    );
    let dm = Effect::Dm {
        guild_id: event.guild_id,
        user_id: admin,
        message: Message::text(text),
    };
    if let Err(error) = Box::pin(deliver_one(state, outlet, &dm)).await {
        tracing::warn!(error = ?error, "could not tell the admin that threads were turned off");
    }
}

/// Adds a member who answered *Going* to the event's thread.
pub(super) async fn add(
    state: &AppState,
    outlet: &impl Outlet,
    event_id: i64,
    user_id: u64,
) -> anyhow::Result<()> {
    if let Some(thread) = store::threads::open_thread(&state.pool, event_id).await? {
        outlet.add_thread_member(thread, user_id).await?;
    }
    Ok(())
}

/// Posts in the event's thread, if it has one still open.
pub(super) async fn post(
    state: &AppState,
    outlet: &impl Outlet,
    event_id: i64,
    message: &Message,
) -> anyhow::Result<()> {
    if let Some(thread) = store::threads::open_thread(&state.pool, event_id).await? {
        outlet.post(thread, message).await?;
    }
    Ok(())
}

/// The archiving job: whether there was a thread left to archive.
pub async fn archive(state: &AppState, outlet: &impl Outlet, event_id: i64) -> anyhow::Result<bool> {
    let Some(thread) = store::threads::open_thread(&state.pool, event_id).await? else {
        return Ok(false);
    };
    match outlet.archive_thread(thread).await {
        Ok(()) => {}
        // Retrying cannot grant it; the thread stays open, which harms nobody.
        Err(error) if error.is::<MissingPermission>() => {
            tracing::warn!(event = event_id, thread, "archiving refused: missing permission");
            return Ok(false);
        }
        Err(error) => return Err(error),
    }
    store::threads::mark_archived(&state.pool, event_id, state.now()).await?;
    Ok(true)
}
