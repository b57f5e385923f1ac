//! The servers' owners, roles and channels as the gateway tells them, kept
//! in the state's directory; and a member's server-level permissions, which
//! decide who is an organizer. An interaction's `member.permissions` are the
//! member's permissions *in its channel*, overwrites included: a permission
//! granted on one channel must not make a server-wide organizer.

use serenity::all::{Guild, GuildChannel, GuildId, Http, PartialGuild, Role};

use crate::directory::{Directory, GuildFacts};
use crate::handlers::Context;
use crate::state::AppState;

/// GUILD_CREATE: everything about the server, replacing what was known.
pub fn created(directory: &Directory, guild: &Guild) {
    let facts = GuildFacts {
        owner_id: guild.owner_id.get(),
        roles: guild
            .roles
            .values()
            .map(|role| (role.id.get(), role.permissions.bits()))
            .collect(),
        channels: guild
            .channels
            .keys()
            .map(|id| id.get())
            .chain(guild.threads.iter().map(|thread| thread.id.get()))
            .collect(),
    };
    directory.set_guild(guild.id.get(), facts);
    directory.set_name(guild.id.get(), &guild.name);
}

/// GUILD_UPDATE: a new owner, changed roles.
pub fn updated(directory: &Directory, guild: &PartialGuild) {
    directory.set_owner(guild.id.get(), guild.owner_id.get());
    directory.set_name(guild.id.get(), &guild.name);
    for role in guild.roles.values() {
        role_changed(directory, role);
    }
}

/// GUILD_ROLE_CREATE and GUILD_ROLE_UPDATE.
pub fn role_changed(directory: &Directory, role: &Role) {
    directory.set_role(role.guild_id.get(), role.id.get(), role.permissions.bits());
}

/// CHANNEL_CREATE and THREAD_CREATE.
pub fn channel_created(directory: &Directory, channel: &GuildChannel) {
    directory.add_channel(channel.guild_id.get(), channel.id.get());
}

/// The caller's permissions in the server as a whole, from the roles the
/// interaction lists. A server the gateway has not described yet (its
/// GUILD_CREATE still on the way) is fetched over REST once; if even that
/// fails, the caller gets no permission (the organizer role still counts).
pub async fn permissions(state: &AppState, http: &Http, ctx: &Context) -> u64 {
    let directory = &state.directory;
    let (guild, user, roles) = (ctx.guild_id, ctx.caller.user_id, &ctx.caller.roles);
    if let Some(bits) = directory.server_permissions(guild, user, roles) {
        return bits;
    }
    let Some(id) = std::num::NonZeroU64::new(guild) else {
        return 0;
    };
    match http.get_guild(GuildId::from(id)).await {
        Ok(partial) => {
            // The REST answer carries no channels: those are learnt as needed.
            directory.set_guild(
                guild,
                GuildFacts {
                    owner_id: partial.owner_id.get(),
                    roles: partial
                        .roles
                        .values()
                        .map(|role| (role.id.get(), role.permissions.bits()))
                        .collect(),
                    channels: Default::default(),
                },
            );
            directory.server_permissions(guild, user, roles).unwrap_or(0)
        }
        Err(error) => {
            tracing::warn!(guild, error = %error, "could not read the server's roles; no permission assumed");
            0
        }
    }
}
