//! Dispatches sent to the bot on the live session of the shard that owns
//! their server, and events replayed on a resume.

use serde_json::Value;

use super::checks::check_dispatch;
use super::{id_of, shards, FakeDiscord, Outgoing, SentInteraction, State, SESSION_WAIT};

impl FakeDiscord {
    /// Sends a dispatch (op 0, `t`, next `s`) on the live session of the
    /// shard that owns its server (`guild_id`; shard 0 for none), waiting up
    /// to 10 s for one. Panics if serenity would not parse it: it would drop
    /// such an event silently and the test would only time out later.
    pub async fn dispatch(&self, event_name: &str, data: Value) {
        check_dispatch(event_name, &data);
        self.dispatch_raw(event_name, data).await;
    }

    /// [`Self::dispatch`] without the check, for deliberately odd events.
    pub async fn dispatch_raw(&self, event_name: &str, data: Value) {
        if event_name == "INTERACTION_CREATE" {
            self.remember_interaction(&data);
        }
        let guild = shards::guild_of(event_name, &data);
        self.send_to_live(guild, |state, id| {
            Outgoing::Frame(state.frame(id, event_name, data))
        })
        .await;
    }

    /// `dispatch("INTERACTION_CREATE", interaction)`.
    pub async fn send_interaction(&self, interaction: Value) {
        self.dispatch("INTERACTION_CREATE", interaction).await;
    }

    /// Events sent (before RESUMED) on the next successful RESUME, as Discord
    /// replays what a resuming client missed.
    pub fn replay_on_resume(&self, events: Vec<(String, Value)>) {
        for (event_name, data) in &events {
            check_dispatch(event_name, data);
            if event_name == "INTERACTION_CREATE" {
                self.remember_interaction(data);
            }
        }
        self.inner.state().replay.extend(events);
    }

    /// Sends on the live connection server `guild`'s events go to.
    async fn send_to_live(&self, guild: u64, make: impl FnOnce(&mut State, u64) -> Outgoing) {
        let deadline = tokio::time::Instant::now() + SESSION_WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let live = self.wait_until(left, |state| state.route(guild)).await;
            assert!(
                live.is_some(),
                "no live gateway session for server {guild} within {SESSION_WAIT:?}: is the serenity client running?"
            );
            let mut state = self.inner.state();
            // Assigning `s` and queueing under one lock keeps sequence numbers
            // in wire order; the connection may have closed since the wait.
            if let Some(id) = state.route(guild) {
                let order = make(&mut state, id);
                if let Some(connection) = state.connection(id) {
                    let _ = connection.tx.send(order);
                }
                return;
            }
        }
    }

    /// Keeps what the webhook routes of this interaction's token need.
    pub(super) fn remember_interaction(&self, data: &Value) {
        let (Some(token), Some(channel_id)) = (data["token"].as_str(), id_of(&data["channel_id"])) else {
            return;
        };
        let mut state = self.inner.state();
        let message_id = id_of(&data["message"]["id"]);
        if let Some(id) = message_id {
            state
                .messages
                .entry(id)
                .or_insert_with(|| data["message"].clone());
        }
        state.interactions.insert(
            token.to_owned(),
            SentInteraction {
                channel_id,
                message_id,
            },
        );
    }
}
