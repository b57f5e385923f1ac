//! The gateway websocket: HELLO, IDENTIFY → READY + GUILD_CREATE (for the
//! identified shard's servers, shards.rs), heartbeats, RESUME → RESUMED, and
//! closes on demand. JSON text frames, no compression
//! (serenity reads text frames as plain JSON even though it asks for `compress`).

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::{shards, Connection, Inner, Outgoing};

/// Discord's usual interval; serenity heartbeats well within any test.
const HEARTBEAT_INTERVAL_MS: u64 = 41_250;

/// `GET /?v=10` (serenity appends `?v=10` to the url `GET /gateway` gave it).
pub(super) async fn upgrade(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve(inner, socket))
}

async fn serve(inner: Arc<Inner>, mut socket: WebSocket) {
    let (tx, mut orders) = mpsc::unbounded_channel();
    let id = {
        let mut state = inner.state();
        state.next_connection += 1;
        let id = state.next_connection;
        state.connections.push(Connection {
            id,
            tx: tx.clone(),
            live: false,
            session: None,
            shard: None,
        });
        id
    };
    let hello = json!({ "op": 10, "d": { "heartbeat_interval": HEARTBEAT_INTERVAL_MS } });
    if send(&mut socket, &hello).await {
        loop {
            tokio::select! {
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Text(text))) => {
                        let Ok(payload) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                        if !on_payload(&inner, id, &tx, payload) {
                            break;
                        }
                    }
                    // A close from the client is answered by the websocket
                    // layer on the next read, which then ends the stream.
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                },
                order = orders.recv() => match order {
                    Some(Outgoing::Frame(frame)) => {
                        let ready = frame["t"] == "READY" || frame["t"] == "RESUMED";
                        if !send(&mut socket, &frame).await {
                            break;
                        }
                        if ready {
                            mark_live(&inner, id);
                        }
                    }
                    Some(Outgoing::Close(code)) => {
                        let frame = CloseFrame { code, reason: "fake discord closes".into() };
                        let _ = socket.send(Message::Close(Some(frame))).await;
                        break;
                    }
                    Some(Outgoing::Drop) | None => break,
                },
            }
        }
    }
    inner.state().remove(id);
    inner.bump();
}

async fn send(socket: &mut WebSocket, frame: &Value) -> bool {
    socket.send(Message::Text(frame.to_string().into())).await.is_ok()
}

/// Marks the connection live once READY (GUILD_CREATE is queued right behind
/// it, so a test's dispatch cannot overtake it) or RESUMED is on the wire.
fn mark_live(inner: &Inner, id: u64) {
    if let Some(connection) = inner.state().connection_mut(id) {
        connection.live = true;
    }
    inner.bump();
}

/// Handles one client payload; false to end the connection.
fn on_payload(inner: &Inner, id: u64, tx: &mpsc::UnboundedSender<Outgoing>, payload: Value) -> bool {
    let mut state = inner.state();
    // Frames are queued on this connection's own channel under the state lock,
    // so their sequence numbers are in wire order with the tests' dispatches.
    let queue = |frame: Value| tx.send(Outgoing::Frame(frame)).is_ok();
    let ok = match payload["op"].as_u64() {
        Some(1) => queue(json!({ "op": 11 })),
        Some(2) => {
            let orders = shards::identify(&mut state, &inner.ws_url, id, &payload["d"]);
            orders.into_iter().all(|order| tx.send(order).is_ok())
        }
        Some(6) => {
            state.resumes.push(payload["d"].clone());
            let known = payload["d"]["session_id"]
                .as_str()
                .filter(|s| state.sessions.contains_key(*s))
                .map(str::to_owned);
            if let Some(session) = known {
                shards::resumed(&mut state, id, &session);
                if let Some(connection) = state.connection_mut(id) {
                    connection.session = Some(session);
                }
                let replay = std::mem::take(&mut state.replay);
                let frames: Vec<Value> = replay.into_iter().map(|(t, d)| state.frame(id, &t, d)).collect();
                let resumed = state.frame(id, "RESUMED", json!({}));
                frames.into_iter().chain([resumed]).all(queue)
            } else {
                // What Discord answers a stale session: not resumable, identify again.
                queue(json!({ "op": 9, "d": false, "s": null, "t": null }))
            }
        }
        _ => true,
    };
    drop(state);
    inner.bump();
    ok
}
