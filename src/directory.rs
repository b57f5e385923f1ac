//! What the bot knows of the servers it is in: each server's owner, roles
//! (with their permissions) and channels. Fed by the front-end (the Discord
//! adapter from the gateway and, when something is missing, from REST);
//! read to tell a server's own channels and roles from another server's, and
//! to compute a member's server-level permissions (an interaction's
//! `member.permissions` are those of one channel, overwrites included).

use std::collections::{HashMap, HashSet};
use std::sync::RwLock;

/// Discord permission bits the bot reads.
pub mod bits {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const MANAGE_EVENTS: u64 = 1 << 33;
    pub const CREATE_EVENTS: u64 = 1 << 44;
}

/// A server as the gateway describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuildFacts {
    pub owner_id: u64,
    /// Role id → its permission bits; @everyone's id is the server's.
    pub roles: HashMap<u64, u64>,
    pub channels: HashSet<u64>,
}

#[derive(Default)]
struct Inner {
    guilds: HashMap<u64, GuildFacts>,
    /// Channel id → server id, and role id → server id, for every server.
    channels: HashMap<u64, u64>,
    roles: HashMap<u64, u64>,
    /// Server id → its name, for the web agenda's default address and title.
    names: HashMap<u64, String>,
}

/// Servers by id; cheap to read on every interaction.
#[derive(Default)]
pub struct Directory {
    inner: RwLock<Inner>,
}

impl Directory {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces what is known of a server (GUILD_CREATE, or a REST fetch).
    pub fn set_guild(&self, guild_id: u64, facts: GuildFacts) {
        let mut inner = self.write();
        forget_in(&mut inner, guild_id);
        for channel in &facts.channels {
            inner.channels.insert(*channel, guild_id);
        }
        for role in facts.roles.keys() {
            inner.roles.insert(*role, guild_id);
        }
        inner.guilds.insert(guild_id, facts);
    }

    /// The bot left the server, or it became unavailable.
    pub fn forget(&self, guild_id: u64) {
        let mut inner = self.write();
        forget_in(&mut inner, guild_id);
        inner.names.remove(&guild_id);
    }

    /// The server's name as the gateway last gave it.
    pub fn set_name(&self, guild_id: u64, name: &str) {
        self.write().names.insert(guild_id, name.to_owned());
    }

    /// The server's name, if the front-end told it.
    pub fn name(&self, guild_id: u64) -> Option<String> {
        self.read().names.get(&guild_id).cloned()
    }

    pub fn knows(&self, guild_id: u64) -> bool {
        self.read().guilds.contains_key(&guild_id)
    }

    pub fn set_owner(&self, guild_id: u64, owner_id: u64) {
        if let Some(guild) = self.write().guilds.get_mut(&guild_id) {
            guild.owner_id = owner_id;
        }
    }

    /// A role created or changed.
    pub fn set_role(&self, guild_id: u64, role_id: u64, permissions: u64) {
        let mut inner = self.write();
        if let Some(guild) = inner.guilds.get_mut(&guild_id) {
            guild.roles.insert(role_id, permissions);
            inner.roles.insert(role_id, guild_id);
        }
    }

    pub fn remove_role(&self, guild_id: u64, role_id: u64) {
        let mut inner = self.write();
        if let Some(guild) = inner.guilds.get_mut(&guild_id) {
            guild.roles.remove(&role_id);
        }
        inner.roles.remove(&role_id);
    }

    /// A channel or thread created, or learnt over REST.
    pub fn add_channel(&self, guild_id: u64, channel_id: u64) {
        let mut inner = self.write();
        if let Some(guild) = inner.guilds.get_mut(&guild_id) {
            guild.channels.insert(channel_id);
        }
        inner.channels.insert(channel_id, guild_id);
    }

    pub fn remove_channel(&self, channel_id: u64) {
        let mut inner = self.write();
        if let Some(guild_id) = inner.channels.remove(&channel_id) {
            if let Some(guild) = inner.guilds.get_mut(&guild_id) {
                guild.channels.remove(&channel_id);
            }
        }
    }

    /// The server a channel belongs to, if known.
    pub fn channel_guild(&self, channel_id: u64) -> Option<u64> {
        self.read().channels.get(&channel_id).copied()
    }

    /// The server a role belongs to, if known.
    pub fn role_guild(&self, role_id: u64) -> Option<u64> {
        self.read().roles.get(&role_id).copied()
    }

    /// A member's permissions in the server as a whole: @everyone's and their
    /// roles', everything for the owner or an administrator. `None` while
    /// the server is unknown.
    pub fn server_permissions(&self, guild_id: u64, user_id: u64, roles: &[u64]) -> Option<u64> {
        let inner = self.read();
        let guild = inner.guilds.get(&guild_id)?;
        if user_id == guild.owner_id {
            return Some(u64::MAX);
        }
        let mut permissions = guild.roles.get(&guild_id).copied().unwrap_or(0);
        for role in roles {
            permissions |= guild.roles.get(role).copied().unwrap_or(0);
        }
        if permissions & bits::ADMINISTRATOR != 0 {
            return Some(u64::MAX);
        }
        Some(permissions)
    }
}

fn forget_in(inner: &mut Inner, guild_id: u64) {
    if let Some(old) = inner.guilds.remove(&guild_id) {
        for channel in old.channels {
            inner.channels.remove(&channel);
        }
        for role in old.roles.keys() {
            inner.roles.remove(role);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> Directory {
        let directory = Directory::default();
        directory.set_guild(
            1,
            GuildFacts {
                owner_id: 2,
                roles: HashMap::from([(1, 1 << 10), (10, bits::MANAGE_EVENTS), (11, bits::ADMINISTRATOR)]),
                channels: HashSet::from([100, 101]),
            },
        );
        directory
    }

    #[test]
    fn server_permissions_come_from_roles_and_ownership() {
        let d = directory();
        assert_eq!(d.server_permissions(1, 5, &[]), Some(1 << 10));
        assert_eq!(
            d.server_permissions(1, 5, &[10]),
            Some((1 << 10) | bits::MANAGE_EVENTS)
        );
        assert_eq!(d.server_permissions(1, 5, &[11]), Some(u64::MAX));
        assert_eq!(d.server_permissions(1, 2, &[]), Some(u64::MAX), "the owner");
        assert_eq!(d.server_permissions(9, 5, &[10]), None, "unknown server");
        d.remove_role(1, 10);
        assert_eq!(d.server_permissions(1, 5, &[10]), Some(1 << 10));
    }

    #[test]
    fn channels_and_roles_know_their_server() {
        let d = directory();
        assert_eq!(d.channel_guild(100), Some(1));
        assert_eq!(d.role_guild(10), Some(1));
        assert_eq!(d.channel_guild(200), None);
        d.add_channel(1, 105);
        assert_eq!(d.channel_guild(105), Some(1));
        d.remove_channel(105);
        assert_eq!(d.channel_guild(105), None);
        d.forget(1);
        assert_eq!(d.channel_guild(100), None);
        assert_eq!(d.role_guild(10), None);
    }
}
