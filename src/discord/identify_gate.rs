//! IDENTIFY turns across processes. Discord accepts one IDENTIFY per bucket
//! (`shard_id % max_concurrency`) every 5 s and invalidates the sessions
//! that break the rule; serenity 0.12.5 spaces the shards of one process
//! but knows nothing of other processes, and offers no hook before an
//! IDENTIFY. So its shards connect to this relay on loopback instead of to
//! Discord: the relay opens the real gateway connection and passes every
//! frame both ways untouched, except that it holds a shard's IDENTIFY until
//! the database gives that shard's bucket a turn
//! ([`store::gateway::take_identify_turn`]). Every fresh IDENTIFY goes
//! through it, reconnections included; resumes go to the resume address
//! Discord gives and need no turn.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;

use crate::metrics;
use crate::store::{self, Db};

/// Where the gate sends its shards, and how it grants turns.
struct Gate {
    /// Discord's gateway address (`GET /gateway/bot`), without path.
    upstream: String,
    pool: Db,
    max_concurrency: u32,
}

/// Starts the relay on a free loopback port; the address to give serenity
/// as its gateway (`ws://127.0.0.1:PORT`).
pub async fn start(upstream: String, pool: Db, max_concurrency: u32) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("ws://{}", listener.local_addr()?);
    let gate = Arc::new(Gate {
        upstream: upstream.trim_end_matches('/').to_owned(),
        pool,
        max_concurrency: max_concurrency.max(1),
    });
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let gate = gate.clone();
                    tokio::spawn(async move {
                        if let Err(error) = relay(&gate, stream).await {
                            tracing::warn!(error = %error, "gateway relay connection ended");
                        }
                    });
                }
                Err(error) => {
                    tracing::warn!(error = %error, "gateway relay could not accept");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    });
    Ok(address)
}

/// One shard's connection: serenity on one side, Discord on the other.
async fn relay(gate: &Arc<Gate>, stream: TcpStream) -> anyhow::Result<()> {
    let _ = stream.set_nodelay(true);
    let mut path = String::from("/");
    // The callback's error type is tungstenite's (an HTTP response), not ours.
    #[allow(clippy::result_large_err)]
    let remember_path = |request: &Request, response: Response| {
        if let Some(asked) = request.uri().path_and_query() {
            path = asked.to_string();
        }
        Ok(response)
    };
    let shard_side = tokio_tungstenite::accept_hdr_async(stream, remember_path).await?;
    let url = format!("{}{}", gate.upstream, path);
    let (discord_side, _) = tokio_tungstenite::connect_async(url.as_str()).await?;
    let (mut to_shard, mut from_shard) = shard_side.split();
    let (mut to_discord, mut from_discord) = discord_side.split();

    // Everything for Discord goes through one queue, so that a held
    // IDENTIFY does not hold the heartbeats behind it.
    let (queue, mut queued) = mpsc::unbounded_channel::<Message>();
    let writer = async move {
        while let Some(message) = queued.recv().await {
            let closing = matches!(message, Message::Close(_));
            to_discord.send(message).await?;
            if closing {
                break;
            }
        }
        anyhow::Ok(())
    };
    let reader = async {
        // While an IDENTIFY waits for its turn, heartbeats still go (Discord
        // allows them before IDENTIFY) and anything else waits behind it.
        let mut held: Vec<Message> = Vec::new();
        let mut turn = std::pin::pin!(futures_util::future::Fuse::terminated());
        loop {
            tokio::select! {
                message = from_shard.next() => {
                    let Some(message) = message else { break };
                    let message = message?;
                    let identify = match &message {
                        Message::Text(text) => identify_shard(text),
                        // Pings are answered by each side's own websocket.
                        Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
                        Message::Binary(_) | Message::Close(_) => None,
                    };
                    if let Some(shard) = identify {
                        let gate = gate.clone();
                        turn.set(futures_util::FutureExt::fuse(async move { gate.wait_turn(shard).await }));
                        held.push(message);
                    } else if !held.is_empty() && !is_heartbeat(&message) {
                        held.push(message);
                    } else {
                        let _ = queue.send(message);
                    }
                }
                () = &mut turn => {
                    for message in held.drain(..) {
                        let _ = queue.send(message);
                    }
                }
            }
        }
        anyhow::Ok(())
    };
    let back = async {
        while let Some(message) = from_discord.next().await {
            let message = message?;
            if matches!(message, Message::Ping(_) | Message::Pong(_) | Message::Frame(_)) {
                continue;
            }
            let closing = matches!(message, Message::Close(_));
            to_shard.send(message).await?;
            if closing {
                break;
            }
        }
        anyhow::Ok(())
    };
    // Whichever side ends first ends the connection: serenity reconnects.
    tokio::select! {
        ended = writer => ended,
        ended = reader => ended,
        ended = back => ended,
    }
}

/// A heartbeat (op 1); only asked while an IDENTIFY is held.
fn is_heartbeat(message: &Message) -> bool {
    match message {
        Message::Text(text) => serde_json::from_str::<Value>(text).is_ok_and(|v| v["op"] == 1),
        _ => false,
    }
}

/// The shard an IDENTIFY (op 2) names (`d.shard[0]`; 0 when unsharded);
/// `None` for any other frame.
fn identify_shard(text: &str) -> Option<u32> {
    // Only IDENTIFYs are parsed: the other frames a shard sends are
    // heartbeats, resumes and presence updates.
    if !text.contains("\"op\":2") && !text.contains("\"op\": 2") {
        return None;
    }
    let payload: Value = serde_json::from_str(text).ok()?;
    (payload["op"].as_u64() == Some(2)).then(|| payload["d"]["shard"][0].as_u64().unwrap_or(0) as u32)
}

impl Gate {
    /// Waits until the database gives `shard`'s bucket its turn. A database
    /// that cannot be reached is asked again a moment later: an IDENTIFY
    /// sent without a turn could cost every process its session.
    async fn wait_turn(&self, shard: u32) {
        let bucket = shard % self.max_concurrency;
        let started = Instant::now();
        let mut waited = false;
        loop {
            match store::gateway::take_identify_turn(&self.pool, bucket).await {
                Ok(None) => break,
                Ok(Some(wait)) => {
                    waited = true;
                    tokio::time::sleep(wait).await;
                }
                Err(error) => {
                    tracing::warn!(error = ?error, shard, "could not take an IDENTIFY turn; asking again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        if waited {
            metrics::inc(&metrics::IDENTIFY_WAITS);
            metrics::add(&metrics::IDENTIFY_WAIT_MS, started.elapsed().as_millis() as u64);
            tracing::info!(shard, bucket, waited = ?started.elapsed(), "IDENTIFY waited for its turn");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::identify_shard;

    #[test]
    fn only_identifies_name_a_shard() {
        let identify = r#"{"op":2,"d":{"token":"x","shard":[3,4],"intents":1}}"#;
        assert_eq!(identify_shard(identify), Some(3));
        assert_eq!(identify_shard(r#"{"op":2,"d":{"token":"x"}}"#), Some(0));
        assert_eq!(identify_shard(r#"{"op":1,"d":42}"#), None);
        assert_eq!(identify_shard(r#"{"op":6,"d":{"session_id":"s","seq":2}}"#), None);
        assert_eq!(identify_shard("not json, \"op\":2"), None);
    }
}
