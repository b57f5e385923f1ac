//! Servers besides the default one ([`FakeDiscord::GUILD_ID`]), so that a
//! test can put servers on different shards ([`FakeDiscord::add_guild`]).
//! Each has the default server's shape — the four text channels of
//! [`CHANNELS`], @everyone (whose id is the server's), "bureau", "admins",
//! "animateurs" and the bot's role — with ids derived by [`id_in_guild`], so
//! that no two servers share a channel or role id and a test can name them.

use serde_json::{json, Value};

use super::{channel_json, guild_json, id_of, partial_channel_json, FakeDiscord, State, CHANNELS};

/// Derived ids are `guild_id * ID_STRIDE + the default server's id`.
const ID_STRIDE: u64 = 10_000;
/// Derived ids stay below the ids the fake hands out (`State::fresh_id`).
const LARGEST_GUILD_ID: u64 = 1_000_000_000_000 / ID_STRIDE - 1;

/// The id in server `guild_id` of what is `id` in the default server (a
/// channel of [`CHANNELS`], a role such as [`ROLE_ORGANIZERS`](super::ROLE_ORGANIZERS),
/// the bot's role); the default server keeps its own ids, and @everyone is
/// always the server's own id.
pub fn id_in_guild(guild_id: u64, id: u64) -> u64 {
    if guild_id == FakeDiscord::GUILD_ID {
        id
    } else if id == FakeDiscord::GUILD_ID {
        guild_id
    } else {
        guild_id * ID_STRIDE + id
    }
}

/// Server `guild_id`'s text channels: (id, name), in [`CHANNELS`]' order.
pub fn channels_of(guild_id: u64) -> [(u64, &'static str); 4] {
    CHANNELS.map(|(id, name)| (id_in_guild(guild_id, id), name))
}

/// The shard that receives server `guild_id`'s events when the bot runs
/// `total` shards, as Discord computes it: `(guild_id >> 22) % total`. The
/// server `k << 22` is on shard `k % total`; the default server on shard 0.
pub fn shard_of(guild_id: u64, total: u32) -> u32 {
    ((guild_id >> 22) % u64::from(total.max(1))) as u32
}

/// Server `guild_id`'s GUILD_CREATE: [`guild_json`] for the default server,
/// the same shape with derived ids for any other.
pub fn guild_json_of(guild_id: u64) -> Value {
    let mut guild = guild_json();
    if guild_id == FakeDiscord::GUILD_ID {
        return guild;
    }
    guild["id"] = json!(guild_id.to_string());
    guild["name"] = json!(format!("Association {guild_id}"));
    guild["system_channel_id"] = json!(id_in_guild(guild_id, CHANNELS[0].0).to_string());
    if let Some(roles) = guild["roles"].as_array_mut() {
        for role in roles {
            let id = id_of(&role["id"]).unwrap_or_default();
            role["id"] = json!(id_in_guild(guild_id, id).to_string());
        }
    }
    let channels: Vec<Value> = channels_of(guild_id)
        .iter()
        .enumerate()
        .map(|(position, (id, name))| channel_json(*id, guild_id, name, position))
        .collect();
    guild["channels"] = json!(channels);
    guild
}

/// Moves an interaction built for the default server (e.g. by
/// [`slash_command`](super::slash_command)) to server `guild_id`: its
/// channel, the caller's default-server roles and the command's server
/// become that server's.
pub fn interaction_in_guild(mut interaction: Value, guild_id: u64) -> Value {
    let guild = json!(guild_id.to_string());
    interaction["guild_id"] = guild.clone();
    interaction["authorizing_integration_owners"]["0"] = guild.clone();
    if !interaction["data"]["guild_id"].is_null() {
        interaction["data"]["guild_id"] = guild.clone();
    }
    let channel = id_of(&interaction["channel_id"]).unwrap_or(CHANNELS[0].0);
    let moved = CHANNELS
        .iter()
        .position(|(id, _)| *id == channel)
        .map_or(channel, |_| id_in_guild(guild_id, channel));
    interaction["channel_id"] = json!(moved.to_string());
    let mut partial = partial_channel_json(channel);
    partial["id"] = json!(moved.to_string());
    partial["guild_id"] = guild;
    interaction["channel"] = partial;
    if let Some(roles) = interaction["member"]["roles"].as_array_mut() {
        for role in roles {
            if let Some(id) = id_of(role).filter(|id| is_default_role(*id)) {
                *role = json!(id_in_guild(guild_id, id).to_string());
            }
        }
    }
    interaction
}

/// A role of the default server's GUILD_CREATE (not the bot's role).
fn is_default_role(id: u64) -> bool {
    guild_json()["roles"]
        .as_array()
        .is_some_and(|roles| roles.iter().any(|r| id_of(&r["id"]) == Some(id)))
}

impl FakeDiscord {
    /// Makes the bot a member of server `guild_id` too, shaped like the
    /// default one with ids from [`id_in_guild`]: READY lists it on the shard
    /// that owns it ([`shard_of`]), a GUILD_CREATE follows, and its REST
    /// routes (server, roles, channels) answer. Ids up to 99,999,999, so
    /// that derived ids never collide with the ones the fake hands out.
    pub fn add_guild(&self, guild_id: u64) {
        assert!(
            (1..=LARGEST_GUILD_ID).contains(&guild_id),
            "guild id {guild_id} out of the fake's range 1..={LARGEST_GUILD_ID}"
        );
        let mut state = self.inner.state();
        if !state.guilds().contains(&guild_id) {
            state.extra_guilds.push(guild_id);
        }
    }

    /// The bot's servers: the default one first, then the added ones.
    pub fn guilds(&self) -> Vec<u64> {
        self.inner.state().guilds()
    }
}

impl State {
    /// The bot's servers: the default one first, then the added ones.
    pub(super) fn guilds(&self) -> Vec<u64> {
        std::iter::once(FakeDiscord::GUILD_ID)
            .chain(self.extra_guilds.iter().copied())
            .collect()
    }

    /// The added server that has channel `id`, with the channel's name and position.
    pub(super) fn added_channel(&self, id: u64) -> Option<(u64, &'static str, usize)> {
        self.extra_guilds.iter().find_map(|&guild| {
            let channels = channels_of(guild);
            let position = channels.iter().position(|(c, _)| *c == id)?;
            Some((guild, channels[position].1, position))
        })
    }

    /// The server of channel `id`: an added server's, else the default one
    /// (the fake answers any unknown channel as the default server's).
    pub(super) fn guild_of_channel(&self, id: u64) -> u64 {
        self.added_channel(id)
            .map_or(FakeDiscord::GUILD_ID, |(guild, _, _)| guild)
    }
}
