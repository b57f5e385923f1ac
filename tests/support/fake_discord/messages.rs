//! Messages and scheduled events the bot creates, edits and deletes over
//! REST, kept as Discord would return them.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use serde_json::{json, Value};

use super::rest::{ok, unknown_message, unknown_route};
use super::{id_of, message_json, FakeDiscord, Inner, State as Fake};

pub(super) fn create_message(
    inner: &Inner,
    state: &mut Fake,
    channel_id: u64,
    body: &Value,
    files: &[(String, Vec<u8>)],
) -> Value {
    let id = state.fresh_id();
    let mut message = message_json(id, channel_id, "", Value::Null);
    message["timestamp"] = json!(chrono::Utc::now().to_rfc3339());
    edit_message(inner, state, &mut message, body, files);
    message["edited_timestamp"] = Value::Null;
    state.messages.insert(id, message.clone());
    message
}

/// GET, PATCH or DELETE a message the fake knows; 404 "Unknown Message"
/// otherwise, as Discord answers for a deleted or never-created one.
pub(super) fn message_route(
    inner: &Inner,
    state: &mut Fake,
    method: &str,
    id: u64,
    body: &Value,
    files: &[(String, Vec<u8>)],
) -> Response {
    let Some(mut message) = state.messages.remove(&id) else {
        return unknown_message();
    };
    let response = match method {
        "GET" => ok(message.clone()),
        "PATCH" => {
            edit_message(inner, state, &mut message, body, files);
            ok(message.clone())
        }
        "DELETE" => {
            return StatusCode::NO_CONTENT.into_response();
        }
        _ => unknown_route(),
    };
    state.messages.insert(id, message);
    response
}

/// Applies what a create or edit body sets. `attachments` in the body lists
/// the existing attachments to keep (by id) and the new uploads; each
/// uploaded file becomes a new attachment.
pub(super) fn edit_message(
    inner: &Inner,
    state: &mut Fake,
    message: &mut Value,
    body: &Value,
    files: &[(String, Vec<u8>)],
) {
    for key in ["content", "embeds", "components", "flags"] {
        if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
            message[key] = value.clone();
        }
    }
    if body.get("attachments").is_some() || !files.is_empty() {
        let keep: Vec<u64> = body["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| id_of(&a["id"]))
            .collect();
        let mut attachments: Vec<Value> = message["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| {
                body.get("attachments").is_none() || id_of(&a["id"]).is_some_and(|id| keep.contains(&id))
            })
            .cloned()
            .collect();
        for (file_name, bytes) in files {
            let id = state.fresh_id();
            let url = format!(
                "{}/attachments/{id}/{file_name}",
                inner.ws_url.replacen("ws://", "http://", 1)
            );
            attachments.push(json!({
                "id": id.to_string(),
                "filename": file_name,
                "size": bytes.len(),
                "url": url,
                "proxy_url": url,
            }));
        }
        message["attachments"] = Value::Array(attachments);
    }
    message["edited_timestamp"] = json!(chrono::Utc::now().to_rfc3339());
}

pub(super) fn create_scheduled_event(state: &mut Fake, guild_id: u64, body: &Value) -> Value {
    let id = state.fresh_id();
    let mut event = json!({
        "channel_id": null,
        "description": null,
        "scheduled_end_time": null,
        "privacy_level": 2,
        "entity_type": 3,
        "entity_id": null,
        "entity_metadata": null,
        "user_count": 0,
        "image": null,
    });
    merge(&mut event, body);
    event["id"] = json!(id.to_string());
    event["guild_id"] = json!(guild_id.to_string());
    event["creator_id"] = json!(FakeDiscord::BOT_ID.to_string());
    event["status"] = body.get("status").cloned().unwrap_or(json!(1));
    state.scheduled_events.insert(id, event.clone());
    event
}

/// Shallow merge of `patch`'s fields into `target`.
pub(super) fn merge(target: &mut Value, patch: &Value) {
    if let (Some(target), Some(patch)) = (target.as_object_mut(), patch.as_object()) {
        for (key, value) in patch {
            target.insert(key.clone(), value.clone());
        }
    }
}
