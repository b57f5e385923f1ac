//! Threads: started from a message, members added, archived by a channel
//! edit. Posting in a thread is posting in a channel (`rest.rs`). Every
//! call is recorded like the others, so tests assert on them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::{FakeDiscord, State};

/// Answers the thread routes; `None` for any other route.
pub(super) fn answer(state: &mut State, method: &str, segments: &[&str], body: &Value) -> Option<Response> {
    match (method, segments) {
        ("POST", ["channels", parent, "messages", message, "threads"]) => {
            let id = state.fresh_id();
            let guild_id = parent
                .parse()
                .map_or(FakeDiscord::GUILD_ID, |p| state.guild_of_channel(p));
            let thread = json!({
                "id": id.to_string(),
                "guild_id": guild_id.to_string(),
                "parent_id": parent,
                "owner_id": FakeDiscord::BOT_ID.to_string(),
                "type": 11,
                "name": body["name"],
                "last_message_id": null,
                "rate_limit_per_user": 0,
                "message_count": 0,
                "member_count": 1,
                "flags": 0,
                "thread_metadata": {
                    "archived": false,
                    "auto_archive_duration": body["auto_archive_duration"].as_u64().unwrap_or(1440),
                    "archive_timestamp": chrono::Utc::now().to_rfc3339(),
                    "locked": false,
                },
                "total_message_sent": 0,
            });
            state
                .threads
                .insert(id, (message.parse().unwrap_or_default(), thread.clone()));
            Some((StatusCode::OK, axum::Json(thread)).into_response())
        }
        ("PUT", ["channels", thread, "thread-members", _]) => {
            let known = thread
                .parse()
                .is_ok_and(|id: u64| state.threads.contains_key(&id));
            Some(if known {
                StatusCode::NO_CONTENT.into_response()
            } else {
                (
                    StatusCode::NOT_FOUND,
                    axum::Json(json!({ "code": 10003, "message": "Unknown Channel" })),
                )
                    .into_response()
            })
        }
        ("PATCH", ["channels", thread]) => {
            let id: u64 = thread.parse().ok()?;
            let (_, channel) = state.threads.get_mut(&id)?;
            for key in ["archived", "locked", "auto_archive_duration"] {
                if let Some(value) = body.get(key) {
                    channel["thread_metadata"][key] = value.clone();
                }
            }
            if let Some(name) = body.get("name") {
                channel["name"] = name.clone();
            }
            Some((StatusCode::OK, axum::Json(channel.clone())).into_response())
        }
        _ => None,
    }
}
