//! JSON payloads shaped the way serenity 0.12.5 deserializes them.
//!
//! serenity silently turns a dispatch it cannot parse into `Event::Unknown`
//! and drops it, so every builder here is checked against serenity's own
//! types in `tests/discord/fake_discord_smoke/`. Ids are sent as strings and
//! permissions as decimal strings, as Discord does.

use serde_json::{json, Value};

use super::FakeDiscord;

/// Channels of the fake guild: (id, name).
pub const CHANNELS: [(u64, &str); 4] = [
    (100, "general"),
    (101, "agenda"),
    (102, "presentations"),
    (103, "annonces"),
];
/// The organizers' role of the fake guild (besides @everyone, whose id is the
/// guild's): Manage Events for the whole server.
pub const ROLE_ORGANIZERS: u64 = 10;
/// The admins' role: Administrator.
pub const ROLE_ADMINS: u64 = 11;
/// A role with Create Events only.
pub const ROLE_EVENT_MAKERS: u64 = 12;
/// Another server the bot is in, with its own channel and role.
pub const OTHER_GUILD_ID: u64 = 2;
pub const OTHER_CHANNEL: u64 = 200;
pub const OTHER_ROLE: u64 = 20;

/// What a plain member may do: view channels, send messages, read history,
/// use application commands.
pub const MEMBER_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31);
/// Permissions Discord reports for the bot in a channel (`app_permissions`):
/// the member ones plus manage messages, embed links, attach files,
/// mention everyone, manage and create events.
pub const BOT_PERMISSIONS: u64 =
    MEMBER_PERMISSIONS | (1 << 13) | (1 << 14) | (1 << 15) | (1 << 17) | (1 << 33) | (1 << 44);

/// Fixed so that payloads are reproducible; serenity only needs a valid timestamp.
const JOINED_AT: &str = "2026-01-10T18:30:00+00:00";

/// A guild member as a test describes it; `permissions` is the bitfield Discord
/// computed for the channel (e.g. `1 << 33` Manage Events, `1 << 5` Manage
/// Guild, `1 << 3` Administrator).
#[derive(Debug, Clone)]
pub struct Member {
    pub id: u64,
    pub name: String,
    pub roles: Vec<u64>,
    pub permissions: u64,
    pub locale: String,
}

impl Member {
    /// A plain French-speaking member without roles.
    pub fn new(id: u64, name: &str) -> Member {
        Member {
            id,
            name: name.to_owned(),
            roles: vec![],
            permissions: MEMBER_PERMISSIONS,
            locale: "fr".into(),
        }
    }

    /// The `user` object.
    pub fn user_json(&self) -> Value {
        user_json(self.id, &self.name, false)
    }

    /// A full guild member (as in `interaction.member`): serenity requires
    /// `user, roles, deaf, mute, flags`.
    pub fn member_json(&self) -> Value {
        let mut member = self.partial_member_json();
        member["user"] = self.user_json();
        member
    }

    /// A member without `user`, as in `resolved.members`.
    pub fn partial_member_json(&self) -> Value {
        json!({
            "roles": self.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "nick": null,
            "avatar": null,
            "joined_at": JOINED_AT,
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "permissions": self.permissions.to_string(),
            "communication_disabled_until": null,
        })
    }
}

/// A user object; `global_name` carries the display name.
pub fn user_json(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "global_name": if bot { Value::Null } else { json!(name) },
        "discriminator": "0",
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
    })
}

/// The bot's own user (`GET /users/@me`, message authors).
pub fn bot_user_json() -> Value {
    json!({
        "id": FakeDiscord::BOT_ID.to_string(),
        "username": "Rencontre",
        "global_name": null,
        "discriminator": "0000",
        "avatar": null,
        "bot": true,
        "verified": true,
        "mfa_enabled": false,
        "flags": 0,
    })
}

/// A role; serenity 0.12.5 requires the `colors` object besides `color`, or
/// the whole event carrying it is dropped.
pub fn role_json(id: u64, name: &str, permissions: u64, position: u16) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": true,
        "flags": 0,
    })
}

/// The channel object embedded in interactions (`PartialChannel`).
pub fn partial_channel_json(id: u64) -> Value {
    let name = CHANNELS
        .iter()
        .find(|(c, _)| *c == id)
        .map_or("salon", |(_, n)| n);
    json!({
        "id": id.to_string(),
        "name": name,
        "type": 0,
        "guild_id": FakeDiscord::GUILD_ID.to_string(),
        "permissions": BOT_PERMISSIONS.to_string(),
    })
}

/// The full guild sent in GUILD_CREATE: roles @everyone and "bureau", the
/// four text channels of [`CHANNELS`], no members (no privileged intent).
pub fn guild_json() -> Value {
    let guild_id = FakeDiscord::GUILD_ID.to_string();
    let channels: Vec<Value> = CHANNELS
        .iter()
        .enumerate()
        .map(|(position, (id, name))| channel_json(*id, FakeDiscord::GUILD_ID, name, position))
        .collect();
    json!({
        "id": guild_id,
        "name": "Association Rencontre",
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "2",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [
            role_json(FakeDiscord::GUILD_ID, "@everyone", MEMBER_PERMISSIONS, 0),
            role_json(ROLE_ORGANIZERS, "bureau", MEMBER_PERMISSIONS | (1 << 33), 1),
            role_json(ROLE_ADMINS, "admins", MEMBER_PERMISSIONS | (1 << 3), 2),
            role_json(ROLE_EVENT_MAKERS, "animateurs", MEMBER_PERMISSIONS | (1 << 44), 3),
        ],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": "100",
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "fr",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "joined_at": JOINED_AT,
        "large": false,
        "unavailable": false,
        "member_count": 3,
        "voice_states": [],
        "members": [],
        "channels": channels,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    })
}

/// A text channel as in GUILD_CREATE or `GET /channels/{id}`.
pub fn channel_json(id: u64, guild_id: u64, name: &str, position: usize) -> Value {
    json!({
        "id": id.to_string(),
        "guild_id": guild_id.to_string(),
        "type": 0,
        "name": name,
        "position": position,
        "parent_id": null,
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "permission_overwrites": [],
        "flags": 0,
    })
}

/// The other server's GUILD_CREATE: its own @everyone, role and channel.
pub fn other_guild_json() -> Value {
    let mut guild = guild_json();
    guild["id"] = json!(OTHER_GUILD_ID.to_string());
    guild["name"] = json!("Club d'ailleurs");
    guild["owner_id"] = json!("3");
    guild["system_channel_id"] = json!(OTHER_CHANNEL.to_string());
    guild["roles"] = json!([
        role_json(OTHER_GUILD_ID, "@everyone", MEMBER_PERMISSIONS, 0),
        role_json(OTHER_ROLE, "tous", MEMBER_PERMISSIONS, 1),
    ]);
    guild["channels"] = json!([channel_json(OTHER_CHANNEL, OTHER_GUILD_ID, "ailleurs", 0)]);
    guild
}

/// The READY dispatch's `d`.
pub fn ready_json(session_id: &str, ws_url: &str) -> Value {
    json!({
        "v": 10,
        "user": bot_user_json(),
        "guilds": [{ "id": FakeDiscord::GUILD_ID.to_string(), "unavailable": true }],
        "session_id": session_id,
        "resume_gateway_url": ws_url,
        "shard": [0, 1],
        "application": { "id": FakeDiscord::APP_ID.to_string(), "flags": 0 },
    })
}

/// A message the bot posted, as Discord returns it.
pub fn message_json(id: u64, channel_id: u64, content: &str, components: Value) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": bot_user_json(),
        "content": content,
        "timestamp": JOINED_AT,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "application_id": FakeDiscord::APP_ID.to_string(),
        "components": if components.is_null() { json!([]) } else { components },
    })
}
