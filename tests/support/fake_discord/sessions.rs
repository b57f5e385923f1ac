//! Several gateway connections at once — two processes on one database, or
//! several shards (shards.rs) — each addressed by the id
//! [`FakeDiscord::live_connections`] lists. `close_gateway` and `send_op`
//! use the newest connection; `dispatch` and `send_interaction` the newest of
//! the shard that owns the event's server, which with unsharded clients is
//! the newest connection too.

use std::time::Duration;

use serde_json::{json, Value};

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

    /// Closes the current connection with a close frame carrying `code`
    /// (4000: resumable; 4007/4009: serenity reidentifies). The reserved
    /// codes 1005, 1006 and 1015 never appear on the wire: for those the TCP
    /// connection is dropped without a close frame, an abnormal closure.
    pub async fn close_gateway(&self, code: u16) {
        let newest = self.inner.state().newest().map(|c| c.id);
        match newest {
            Some(id) => self.close_connection(id, code),
            None => self.inner.bump(),
        }
    }

    /// Sends a bare opcode on the current connection: op 7 (Reconnect) or
    /// op 9 (Invalid Session, `d` = resumable). For those two the session
    /// stops being live, since serenity leaves it.
    pub async fn send_op(&self, op: u8, d: Value) {
        let newest = self.inner.state().newest().map(|c| c.id);
        match newest {
            Some(id) => self.send_op_on(id, op, d),
            None => self.inner.bump(),
        }
    }

    /// Closes connection `id` like [`Self::close_gateway`] closes the newest.
    pub fn close_connection(&self, id: u64, code: u16) {
        let connection = self.inner.state().remove(id);
        if let Some(connection) = connection {
            let order = if matches!(code, 1005 | 1006 | 1015) {
                Outgoing::Drop
            } else {
                Outgoing::Close(code)
            };
            let _ = connection.tx.send(order);
        }
        self.inner.bump();
    }

    /// Sends a bare opcode on connection `id` like [`Self::send_op`] on the newest.
    pub fn send_op_on(&self, id: u64, op: u8, d: Value) {
        let mut state = self.inner.state();
        if let Some(connection) = state.connection_mut(id) {
            let frame = json!({ "op": op, "d": d, "s": null, "t": null });
            let _ = connection.tx.send(Outgoing::Frame(frame));
            if matches!(op, 7 | 9) {
                connection.live = false;
            }
        }
        drop(state);
        self.inner.bump();
    }
}
