//! The bot's effective permissions, computed from Discord's raw JSON: serenity
//! parses permissions with `from_bits_truncate` and would lose Pin Messages
//! (bit 51), so roles, overwrites and the bot's member are read as text.

use std::sync::Arc;

use serde_json::Value;
use serenity::all::{ChannelId, GuildId, Http, UserId};
use serenity::http::{LightMethod, Request, Route};

use crate::access::{effective, AccessProbe, BotAccess, Overwrite, ProbeFuture};

pub struct DiscordAccess {
    pub http: Arc<Http>,
}

/// Discord sends ids and permission sets as decimal strings.
fn number(value: &Value) -> Option<u64> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

async fn get(http: &Http, route: Route<'_>) -> anyhow::Result<Value> {
    let response = http.request(Request::new(route, LightMethod::Get)).await?;
    Ok(serde_json::from_slice(&response.bytes().await?)?)
}

fn overwrites(channel: &Value) -> Vec<Overwrite> {
    let Some(list) = channel["permission_overwrites"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|o| {
            Some(Overwrite {
                id: number(&o["id"])?,
                member: o["type"].as_u64() == Some(1),
                allow: number(&o["allow"]).unwrap_or(0),
                deny: number(&o["deny"]).unwrap_or(0),
            })
        })
        .collect()
}

impl DiscordAccess {
    async fn read(&self, guild_id: u64, channels: &[u64]) -> anyhow::Result<BotAccess> {
        let http = &self.http;
        let guild = GuildId::new(guild_id);
        let me = get(http, Route::UserMe).await?;
        let bot_id = number(&me["id"])
            .filter(|id| *id != 0)
            .ok_or_else(|| anyhow::anyhow!("no id in /users/@me"))?;
        let roles: Vec<(u64, u64)> = get(http, Route::GuildRoles { guild_id: guild })
            .await?
            .as_array()
            .map(|roles| {
                roles
                    .iter()
                    .filter_map(|r| Some((number(&r["id"])?, number(&r["permissions"]).unwrap_or(0))))
                    .collect()
            })
            .unwrap_or_default();
        let member = get(
            http,
            Route::GuildMember {
                guild_id: guild,
                user_id: UserId::new(bot_id),
            },
        )
        .await?;
        let bot_roles: Vec<u64> = member["roles"]
            .as_array()
            .map(|r| r.iter().filter_map(number).collect())
            .unwrap_or_default();
        let server = effective(guild_id, bot_id, &roles, &bot_roles, None);
        let mut found = Vec::new();
        for &channel_id in channels {
            let Some(id) = std::num::NonZeroU64::new(channel_id) else {
                found.push((channel_id, None));
                continue;
            };
            let route = Route::Channel {
                channel_id: ChannelId::from(id),
            };
            // A channel the bot cannot see answers 403, a deleted one 404.
            let bits = match get(http, route).await {
                Ok(channel) => {
                    let list = overwrites(&channel);
                    Some(effective(guild_id, bot_id, &roles, &bot_roles, Some(&list)))
                }
                Err(error) => {
                    tracing::info!(channel = channel_id, error = ?error, "setup check: channel unreadable");
                    None
                }
            };
            found.push((channel_id, bits));
        }
        Ok(BotAccess {
            server,
            channels: found,
        })
    }
}

impl AccessProbe for DiscordAccess {
    fn bot_access<'a>(&'a self, guild_id: u64, channels: &'a [u64]) -> ProbeFuture<'a> {
        Box::pin(self.read(guild_id, channels))
    }
}
