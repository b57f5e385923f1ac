//! Interactions as Discord sends them to the bot (commands, autocomplete,
//! buttons, forms, context menus), shaped the way serenity 0.12.5
//! deserializes them.

use serde_json::{json, Value};

use super::payloads::*;
use super::FakeDiscord;

/// The token the builders give interaction `id`; callbacks go to
/// `/api/v10/interactions/{id}/{token}/callback`.
pub fn interaction_token(id: u64) -> String {
    format!("tok{id}")
}

/// Fields every guild interaction carries; serenity requires `id,
/// application_id, type, token, version, channel_id, locale, entitlements,
/// attachment_size_limit`. Sent from channel 100 unless moved with [`in_channel`].
fn interaction(id: u64, kind: u8, data: Value, member: &Member) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": FakeDiscord::APP_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": FakeDiscord::GUILD_ID.to_string(),
        "channel_id": "100",
        "channel": partial_channel_json(100),
        "member": member.member_json(),
        "token": interaction_token(id),
        "version": 1,
        "app_permissions": BOT_PERMISSIONS.to_string(),
        "locale": member.locale,
        "guild_locale": "fr",
        "entitlements": [],
        "authorizing_integration_owners": { "0": FakeDiscord::GUILD_ID.to_string() },
        "context": 0,
        "attachment_size_limit": 10_485_760,
    })
}

/// A stable command id per name, so repeated invocations look alike.
fn command_id(name: &str) -> String {
    let hash = name
        .bytes()
        .fold(5381u64, |h, b| h.wrapping_mul(33) ^ u64::from(b));
    (700_000 + hash % 100_000).to_string()
}

/// A chat-input command (type 2, data.type 1). `options` is Discord's
/// `data.options` array; add `data.resolved` with [`with_resolved`] when the
/// options name users, roles or channels.
pub fn slash_command(id: u64, name: &str, options: Value, member: &Member) -> Value {
    let data = json!({
        "id": command_id(name),
        "name": name,
        "type": 1,
        "options": if options.is_null() { json!([]) } else { options },
        "guild_id": FakeDiscord::GUILD_ID.to_string(),
    });
    interaction(id, 2, data, member)
}

/// An autocomplete request (type 4); one option carries `"focused": true`.
pub fn autocomplete(id: u64, name: &str, options: Value, member: &Member) -> Value {
    let mut payload = slash_command(id, name, options, member);
    payload["type"] = json!(4);
    payload
}

/// A button click (type 3, component_type 2) on `message` (a full message,
/// e.g. from [`message_json`]); the interaction comes from the message's channel.
pub fn button(id: u64, custom_id: &str, message: Value, member: &Member) -> Value {
    let channel_id = message["channel_id"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let data = json!({ "custom_id": custom_id, "component_type": 2 });
    let mut payload = interaction(id, 3, data, member);
    payload["message"] = message;
    in_channel(payload, channel_id)
}

/// A modal submission (type 5): one action row per text input.
pub fn modal_submit(id: u64, custom_id: &str, fields: &[(&str, &str)], member: &Member) -> Value {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(field, value)| {
            json!({ "type": 1, "components": [{ "type": 4, "custom_id": field, "value": value }] })
        })
        .collect();
    interaction(
        id,
        5,
        json!({ "custom_id": custom_id, "components": rows }),
        member,
    )
}

/// The "Introduction" user context-menu command (commands/introduction.json)
/// on `target`.
pub fn user_menu(id: u64, target: &Member, member: &Member) -> Value {
    user_command(id, "Introduction", target, member)
}

/// A user context-menu command (type 2, data.type 2) named `name`.
pub fn user_command(id: u64, name: &str, target: &Member, member: &Member) -> Value {
    let data = json!({
        "id": command_id(name),
        "name": name,
        "type": 2,
        "target_id": target.id.to_string(),
        "guild_id": FakeDiscord::GUILD_ID.to_string(),
        "resolved": resolved_members(&[target]),
    });
    interaction(id, 2, data, member)
}

/// `{users, members}` for `data.resolved`.
pub fn resolved_members(members: &[&Member]) -> Value {
    let users: serde_json::Map<String, Value> = members
        .iter()
        .map(|m| (m.id.to_string(), m.user_json()))
        .collect();
    let partials: serde_json::Map<String, Value> = members
        .iter()
        .map(|m| (m.id.to_string(), m.partial_member_json()))
        .collect();
    json!({ "users": users, "members": partials })
}

/// Sets `data.resolved` (users, members, roles, channels maps keyed by id).
pub fn with_resolved(mut interaction: Value, resolved: Value) -> Value {
    interaction["data"]["resolved"] = resolved;
    interaction
}

/// Moves an interaction to another channel of the guild.
pub fn in_channel(mut interaction: Value, channel_id: u64) -> Value {
    interaction["channel_id"] = json!(channel_id.to_string());
    interaction["channel"] = partial_channel_json(channel_id);
    interaction
}
