//! Carrying out a reply's effects: cards posted or edited, introductions
//! published, announcements posted, DMs sent. Shared by every front-end,
//! which only provides an [`Outlet`] that can post, edit and DM.

mod event_card;
mod poll;
mod threads;

use event_card::{mirror, refresh_card};

pub use threads::archive as archive_thread;

use std::future::Future;

use crate::reply::{Effect, Message};
use crate::state::AppState;
use crate::store;
use crate::store::announcements::Announcement;
use crate::views::announcement::announcement_message;

use crate::views::intro::{intro_button_message, intro_embed};

/// Why a DM could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum DmError {
    /// Discord error 50007: the member does not accept DMs from the bot.
    #[error("the member's DMs are closed")]
    Closed,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// An announcement whose channel or role is not on its own server: it is
/// never posted (the ids came from a client, or a server changed since).
#[derive(Debug, thiserror::Error)]
#[error("announcement {0} names a channel or role outside its server; not posted")]
pub struct Elsewhere(pub i64);

/// Whether an announcement's channel and role belong to its server, asked
/// of the outlet (Discord itself when the bot does not know them yet).
async fn in_its_server(outlet: &impl Outlet, announcement: &Announcement) -> anyhow::Result<bool> {
    if announcement.channel_id == 0 || announcement.ping_role == Some(0) {
        return Ok(false);
    }
    if outlet.channel_guild(announcement.channel_id).await? != Some(announcement.guild_id) {
        return Ok(false);
    }
    match announcement.ping_role {
        Some(role) => outlet.role_in_guild(announcement.guild_id, role).await,
        None => Ok(true),
    }
}

/// An event as mirrored among Discord's native scheduled events.
#[derive(Debug, Clone, PartialEq)]
pub struct NativeEvent {
    pub name: String,
    pub description: String,
    pub location: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub cancelled: bool,
}

/// Discord refused for lack of a permission (JSON code 50013): retrying
/// cannot help, the admin must grant it. Front-ends return it inside their
/// `anyhow::Error` (e.g. from [`Outlet::pin`]).
#[derive(Debug, thiserror::Error)]
#[error("the bot lacks a permission for this")]
pub struct MissingPermission;

/// Why a mirror could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The bot lacks Create Events: retrying cannot help.
    #[error("the bot lacks the Create Events permission")]
    MissingPermission,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Where messages go: Discord, or the console's terminal.
pub trait Outlet: Sync {
    /// Creates (`existing` None) or updates a native scheduled event; its id.
    /// Front-ends without native events keep nothing.
    fn mirror(
        &self,
        _guild_id: u64,
        existing: Option<u64>,
        _event: &NativeEvent,
    ) -> impl Future<Output = Result<Option<u64>, MirrorError>> + Send {
        async move { Ok(existing) }
    }

    /// The server a channel belongs to; `None` for a channel in no server
    /// the bot can see (a DM, a deleted channel, a forged id).
    fn channel_guild(&self, channel_id: u64) -> impl Future<Output = anyhow::Result<Option<u64>>> + Send;
    /// Whether the role is one of that server's.
    fn role_in_guild(&self, guild_id: u64, role_id: u64)
        -> impl Future<Output = anyhow::Result<bool>> + Send;

    fn post(&self, channel_id: u64, message: &Message) -> impl Future<Output = anyhow::Result<u64>> + Send;
    fn edit(
        &self,
        channel_id: u64,
        message_id: u64,
        message: &Message,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
    fn delete(&self, channel_id: u64, message_id: u64) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// Opens a public thread named `name` on a posted message; its id, or
    /// `None` from a front-end without threads. A refusal for lack of
    /// permission is a [`MissingPermission`] inside the error.
    fn start_thread(
        &self,
        _channel_id: u64,
        _message_id: u64,
        _name: &str,
    ) -> impl Future<Output = anyhow::Result<Option<u64>>> + Send {
        async { Ok(None) }
    }
    /// Adds a member to a thread (the bot must be able to post in it).
    fn add_thread_member(
        &self,
        _thread_id: u64,
        _user_id: u64,
    ) -> impl Future<Output = anyhow::Result<()>> + Send {
        async { Ok(()) }
    }
    /// Archives a thread: it stays readable, and leaves the channel's list.
    fn archive_thread(&self, _thread_id: u64) -> impl Future<Output = anyhow::Result<()>> + Send {
        async { Ok(()) }
    }
    fn pin(&self, channel_id: u64, message_id: u64) -> impl Future<Output = anyhow::Result<()>> + Send;
    fn dm(&self, user_id: u64, message: &Message) -> impl Future<Output = Result<(), DmError>> + Send;
}

/// A card the bot keeps up to date: an event's or a date poll's. Bursts of
/// refreshes of one card are coalesced into one edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Card {
    Event(i64),
    Poll(i64),
}

impl Card {
    /// The card an effect refreshes, if it is a refresh.
    pub fn of(effect: &Effect) -> Option<Card> {
        match effect {
            Effect::RefreshCard { event_id } => Some(Card::Event(*event_id)),
            Effect::RefreshPoll { poll_id } => Some(Card::Poll(*poll_id)),
            _ => None,
        }
    }

    pub fn effect(self) -> Effect {
        match self {
            Card::Event(event_id) => Effect::RefreshCard { event_id },
            Card::Poll(poll_id) => Effect::RefreshPoll { poll_id },
        }
    }
}

/// Carries out effects in order; a failure is logged and does not stop the
/// others (the member's own answer is already saved and acknowledged).
pub async fn deliver(state: &AppState, outlet: &impl Outlet, effects: Vec<Effect>) {
    let mut refreshed = Vec::new();
    for effect in effects {
        if let Some(card) = Card::of(&effect) {
            // One refresh per card per batch is enough: it renders the latest state.
            if refreshed.contains(&card) {
                continue;
            }
            refreshed.push(card);
        }
        if let Err(error) = deliver_one(state, outlet, &effect).await {
            tracing::error!(?effect, error = ?error, "could not deliver");
        }
    }
}

pub async fn deliver_one(state: &AppState, outlet: &impl Outlet, effect: &Effect) -> anyhow::Result<()> {
    let pool = &state.pool;
    match effect {
        Effect::RefreshCard { event_id } => refresh_card(state, outlet, *event_id).await?,
        Effect::RefreshPoll { poll_id } => poll::refresh_poll(state, outlet, *poll_id).await?,
        Effect::PublishIntro { guild_id, user_id } => {
            let settings = store::settings::get(pool, *guild_id).await?;
            let Some(intro) = store::intros::get(pool, *guild_id, *user_id).await? else {
                return Ok(());
            };
            let message = Message {
                embeds: vec![intro_embed(&state.i18n, settings.language, &intro)],
                ..Default::default()
            };
            match (intro.message_channel_id, intro.message_id) {
                (Some(channel), Some(id)) => outlet.edit(channel, id, &message).await?,
                _ => {
                    let Some(channel) = settings.intro_channel else {
                        return Ok(());
                    };
                    let id = outlet.post(channel, &message).await?;
                    store::intros::set_message(pool, *guild_id, *user_id, channel, id).await?;
                }
            }
        }
        Effect::PublishAnnouncement { announcement_id } => {
            let Some(announcement) = store::announcements::get(pool, *announcement_id).await? else {
                return Ok(());
            };
            if !in_its_server(outlet, &announcement).await? {
                store::announcements::mark_failed(pool, announcement.id).await?;
                return Err(Elsewhere(announcement.id).into());
            }
            let settings = store::settings::get(pool, announcement.guild_id).await?;
            let event = match announcement.event_id {
                Some(id) => store::events::get_any(pool, id).await?,
                None => None,
            };
            let counts = match &event {
                Some(e) => store::events::counts_one(pool, e.id).await?,
                None => Default::default(),
            };
            let message = announcement_message(
                &state.i18n,
                settings.language,
                settings.timezone,
                &announcement,
                event.as_ref().map(|e| (e, &counts)),
                state.now(),
            );
            let once = format!("announcement:{}:{}", announcement.id, announcement.title);
            let id = outlet.post(announcement.channel_id, &message.once(&once)).await?;
            store::announcements::mark_posted(pool, announcement.id, id, state.now()).await?;
        }
        Effect::PostIntroButton {
            guild_id,
            channel_id,
            admin,
        } => {
            let settings = store::settings::get(pool, *guild_id).await?;
            let message = intro_button_message(&state.i18n, settings.language);
            let id = outlet.post(*channel_id, &message).await?;
            store::settings::set_intro_button(pool, *guild_id, *channel_id, id, state.now()).await?;
            match outlet.pin(*channel_id, id).await {
                Ok(()) => {}
                // The admin was told "posted": say what did not work and how to fix it.
                Err(error) if error.is::<MissingPermission>() => {
                    tracing::warn!(
                        guild = guild_id,
                        channel = channel_id,
                        "pin refused: missing Pin Messages"
                    );
                    let text = state.i18n.t(
                        settings.language,
                        "setup-intro-button-unpinned",
                        &[("channel", crate::i18n::Arg::Str(format!("<#{channel_id}>")))],
                    );
                    let dm = Effect::Dm {
                        guild_id: *guild_id,
                        user_id: *admin,
                        message: Message::text(text),
                    };
                    Box::pin(deliver_one(state, outlet, &dm)).await?;
                }
                Err(error) => tracing::warn!(error = ?error, "could not pin the introduction button"),
            }
        }
        Effect::MirrorEvent { event_id } => mirror(state, outlet, *event_id).await?,
        Effect::AddToThread { event_id, user_id } => threads::add(state, outlet, *event_id, *user_id).await?,
        Effect::ThreadPost { event_id, message } => threads::post(state, outlet, *event_id, message).await?,
        Effect::DeleteMessage {
            channel_id,
            message_id,
        } => outlet.delete(*channel_id, *message_id).await?,
        Effect::Post { channel_id, message } => {
            outlet.post(*channel_id, message).await?;
        }
        Effect::Dm {
            guild_id,
            user_id,
            message,
        } => match outlet.dm(*user_id, message).await {
            Ok(()) => {}
            Err(DmError::Closed) => {
                tracing::info!(user = user_id, "DMs closed; noted, not retried");
                store::prefs::mark_dms_closed(pool, *guild_id, *user_id, state.now()).await?;
            }
            Err(DmError::Other(error)) => return Err(error),
        },
    }
    Ok(())
}
