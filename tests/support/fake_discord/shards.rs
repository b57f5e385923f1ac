//! Shards, as Discord runs them: IDENTIFY's `shard: [id, total]` makes a
//! connection shard `id` of `total`, whose READY lists only the servers it
//! owns (`(guild_id >> 22) % total == id`, see [`shard_of`]) with a
//! GUILD_CREATE for each; a server's dispatches go to its shard's newest
//! connection; `GET /gateway/bot` recommends a shard count and a
//! `max_concurrency`; and, once a test turns it on, the identify limit: one
//! IDENTIFY per bucket (`shard_id % max_concurrency`) per 5 s, a faster one
//! answered with op 9.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use super::{guild_json_of, id_of, ready_json, shard_of, FakeDiscord, Outgoing, State};

/// Discord's identify limit: one IDENTIFY per bucket per 5 s. The real
/// figure, not a shorter one for tests: serenity's own queuer already waits
/// 5 s between a process's IDENTIFYs, so a shorter window would save tests
/// no time and would only let a bot that spaces them less pass.
pub const IDENTIFY_INTERVAL: Duration = Duration::from_secs(5);

/// Invalid shard: what Discord closes with when `shard` is malformed or
/// `id >= total` (serenity stops the shard).
const INVALID_SHARD: u16 = 4010;

/// One IDENTIFY the fake received.
#[derive(Debug, Clone)]
pub struct Identify {
    /// The connection it came on.
    pub connection: u64,
    /// `[id, total]` as sent (`[0, 1]` when absent).
    pub shard: [u32; 2],
    /// When it arrived (tokio's clock, so paused time applies).
    pub at: Instant,
    /// Answered with op 9 under the identify limit: no session started.
    pub refused: bool,
}

/// What the fake says about sharding, and the IDENTIFYs it was sent.
pub(super) struct Sharding {
    /// `GET /gateway/bot`'s recommended shard count.
    shards: u32,
    max_concurrency: u32,
    enforce_limit: bool,
    log: Vec<Identify>,
    /// The shard each session belongs to, for RESUMEs (which do not say).
    sessions: HashMap<String, [u32; 2]>,
}

impl Default for Sharding {
    fn default() -> Self {
        Sharding {
            shards: 1,
            max_concurrency: 1,
            enforce_limit: false,
            log: vec![],
            sessions: HashMap::new(),
        }
    }
}

impl Sharding {
    /// `session_start_limit` and `shards` of `GET /gateway/bot`.
    pub(super) fn gateway_bot(&self, url: &str) -> Value {
        json!({
            "url": url,
            "shards": self.shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": self.max_concurrency,
            },
        })
    }

    /// Whether an IDENTIFY for `shard_id` now falls within 5 s of the last
    /// accepted one in its bucket (refused ones start no session, so they
    /// do not restart the bucket's clock).
    fn too_soon(&self, shard_id: u32, now: Instant) -> bool {
        let concurrency = self.max_concurrency.max(1);
        let bucket = shard_id % concurrency;
        self.enforce_limit
            && self
                .log
                .iter()
                .rev()
                .find(|i| !i.refused && i.shard[0] % concurrency == bucket)
                .is_some_and(|last| now.duration_since(last.at) < IDENTIFY_INTERVAL)
    }
}

/// `[id, total]` from IDENTIFY's `d.shard`; `[0, 1]` when absent, `None`
/// when malformed or `id >= total`.
fn requested_shard(shard: &Value) -> Option<[u32; 2]> {
    if shard.is_null() {
        return Some([0, 1]);
    }
    let number = |i: usize| shard.get(i)?.as_u64().and_then(|n| u32::try_from(n).ok());
    let (id, total) = (number(0)?, number(1)?);
    (shard.as_array()?.len() == 2 && id < total).then_some([id, total])
}

/// Answers IDENTIFY `d` on connection `connection`: READY and a GUILD_CREATE
/// per server of its shard, op 9 if the identify limit refuses it, or a 4010
/// close for invalid shard data.
pub(super) fn identify(state: &mut State, ws_url: &str, connection: u64, d: &Value) -> Vec<Outgoing> {
    state.identifies.push(d.clone());
    let Some(shard) = requested_shard(&d["shard"]) else {
        return vec![Outgoing::Close(INVALID_SHARD)];
    };
    let at = Instant::now();
    let refused = state.sharding.too_soon(shard[0], at);
    state.sharding.log.push(Identify {
        connection,
        shard,
        at,
        refused,
    });
    if refused {
        // The connection stays this shard's, not live: the shard's servers
        // wait for the client to identify again rather than going elsewhere.
        if let Some(c) = state.connection_mut(connection) {
            c.shard = Some(shard);
        }
        return vec![Outgoing::Frame(
            json!({ "op": 9, "d": false, "s": null, "t": null }),
        )];
    }
    let session_id = format!("fake-session-{}", state.identifies.len());
    state.sessions.insert(session_id.clone(), 0);
    state.sharding.sessions.insert(session_id.clone(), shard);
    if let Some(c) = state.connection_mut(connection) {
        c.session = Some(session_id.clone());
        c.shard = Some(shard);
    }
    let [id, total] = shard;
    let mine = |guild: &u64| shard_of(*guild, total) == id;
    let guilds: Vec<u64> = state.guilds().into_iter().filter(mine).collect();
    let mut listed: Vec<Value> = guilds
        .iter()
        .map(|g| json!({ "id": g.to_string(), "unavailable": true }))
        .collect();
    let outage = state.unavailable_in_ready.iter().filter(|g| mine(g));
    listed.extend(outage.map(|g| json!({ "id": g.to_string(), "unavailable": true })));
    let mut ready = ready_json(&session_id, ws_url);
    ready["guilds"] = json!(listed);
    ready["shard"] = json!(shard);
    let mut frames = vec![Outgoing::Frame(state.frame(connection, "READY", ready))];
    for guild in guilds {
        let create = state.frame(connection, "GUILD_CREATE", guild_json_of(guild));
        frames.push(Outgoing::Frame(create));
    }
    frames
}

/// A RESUME of `session` makes the connection that session's shard again.
pub(super) fn resumed(state: &mut State, connection: u64, session: &str) {
    let shard = state.sharding.sessions.get(session).copied();
    if let Some(c) = state.connection_mut(connection) {
        c.shard = shard;
    }
}

/// The server a dispatch concerns: its `guild_id`, or `id` for the
/// GUILD_CREATE/UPDATE/DELETE family; 0 for none (DMs), which Discord
/// sends on shard 0.
pub(super) fn guild_of(event_name: &str, data: &Value) -> u64 {
    let own = matches!(event_name, "GUILD_CREATE" | "GUILD_UPDATE" | "GUILD_DELETE");
    id_of(&data["guild_id"])
        .or_else(|| own.then(|| id_of(&data["id"])).flatten())
        .unwrap_or(0)
}

impl State {
    /// The connection server `guild`'s dispatches go to, if it is live: the
    /// newest that either belongs to the shard owning `guild` or has not
    /// identified yet. With one unsharded client that is simply the newest
    /// connection; and a client reconnecting (not yet identified or resumed)
    /// is waited for rather than passed over for an older, dying connection.
    pub(super) fn route(&self, guild: u64) -> Option<u64> {
        let owns = |c: &&super::Connection| c.shard.is_none_or(|[id, total]| shard_of(guild, total) == id);
        let newest = self.connections.iter().rev().find(owns)?;
        newest.live.then_some(newest.id)
    }

    /// The live connection of each shard of `total`, in shard order, once all are.
    fn shards_live(&self, total: u32) -> Option<Vec<u64>> {
        (0..total)
            .map(|id| {
                let newest = self.connections.iter().rev();
                let mut of_shard = newest.filter(|c| c.shard == Some([id, total]));
                of_shard.next().filter(|c| c.live).map(|c| c.id)
            })
            .collect()
    }
}

impl FakeDiscord {
    /// What `GET /gateway/bot` recommends: `shards`, and
    /// `session_start_limit.max_concurrency` (the identify buckets). By
    /// default 1 and 1, as for a small bot.
    pub fn set_sharding(&self, shards: u32, max_concurrency: u32) {
        let mut state = self.inner.state();
        state.sharding.shards = shards;
        state.sharding.max_concurrency = max_concurrency;
    }

    /// Turns on Discord's identify limit: an IDENTIFY less than 5 s after the
    /// last accepted one of its bucket (`shard_id % max_concurrency`) is
    /// answered with op 9 (`d: false`) and counted in
    /// [`Self::refused_identifies`]. Off by default, because most tests
    /// restart the bot at once (crash tests) and Discord's limit is not what
    /// they check.
    pub fn enforce_identify_limit(&self) {
        self.inner.state().sharding.enforce_limit = true;
    }

    /// How many IDENTIFYs the identify limit refused.
    pub fn refused_identifies(&self) -> usize {
        let state = self.inner.state();
        state.sharding.log.iter().filter(|i| i.refused).count()
    }

    /// Every IDENTIFY with a valid shard so far, in order, accepted or refused.
    pub fn identify_log(&self) -> Vec<Identify> {
        self.inner.state().sharding.log.clone()
    }

    /// The IDENTIFYs of shard `shard_id` (of any total), accepted or refused.
    pub fn identifies_of_shard(&self, shard_id: u32) -> Vec<Identify> {
        let state = self.inner.state();
        let log = state.sharding.log.iter();
        log.filter(|i| i.shard[0] == shard_id).cloned().collect()
    }

    /// Waits until at least `count` IDENTIFYs (with a valid shard) arrived.
    pub async fn wait_identifies(&self, count: usize, timeout: Duration) -> bool {
        let enough = |state: &State| (state.sharding.log.len() >= count).then_some(());
        self.wait_until(timeout, enough).await.is_some()
    }

    /// `[id, total]` of connection `id`, once it identified or resumed.
    pub fn shard_of_connection(&self, id: u64) -> Option<[u32; 2]> {
        self.inner.state().connection(id).and_then(|c| c.shard)
    }

    /// Waits until every shard of `total` has a live connection (its newest);
    /// their ids in shard order, or `None` after `timeout`.
    pub async fn wait_shards_ready(&self, total: u32, timeout: Duration) -> Option<Vec<u64>> {
        self.wait_until(timeout, |state| state.shards_live(total)).await
    }

    /// The live connection server `guild_id`'s events go to now, if any.
    pub fn connection_of_guild(&self, guild_id: u64) -> Option<u64> {
        self.inner.state().route(guild_id)
    }
}
