//! Posting, editing and DMing through Discord's REST API, and the card
//! refresher that coalesces bursts of edits to one card.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ChannelId, Http, MessageId, UserId};
use tokio::sync::{Mutex, Notify};

use super::build;
use crate::delivery::{self, DmError, Outlet};
use crate::reply::{Effect, Message};
use crate::state::AppState;

/// Discord's JSON error code for "Cannot send messages to this user".
const DMS_CLOSED: isize = 50007;

#[derive(Clone)]
pub struct DiscordOutlet {
    pub http: Arc<Http>,
}

fn discord_code(error: &serenity::Error) -> Option<isize> {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.error.code)
        }
        _ => None,
    }
}

impl Outlet for DiscordOutlet {
    async fn post(&self, channel_id: u64, message: &Message) -> anyhow::Result<u64> {
        let sent = ChannelId::new(channel_id)
            .send_message(&self.http, build::create_message(message))
            .await?;
        Ok(sent.id.get())
    }

    async fn edit(&self, channel_id: u64, message_id: u64, message: &Message) -> anyhow::Result<()> {
        ChannelId::new(channel_id)
            .edit_message(
                &self.http,
                MessageId::new(message_id),
                build::edit_message(message),
            )
            .await?;
        Ok(())
    }

    async fn delete(&self, channel_id: u64, message_id: u64) -> anyhow::Result<()> {
        self.http
            .delete_message(ChannelId::new(channel_id), MessageId::new(message_id), None)
            .await?;
        Ok(())
    }

    async fn pin(&self, channel_id: u64, message_id: u64) -> anyhow::Result<()> {
        self.http
            .pin_message(ChannelId::new(channel_id), MessageId::new(message_id), None)
            .await?;
        Ok(())
    }

    async fn dm(&self, user_id: u64, message: &Message) -> Result<(), DmError> {
        let send = async {
            let channel = UserId::new(user_id).create_dm_channel(&self.http).await?;
            channel
                .id
                .send_message(&self.http, build::create_message(message))
                .await
        };
        match send.await {
            Ok(_) => Ok(()),
            Err(error) if discord_code(&error) == Some(DMS_CLOSED) => Err(DmError::Closed),
            Err(error) => Err(DmError::Other(error.into())),
        }
    }
}

/// Card edits wait this long so that a burst of clicks becomes one edit
/// showing the final counts (Discord allows about 5 edits per 5 s a channel).
pub const CARD_DEBOUNCE: Duration = Duration::from_millis(1_000);

/// Events whose card must be re-rendered, drained by one background task.
#[derive(Default)]
pub struct CardRefresher {
    dirty: Mutex<BTreeSet<i64>>,
    wake: Notify,
}

impl CardRefresher {
    pub async fn mark(&self, event_id: i64) {
        self.dirty.lock().await.insert(event_id);
        self.wake.notify_one();
    }

    /// Runs forever: waits for a dirty card, lets the burst settle, then
    /// renders each dirty card once from the database's latest state.
    pub async fn run(self: Arc<Self>, state: AppState, outlet: DiscordOutlet) {
        loop {
            self.wake.notified().await;
            tokio::time::sleep(CARD_DEBOUNCE).await;
            let events: Vec<i64> = std::mem::take(&mut *self.dirty.lock().await)
                .into_iter()
                .collect();
            let effects = events
                .into_iter()
                .map(|event_id| Effect::RefreshCard { event_id })
                .collect();
            delivery::deliver(&state, &outlet, effects).await;
        }
    }
}
