//! What the bot itself may do in a server, as the front-end sees it: the
//! permission bits `/setup check` explains, and the probe that reads them.

use std::future::Future;
use std::pin::Pin;

/// Discord's permission bits the bot relies on. Kept here as plain numbers:
/// serenity 0.12.5 has no `PIN_MESSAGES` and drops bit 51 when it parses
/// permissions, so they are read from raw JSON.
pub mod bits {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// Opening a public thread, here on an event card.
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    /// Posting in threads and adding members to them.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// Since 2026-02-23, creating scheduled events (Manage Events no longer does).
    pub const CREATE_EVENTS: u64 = 1 << 44;
    /// Since 2026-02-23, pinning (Manage Messages no longer does).
    pub const PIN_MESSAGES: u64 = 1 << 51;
    /// Every permission, as an Administrator holds them.
    pub const ALL: u64 = u64::MAX;
}

/// The bot's effective permissions in a server: server-wide (what events
/// need) and in each channel asked about (`None`: the bot cannot see the
/// channel at all, or it is gone).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BotAccess {
    pub server: u64,
    pub channels: Vec<(u64, Option<u64>)>,
}

impl BotAccess {
    /// The bits in `channel_id`, 0 when unknown.
    pub fn in_channel(&self, channel_id: u64) -> u64 {
        self.channels
            .iter()
            .find(|(id, _)| *id == channel_id)
            .and_then(|(_, bits)| *bits)
            .unwrap_or(0)
    }
}

/// A boxed future, so that the probe can live behind `dyn`.
pub type ProbeFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<BotAccess>> + Send + 'a>>;

/// Asks the front-end what the bot may do (Discord: REST reads of roles,
/// channel overwrites and the bot's member; the console: everything).
pub trait AccessProbe: Send + Sync {
    fn bot_access<'a>(&'a self, guild_id: u64, channels: &'a [u64]) -> ProbeFuture<'a>;
}

/// The console's world: the bot may do everything everywhere.
pub struct Unrestricted;

impl AccessProbe for Unrestricted {
    fn bot_access<'a>(&'a self, _guild_id: u64, channels: &'a [u64]) -> ProbeFuture<'a> {
        Box::pin(async move {
            Ok(BotAccess {
                server: bits::ALL,
                channels: channels.iter().map(|c| (*c, Some(bits::ALL))).collect(),
            })
        })
    }
}

/// Discord's documented computation: the `@everyone` role and the bot's
/// roles give the server-wide bits; the channel's overwrites then apply in
/// order (`@everyone`, the bot's roles together, the bot itself).
pub fn effective(
    guild_id: u64,
    bot_id: u64,
    roles: &[(u64, u64)],
    bot_roles: &[u64],
    overwrites: Option<&[Overwrite]>,
) -> u64 {
    let role_bits = |id: u64| roles.iter().find(|(r, _)| *r == id).map_or(0, |(_, b)| *b);
    let mut server = role_bits(guild_id);
    for role in bot_roles {
        server |= role_bits(*role);
    }
    if server & bits::ADMINISTRATOR != 0 {
        return bits::ALL;
    }
    let Some(overwrites) = overwrites else {
        return server;
    };
    let mut bits = server;
    if let Some(everyone) = overwrites.iter().find(|o| o.id == guild_id) {
        bits = (bits & !everyone.deny) | everyone.allow;
    }
    let (mut allow, mut deny) = (0, 0);
    for o in overwrites
        .iter()
        .filter(|o| !o.member && bot_roles.contains(&o.id))
    {
        allow |= o.allow;
        deny |= o.deny;
    }
    bits = (bits & !deny) | allow;
    if let Some(own) = overwrites.iter().find(|o| o.member && o.id == bot_id) {
        bits = (bits & !own.deny) | own.allow;
    }
    // Without View Channel nothing else applies there.
    if bits & bits::VIEW_CHANNEL == 0 {
        return 0;
    }
    bits
}

/// One permission overwrite of a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Overwrite {
    pub id: u64,
    /// A member's overwrite (type 1) rather than a role's (type 0).
    pub member: bool,
    pub allow: u64,
    pub deny: u64,
}

#[cfg(test)]
mod tests {
    use super::bits::*;
    use super::{effective, Overwrite};

    const GUILD: u64 = 1;
    const BOT: u64 = 2;
    const ROLE: u64 = 3;

    #[test]
    fn overwrites_apply_in_discords_order_and_keep_bit_51() {
        let roles = [(GUILD, VIEW_CHANNEL | SEND_MESSAGES), (ROLE, PIN_MESSAGES)];
        assert_eq!(
            effective(GUILD, BOT, &roles, &[ROLE], None),
            VIEW_CHANNEL | SEND_MESSAGES | PIN_MESSAGES
        );
        let channel = [
            Overwrite {
                id: GUILD,
                member: false,
                allow: EMBED_LINKS,
                deny: SEND_MESSAGES,
            },
            Overwrite {
                id: ROLE,
                member: false,
                allow: SEND_MESSAGES,
                deny: PIN_MESSAGES,
            },
        ];
        assert_eq!(
            effective(GUILD, BOT, &roles, &[ROLE], Some(&channel)),
            VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS
        );
        let mine = [Overwrite {
            id: BOT,
            member: true,
            allow: PIN_MESSAGES,
            deny: 0,
        }];
        assert_ne!(effective(GUILD, BOT, &roles, &[], Some(&mine)) & PIN_MESSAGES, 0);
        let hidden = [Overwrite {
            id: GUILD,
            member: false,
            allow: 0,
            deny: VIEW_CHANNEL,
        }];
        assert_eq!(effective(GUILD, BOT, &roles, &[ROLE], Some(&hidden)), 0);
    }

    #[test]
    fn administrators_may_do_everything() {
        let roles = [(GUILD, 0), (ROLE, ADMINISTRATOR)];
        let hidden = [Overwrite {
            id: GUILD,
            member: false,
            allow: 0,
            deny: VIEW_CHANNEL,
        }];
        assert_eq!(effective(GUILD, BOT, &roles, &[ROLE], Some(&hidden)), ALL);
    }
}
