//! What a test sets in the fake's world (closed DMs, failures, overwrites,
//! known messages, an outage) and reads back from it.

use serde_json::Value;

use super::{id_of, Failure, FakeDiscord};

impl FakeDiscord {
    /// The next READY of the shard that owns `guild_id` lists it too, as
    /// unavailable (a Discord outage): still the bot's server, though no
    /// GUILD_CREATE follows.
    pub fn unavailable_in_ready(&self, guild_id: u64) {
        self.inner.state().unavailable_in_ready.push(guild_id);
    }

    /// DMs to that user fail with 403 and code 50007, like a member whose DMs are closed.
    pub fn close_dms_of(&self, user_id: u64) {
        self.inner.state().closed_dms.insert(user_id);
    }

    /// The next REST call whose path contains `path_contains` gets `status`
    /// and `body` instead of its normal answer (the call is still recorded).
    pub fn fail_next(&self, path_contains: &str, status: u16, body: Value) {
        let failure = Failure {
            path_part: path_contains.to_owned(),
            status,
            body,
        };
        self.inner.state().failures.push(failure);
    }

    /// Channel `channel_id`'s permission overwrites, as Discord's JSON; the
    /// bot's role otherwise grants what the README's invite asks for.
    pub fn set_overwrites(&self, channel_id: u64, overwrites: Value) {
        self.inner.state().overwrites.insert(channel_id, overwrites);
    }

    /// Makes the fake know a message the bot did not create through it (e.g.
    /// one a test put in the database), so GET/PATCH/DELETE on it succeed.
    pub fn seed_message(&self, message: Value) {
        if let Some(id) = id_of(&message["id"]) {
            self.inner.state().messages.insert(id, message);
        }
    }

    /// The message as the fake now knows it (created, edited, or shown in a
    /// component interaction); `None` if unknown or deleted.
    pub fn message(&self, id: u64) -> Option<Value> {
        self.inner.state().messages.get(&id).cloned()
    }

    /// The thread the bot started on a message, as the fake keeps it.
    pub fn thread_on(&self, message: u64) -> Option<Value> {
        let state = self.inner.state();
        let found = state.threads.values().find(|(on, _)| *on == message);
        found.map(|(_, thread)| thread.clone())
    }
}
