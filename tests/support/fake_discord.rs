//! A fake Discord on 127.0.0.1 for end-to-end tests through serenity 0.12.5:
//! REST under `/api/v10` (every call recorded) and the gateway websocket at `/`.
//!
//! The bot reaches it with `HttpBuilder::new(token).proxy(fake.base_url())
//! .ratelimiter_disabled(true)`: serenity ignores the proxy while its own rate
//! limiter is on, and falls back to the real gateway if `GET /gateway` fails,
//! so a misconfigured test would talk to discord.com.
//!
//! Waits are bounded by the caller's timeout; nothing here sleeps.

mod access;
mod checks;
mod dispatch;
mod gateway;
mod interactions;
mod messages;
mod payloads;
mod rest;
mod servers;
mod sessions;
mod shards;
mod threads;
mod world;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};

use checks::check_dispatch;
pub use interactions::*;
pub use payloads::*;
// Each test crate uses some of these, none all.
#[allow(unused_imports)]
pub use servers::{channels_of, guild_json_of, id_in_guild, interaction_in_guild, shard_of};
#[allow(unused_imports)]
pub use shards::{Identify, IDENTIFY_INTERVAL};

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// Without the query string, e.g. "/api/v10/channels/100/messages".
    pub path: String,
    /// The query string without `?`, often empty.
    pub query: String,
    /// The JSON body, or for multipart the parsed `payload_json` part; `Null` if none.
    pub body: Value,
    /// Uploaded files (multipart `files[n]` parts): file name and bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Call {
    /// `method` matches exactly and `path` contains `path_part`.
    pub fn is(&self, method: &str, path_part: &str) -> bool {
        self.method == method && self.path.contains(path_part)
    }
}

/// What the fixture asks a gateway connection's task to do.
enum Outgoing {
    Frame(Value),
    Close(u16),
    /// Drop the TCP connection without a close frame.
    Drop,
}

/// A gateway connection. One serenity client opens one at a time per
/// shard; several processes (or shards) hold several at once.
struct Connection {
    id: u64,
    tx: mpsc::UnboundedSender<Outgoing>,
    /// READY (after IDENTIFY) or RESUMED was sent on it: dispatches may go.
    live: bool,
    /// The session it identified or resumed, whose sequence numbers it uses.
    session: Option<String>,
    /// `[id, total]` once it identified (or resumed a session of that shard).
    shard: Option<[u32; 2]>,
}

struct Failure {
    path_part: String,
    status: u16,
    body: Value,
}

/// An interaction sent to the bot, to answer its token's webhook routes.
struct SentInteraction {
    channel_id: u64,
    message_id: Option<u64>,
}

#[derive(Default)]
struct State {
    calls: Vec<Call>,
    identifies: Vec<Value>,
    resumes: Vec<Value>,
    /// Open connections, oldest first: the newest is the one a single
    /// client is using (an older one is on its way out).
    connections: Vec<Connection>,
    next_connection: u64,
    /// Each session's last sequence number.
    sessions: HashMap<String, u64>,
    replay: Vec<(String, Value)>,
    next_id: u64,
    closed_dms: HashSet<u64>,
    dm_channels: HashMap<u64, u64>,
    failures: Vec<Failure>,
    /// Messages the bot created or that were shown to it, by id.
    messages: HashMap<u64, Value>,
    interactions: HashMap<String, SentInteraction>,
    /// Interaction token → id of its original response message.
    originals: HashMap<String, u64>,
    commands: HashMap<Option<u64>, Value>,
    scheduled_events: HashMap<u64, Value>,
    /// Threads the bot started: id → (the message it was started on, the thread).
    threads: HashMap<u64, (u64, Value)>,
    /// Permission overwrites of channels, by channel id (none by default).
    overwrites: HashMap<u64, Value>,
    /// Interaction id → who waits for its callback (benchmarks).
    callback_waiters: HashMap<String, tokio::sync::oneshot::Sender<()>>,
    /// Servers READY lists as unavailable besides the test server, with no
    /// GUILD_CREATE behind (an outage at Discord).
    unavailable_in_ready: Vec<u64>,
    /// The bot's servers besides `FakeDiscord::GUILD_ID` (servers.rs).
    extra_guilds: Vec<u64>,
    sharding: shards::Sharding,
}

impl State {
    /// Ids the fake hands out; far above the small ids tests choose.
    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        1_000_000_000_000 + self.next_id
    }

    /// The next dispatch frame of connection `id`'s session.
    fn frame(&mut self, id: u64, event: &str, data: Value) -> Value {
        let session = self.connection(id).and_then(|c| c.session.clone());
        let seq = session.and_then(|s| self.sessions.get_mut(&s)).map_or(1, |seq| {
            *seq += 1;
            *seq
        });
        json!({ "op": 0, "s": seq, "t": event, "d": data })
    }

    fn connection(&self, id: u64) -> Option<&Connection> {
        self.connections.iter().find(|c| c.id == id)
    }

    fn connection_mut(&mut self, id: u64) -> Option<&mut Connection> {
        self.connections.iter_mut().find(|c| c.id == id)
    }

    /// The connection a single client is using.
    fn newest(&self) -> Option<&Connection> {
        self.connections.last()
    }

    /// Takes connection `id` out of the open ones (it is being closed).
    fn remove(&mut self, id: u64) -> Option<Connection> {
        let index = self.connections.iter().position(|c| c.id == id)?;
        Some(self.connections.remove(index))
    }
}

struct Inner {
    state: Mutex<State>,
    /// Bumped on every state change, so waits wake without polling.
    changed: watch::Sender<u64>,
    ws_url: String,
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|generation| *generation += 1);
    }
}

pub struct FakeDiscord {
    inner: Arc<Inner>,
    port: u16,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
        for connection in self.inner.state().connections.drain(..) {
            let _ = connection.tx.send(Outgoing::Drop);
        }
    }
}

/// How long `dispatch` waits for a live gateway session before failing the test.
const SESSION_WAIT: Duration = Duration::from_secs(10);

impl FakeDiscord {
    pub const APP_ID: u64 = 4242;
    pub const BOT_ID: u64 = 4242;
    pub const GUILD_ID: u64 = 1;

    /// Serves on 127.0.0.1 with a free port until dropped.
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let inner = Arc::new(Inner {
            state: Mutex::new(State::default()),
            changed: watch::channel(0).0,
            ws_url: format!("ws://127.0.0.1:{port}"),
        });
        let app = axum::Router::new()
            .route("/", axum::routing::get(gateway::upgrade))
            .fallback(rest::handle)
            .layer(axum::extract::DefaultBodyLimit::max(32 << 20))
            .with_state(inner.clone());
        let server = tokio::spawn(async move {
            // Discord answers at once; without TCP_NODELAY, Nagle's algorithm
            // holds small gateway frames and REST answers back for tens of
            // milliseconds, which the benchmarks would charge to the bot.
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord { inner, port, server }
    }

    /// "http://127.0.0.1:PORT", the bot's DISCORD_PROXY.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// "ws://127.0.0.1:PORT", what `GET /gateway` answers.
    pub fn ws_url(&self) -> String {
        self.inner.ws_url.clone()
    }

    /// Every REST call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.inner.state().calls.clone()
    }

    /// How many REST calls so far: a mark for [`Self::wait_for_call_after`].
    pub fn call_count(&self) -> usize {
        self.inner.state().calls.len()
    }

    /// The first call, over the whole history, that matches. The history
    /// rather than "calls after the wait began", because the bot may answer
    /// before the test starts waiting; make predicates specific (interaction
    /// ids are unique) or take a mark with [`Self::call_count`].
    pub async fn wait_for_call(&self, what: impl Fn(&Call) -> bool, timeout: Duration) -> Option<Call> {
        self.wait_for_call_after(0, what, timeout)
            .await
            .map(|(_, call)| call)
    }

    /// The first matching call at index `index` or later, with its index
    /// (pass `index + 1` to find the next one).
    pub async fn wait_for_call_after(
        &self,
        index: usize,
        what: impl Fn(&Call) -> bool,
        timeout: Duration,
    ) -> Option<(usize, Call)> {
        self.wait_until(timeout, |state| {
            state
                .calls
                .iter()
                .enumerate()
                .skip(index)
                .find(|(_, call)| what(call))
                .map(|(i, c)| (i, c.clone()))
        })
        .await
    }

    /// Resolves when the bot's callback for interaction `id` arrives. Ask
    /// before sending the interaction. Unlike [`Self::wait_for_call`], which
    /// rescans the history on every change, this costs nothing per other
    /// call: benchmarks send thousands of interactions.
    pub fn callback_arrival(&self, id: &str) -> tokio::sync::oneshot::Receiver<()> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.inner.state().callback_waiters.insert(id.to_owned(), tx);
        rx
    }

    /// True once the current gateway connection is live: it got IDENTIFY and
    /// was sent READY + GUILD_CREATE, or got RESUME and was sent RESUMED.
    /// After [`Self::close_gateway`] it waits for the client to come back.
    pub async fn wait_ready(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |state| state.newest().filter(|c| c.live).map(|_| ()))
            .await
            .is_some()
    }

    /// IDENTIFYs received, including any the identify limit refused.
    pub fn identify_count(&self) -> usize {
        self.inner.state().identifies.len()
    }

    pub fn resume_count(&self) -> usize {
        self.inner.state().resumes.len()
    }

    /// The `d` of every IDENTIFY so far (token, intents, shard, properties…),
    /// refused ones included; [`Self::identify_log`] says which shard and when.
    pub fn identifies(&self) -> Vec<Value> {
        self.inner.state().identifies.clone()
    }

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&State) -> Option<T>,
    ) -> Option<T> {
        // Subscribing before each check means no change between the check and
        // the wait can be missed.
        let mut changes = self.inner.changed.subscribe();
        tokio::time::timeout(timeout, async {
            loop {
                if let Some(found) = check(&self.inner.state()) {
                    return found;
                }
                // The sender lives in `self`, so this only returns on a change.
                let _ = changes.changed().await;
            }
        })
        .await
        .ok()
    }
}

/// A snowflake sent as a string or a number.
fn id_of(value: &Value) -> Option<u64> {
    match value {
        Value::String(s) => s.parse().ok(),
        other => other.as_u64(),
    }
}
