//! What the bot may do, as Discord's REST answers it: the roles, the bot's
//! member and each channel's overwrites, with permissions as decimal strings
//! (the raw JSON serenity's types would truncate).

use serde_json::{json, Value};

use super::{user_json, FakeDiscord, State};

/// What the README's invite link grants (Pin Messages and Create Events included).
pub const INVITE_PERMISSIONS: u64 = 2_269_701_237_492_736;
/// The role Discord gives the bot when it joins with the invite's permissions.
const BOT_ROLE: u64 = 4_300;

pub(super) fn roles() -> Value {
    json!([
        { "id": FakeDiscord::GUILD_ID.to_string(), "name": "@everyone", "permissions": "0", "position": 0 },
        { "id": BOT_ROLE.to_string(), "name": "Rencontre", "permissions": INVITE_PERMISSIONS.to_string(), "position": 1, "managed": true },
    ])
}

pub(super) fn member(id: &str) -> Value {
    let id = id.parse().unwrap_or(FakeDiscord::BOT_ID);
    json!({
        "user": user_json(id, "Rencontre", true),
        "roles": [BOT_ROLE.to_string()],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "deaf": false,
        "mute": false,
        "flags": 0,
    })
}

pub(super) fn channel(state: &State, id: &str) -> Value {
    let overwrites = id
        .parse::<u64>()
        .ok()
        .and_then(|id| state.overwrites.get(&id).cloned())
        .unwrap_or_else(|| json!([]));
    json!({
        "id": id,
        "type": 0,
        "guild_id": FakeDiscord::GUILD_ID.to_string(),
        "name": format!("salon-{id}"),
        "permission_overwrites": overwrites,
    })
}
