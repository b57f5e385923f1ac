//! Several gateway connections at once — two processes on one database, or
//! (later) several shards — each addressed by the id
//! [`FakeDiscord::live_connections`] lists. The single-client calls
//! (`dispatch`, `send_interaction`, `close_gateway`) keep using the newest
//! connection.

use std::time::Duration;

use serde_json::Value;

use super::{check_dispatch, FakeDiscord, Outgoing};

impl FakeDiscord {
    /// The live connections' ids, oldest first.
    pub fn live_connections(&self) -> Vec<u64> {
        let state = self.inner.state();
        state
            .connections
            .iter()
            .filter(|c| c.live)
            .map(|c| c.id)
            .collect()
    }

    /// Waits until at least `count` connections are live; their ids, oldest
    /// first, or `None` after `timeout`.
    pub async fn wait_live_connections(&self, count: usize, timeout: Duration) -> Option<Vec<u64>> {
        self.wait_until(timeout, |state| {
            let live: Vec<u64> = state
                .connections
                .iter()
                .filter(|c| c.live)
                .map(|c| c.id)
                .collect();
            (live.len() >= count).then_some(live)
        })
        .await
    }

    /// Sends a dispatch on connection `id`; false if it is not live (closed,
    /// or its process was killed), in which case nothing was sent.
    pub async fn dispatch_on(&self, id: u64, event_name: &str, data: Value) -> bool {
        check_dispatch(event_name, &data);
        if event_name == "INTERACTION_CREATE" {
            self.remember_interaction(&data);
        }
        let mut state = self.inner.state();
        if !state.connection(id).is_some_and(|c| c.live) {
            return false;
        }
        // Numbered and queued under one lock: sequence numbers in wire order.
        let frame = state.frame(id, event_name, data);
        let sent = state
            .connection(id)
            .is_some_and(|c| c.tx.send(Outgoing::Frame(frame)).is_ok());
        drop(state);
        self.inner.bump();
        sent
    }

    /// `dispatch_on(id, "INTERACTION_CREATE", interaction)`.
    pub async fn send_interaction_on(&self, id: u64, interaction: Value) -> bool {
        self.dispatch_on(id, "INTERACTION_CREATE", interaction).await
    }
}
