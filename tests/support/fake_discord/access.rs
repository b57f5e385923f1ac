//! What the bot may do, as Discord's REST answers it: the roles, the bot's
//! member and each channel's overwrites, with permissions as decimal strings
//! (the raw JSON serenity's types would truncate).

use serde_json::{json, Value};

use super::{id_in_guild, role_json, user_json, FakeDiscord, State};

/// What the README's invite link grants (Pin Messages and Create Events included).
pub const INVITE_PERMISSIONS: u64 = 2_269_701_237_492_736;
/// The role Discord gives the bot when it joins with the invite's
/// permissions (in the default server; see `id_in_guild` for the others).
const BOT_ROLE: u64 = 4_300;

/// The bot's role in server `guild_id`, complete enough for serenity's `Role`.
pub(super) fn bot_role(guild_id: u64) -> Value {
    let mut role = role_json(
        id_in_guild(guild_id, BOT_ROLE),
        "Rencontre",
        INVITE_PERMISSIONS,
        1,
    );
    role["managed"] = json!(true);
    role
}

pub(super) fn member(guild_id: u64, id: &str) -> Value {
    let id = id.parse().unwrap_or(FakeDiscord::BOT_ID);
    json!({
        "user": user_json(id, "Rencontre", true),
        "roles": [id_in_guild(guild_id, BOT_ROLE).to_string()],
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
    let guild_id = id
        .parse()
        .map_or(FakeDiscord::GUILD_ID, |id| state.guild_of_channel(id));
    json!({
        "id": id,
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": format!("salon-{id}"),
        "permission_overwrites": overwrites,
    })
}
