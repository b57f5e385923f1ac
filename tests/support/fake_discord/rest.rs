//! REST under `/api/v10`: every request is recorded, then answered with JSON
//! serenity can deserialize. The fake remembers the messages, commands and
//! scheduled events the bot created, so edits answer what Discord would.

use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header::CONTENT_TYPE, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::messages::{create_message, create_scheduled_event, edit_message, merge, message_route};
use super::{
    access, bot_user_json, channel_json, guild_json_of, id_of, other_guild_json, user_json, Call,
    FakeDiscord, Inner, State as Fake, CHANNELS, OTHER_CHANNEL, OTHER_GUILD_ID,
};

/// DM channel ids are this plus the recipient's id.
const DM_CHANNEL_BASE: u64 = 900_000;

pub(super) async fn handle(State(inner): State<Arc<Inner>>, request: Request) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let (body, files) = read_body(request).await;
    let call = Call {
        method,
        path,
        query,
        body,
        files,
    };
    let response = {
        let mut state = inner.state();
        state.calls.push(call.clone());
        answer(&inner, &mut state, &call)
    };
    inner.bump();
    response
}

/// The JSON body, or the `payload_json` part and the files of a multipart form.
async fn read_body(request: Request) -> (Value, Vec<(String, Vec<u8>)>) {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        return (serde_json::from_slice(&bytes).unwrap_or(Value::Null), vec![]);
    }
    let (mut body, mut files) = (Value::Null, vec![]);
    let Ok(mut form) = Multipart::from_request(request, &()).await else {
        return (body, files);
    };
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let Ok(bytes) = field.bytes().await else { break };
        match file_name {
            _ if name == "payload_json" => body = serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            Some(file_name) => files.push((file_name, bytes.to_vec())),
            None => {}
        }
    }
    (body, files)
}

fn answer(inner: &Inner, state: &mut Fake, call: &Call) -> Response {
    if let Some(i) = state
        .failures
        .iter()
        .position(|f| call.path.contains(&f.path_part))
    {
        let failure = state.failures.remove(i);
        return reply(failure.status, failure.body);
    }
    let Some(route) = call.path.strip_prefix("/api/v10/") else {
        return unknown_route();
    };
    let segments: Vec<&str> = route.split('/').collect();
    let (body, files) = (&call.body, &call.files);
    if let Some(response) = super::threads::answer(state, &call.method, &segments, body) {
        return response;
    }
    match (call.method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({ "url": inner.ws_url })),
        ("GET", ["gateway", "bot"]) => ok(state.sharding.gateway_bot(&inner.ws_url)),
        ("GET", ["users", "@me"]) => ok(bot_user_json()),
        ("GET", ["oauth2", "applications", "@me"]) => ok(application_json()),
        ("PUT", ["applications", _, "commands"]) => ok(put_commands(state, None, body)),
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => {
            ok(put_commands(state, guild.parse().ok(), body))
        }
        ("GET", ["applications", _, "commands"]) => {
            ok(state.commands.get(&None).cloned().unwrap_or(json!([])))
        }
        ("GET", ["applications", _, "guilds", guild, "commands"]) => ok(state
            .commands
            .get(&guild.parse().ok())
            .cloned()
            .unwrap_or(json!([]))),
        ("POST", ["interactions", id, token, "callback"]) => {
            callback(inner, state, token, body, files);
            if let Some(waiter) = state.callback_waiters.remove(*id) {
                let _ = waiter.send(());
            }
            StatusCode::NO_CONTENT.into_response()
        }
        ("POST", ["webhooks", _, token]) => {
            let channel_id = state.interactions.get(*token).map_or(100, |i| i.channel_id);
            ok(create_message(inner, state, channel_id, body, files))
        }
        (method, ["webhooks", _, token, "messages", "@original"]) => match state.originals.get(*token) {
            Some(&id) => message_route(inner, state, method, id, body, files),
            None => unknown_message(),
        },
        (method, ["webhooks", _, _, "messages", id]) | (method, ["channels", _, "messages", id]) => {
            match id.parse() {
                Ok(id) => message_route(inner, state, method, id, body, files),
                Err(_) => unknown_route(),
            }
        }
        ("POST", ["channels", channel, "messages"]) => {
            let Ok(channel_id) = channel.parse::<u64>() else {
                return unknown_route();
            };
            let recipient = state.dm_channels.get(&channel_id);
            if recipient.is_some_and(|user| state.closed_dms.contains(user)) {
                return reply(
                    403,
                    json!({ "code": 50007, "message": "Cannot send messages to this user" }),
                );
            }
            ok(create_message(inner, state, channel_id, body, files))
        }
        // The current pin route, and the deprecated one serenity's `pin_message` calls.
        ("PUT" | "DELETE", ["channels", _, "messages", "pins", _] | ["channels", _, "pins", _]) => {
            StatusCode::NO_CONTENT.into_response()
        }
        ("GET", ["guilds", guild, "members", id]) => {
            ok(access::member(guild.parse().unwrap_or(FakeDiscord::GUILD_ID), id))
        }
        ("GET", ["channels", channel]) => channel_route(state, channel),
        ("GET", ["guilds", guild]) => match guild.parse::<u64>() {
            Ok(guild) if state.guilds().contains(&guild) => ok(guild_json_of(guild)),
            _ => unknown_guild(),
        },
        ("GET", ["guilds", guild, "roles"]) => match guild.parse::<u64>() {
            Ok(guild) if state.guilds().contains(&guild) => {
                // The fixture's roles, and the role Discord gives the bot at its invite.
                let mut roles = guild_json_of(guild)["roles"].clone();
                if let Some(list) = roles.as_array_mut() {
                    list.push(access::bot_role(guild));
                }
                ok(roles)
            }
            Ok(OTHER_GUILD_ID) => ok(other_guild_json()["roles"].clone()),
            _ => unknown_guild(),
        },
        ("POST", ["users", "@me", "channels"]) => match id_of(&body["recipient_id"]) {
            Some(recipient) => {
                let id = DM_CHANNEL_BASE + recipient;
                state.dm_channels.insert(id, recipient);
                ok(json!({
                    "id": id.to_string(),
                    "type": 1,
                    "last_message_id": null,
                    "recipients": [user_json(recipient, &format!("membre{recipient}"), false)],
                }))
            }
            None => reply(400, json!({ "code": 50035, "message": "Invalid Form Body" })),
        },
        ("GET", ["guilds", guild, "scheduled-events"]) => {
            let guild = json!(guild);
            let events = state.scheduled_events.values();
            let mut events: Vec<Value> = events.filter(|e| e["guild_id"] == guild).cloned().collect();
            events.sort_by_key(|e| id_of(&e["id"]));
            ok(Value::Array(events))
        }
        ("POST", ["guilds", guild, "scheduled-events"]) => {
            let guild = guild.parse().unwrap_or(FakeDiscord::GUILD_ID);
            ok(create_scheduled_event(state, guild, body))
        }
        (method, ["guilds", _, "scheduled-events", id]) => {
            let id = id.parse().unwrap_or_default();
            let Some(event) = state.scheduled_events.get_mut(&id) else {
                return reply(
                    404,
                    json!({ "code": 10070, "message": "Unknown Guild Scheduled Event" }),
                );
            };
            match method {
                "GET" => ok(event.clone()),
                "PATCH" => {
                    merge(event, body);
                    ok(event.clone())
                }
                "DELETE" => {
                    state.scheduled_events.remove(&id);
                    StatusCode::NO_CONTENT.into_response()
                }
                _ => unknown_route(),
            }
        }
        _ => unknown_route(),
    }
}

/// `GET /channels/{id}`: the fake guild's channels, the other server's
/// (where a forged form would like to post), 404 for anything else.
fn channel_route(state: &Fake, channel: &str) -> Response {
    let id = channel.parse::<u64>().unwrap_or_default();
    if id == OTHER_CHANNEL || id == OTHER_CHANNEL + 50 {
        return ok(channel_json(id, OTHER_GUILD_ID, "ailleurs", 0));
    }
    if id == 0 {
        return reply(404, json!({ "code": 10003, "message": "Unknown Channel" }));
    }
    // Any other channel is the fixture server's, with the overwrites a test set on it.
    let mut json = match CHANNELS.iter().position(|(c, _)| *c == id) {
        Some(position) => channel_json(id, FakeDiscord::GUILD_ID, CHANNELS[position].1, position),
        None => match state.added_channel(id) {
            Some((guild, name, position)) => channel_json(id, guild, name, position),
            None => access::channel(state, channel),
        },
    };
    json["permission_overwrites"] = access::channel(state, channel)["permission_overwrites"].clone();
    ok(json)
}

pub(super) fn ok(body: Value) -> Response {
    reply(200, body)
}

fn reply(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(body)).into_response()
}

pub(super) fn unknown_route() -> Response {
    reply(404, json!({ "message": "Unknown route", "code": 0 }))
}

fn unknown_guild() -> Response {
    reply(404, json!({ "code": 10004, "message": "Unknown Guild" }))
}

pub(super) fn unknown_message() -> Response {
    reply(404, json!({ "message": "Unknown Message", "code": 10008 }))
}

fn application_json() -> Value {
    json!({
        "id": FakeDiscord::APP_ID.to_string(),
        "name": "Rencontre",
        "icon": null,
        "description": "",
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "owner": user_json(2, "owner", false),
        "team": null,
        "flags": 0,
    })
}

/// Echoes a bulk overwrite with the fields Discord adds.
fn put_commands(state: &mut Fake, guild_id: Option<u64>, body: &Value) -> Value {
    let commands: Vec<Value> = body
        .as_array()
        .into_iter()
        .flatten()
        .map(|command| {
            let mut echoed = json!({
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": null,
                "nsfw": false,
            });
            merge(&mut echoed, command);
            echoed["id"] = json!(state.fresh_id().to_string());
            echoed["application_id"] = json!(FakeDiscord::APP_ID.to_string());
            echoed["version"] = json!("1");
            if let Some(guild) = guild_id {
                echoed["guild_id"] = json!(guild.to_string());
            }
            echoed
        })
        .collect();
    state.commands.insert(guild_id, Value::Array(commands.clone()));
    Value::Array(commands)
}

/// Answers an interaction: 4 and 5 create the original response, 6 and 7
/// make the clicked message the original (7 also edits it); 8, 9 and 10 leave
/// no message.
fn callback(inner: &Inner, state: &mut Fake, token: &str, body: &Value, files: &[(String, Vec<u8>)]) {
    let (channel_id, clicked) = state
        .interactions
        .get(token)
        .map_or((100, None), |i| (i.channel_id, i.message_id));
    let data = if body["data"].is_object() {
        body["data"].clone()
    } else {
        json!({})
    };
    match body["type"].as_u64() {
        Some(4 | 5) => {
            let message = create_message(inner, state, channel_id, &data, files);
            if let Some(id) = id_of(&message["id"]) {
                state.originals.insert(token.to_owned(), id);
            }
        }
        Some(kind @ (6 | 7)) => {
            if let Some(id) = clicked {
                if kind == 7 {
                    if let Some(mut message) = state.messages.remove(&id) {
                        edit_message(inner, state, &mut message, &data, files);
                        state.messages.insert(id, message);
                    }
                }
                state.originals.insert(token.to_owned(), id);
            }
        }
        _ => {}
    }
}
