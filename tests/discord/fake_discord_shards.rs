//! The fake Discord shards as Discord does, checked with real serenity
//! clients: each shard's READY lists only the servers it owns
//! (`(guild_id >> 22) % total`), a server's interactions reach the client
//! running its shard, and with the identify limit on, a second IDENTIFY in
//! one bucket within 5 s is refused with op 9.

// Only the fixture, not the whole of tests/support: this test needs no database.
use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::{
    ChannelId, Client, ClientBuilder, Context, EventHandler, GatewayIntents, Guild, GuildId, HttpBuilder,
    Interaction, Ready, RoleId,
};
use serenity::model::event::GuildCreateEvent;
use support::fake_discord::*;
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(10);
/// Long enough for serenity's queuer to start a second shard (5 s later)
/// or to identify again after an op 9.
const SHARDS_WAIT: Duration = Duration::from_secs(30);

/// What one client's handler saw, with the shard it came on.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Seen {
    Ready { shard: [u32; 2], guilds: Vec<u64> },
    GuildCreate { shard: u32, guild: u64 },
    Interaction { shard: u32, id: u64, guild: u64 },
}

struct Recorder(mpsc::UnboundedSender<Seen>);

#[serenity::async_trait]
impl EventHandler for Recorder {
    async fn ready(&self, _: Context, ready: Ready) {
        let shard = ready.shard.map_or([0, 1], |s| [s.id.0, s.total]);
        let guilds = ready.guilds.iter().map(|g| g.id.get()).collect();
        let _ = self.0.send(Seen::Ready { shard, guilds });
    }

    async fn guild_create(&self, ctx: Context, guild: Guild, _: Option<bool>) {
        let (shard, guild) = (ctx.shard_id.0, guild.id.get());
        let _ = self.0.send(Seen::GuildCreate { shard, guild });
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Interaction::Command(command) = interaction {
            let guild = command.guild_id.map_or(0, |g| g.get());
            let (shard, id) = (ctx.shard_id.0, command.id.get());
            let _ = self.0.send(Seen::Interaction { shard, id, guild });
        }
    }
}

fn client_http(fake: &FakeDiscord) -> serenity::http::Http {
    HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build()
}

/// A serenity client running shards `first..=last` of `total`, as one bot
/// process would.
struct Running {
    seen: mpsc::UnboundedReceiver<Seen>,
    shards: std::sync::Arc<serenity::gateway::ShardManager>,
    task: tokio::task::JoinHandle<serenity::Result<()>>,
}

async fn start_shards(fake: &FakeDiscord, first: u32, last: u32, total: u32) -> Running {
    let (tx, seen) = mpsc::unbounded_channel();
    let mut client: Client = ClientBuilder::new_with_http(client_http(fake), GatewayIntents::GUILDS)
        .event_handler(Recorder(tx))
        .await
        .expect("client");
    let shards = client.shard_manager.clone();
    // serenity 0.12.5 starts `range.end` too (DESIGN.md).
    let task = tokio::spawn(async move { client.start_shard_range(first..last, total).await });
    Running { seen, shards, task }
}

impl Running {
    /// The next `count` things the handler saw, sorted.
    async fn next(&mut self, count: usize) -> Vec<Seen> {
        let mut seen = Vec::with_capacity(count);
        while seen.len() < count {
            let next = tokio::time::timeout(SHARDS_WAIT, self.seen.recv()).await;
            seen.push(next.expect("the handler saw it").expect("open"));
        }
        seen.sort();
        seen
    }

    async fn stop(self) {
        self.shards.shutdown_all().await;
        let stopped = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the client stops");
        assert!(stopped.expect("no panic").is_ok());
    }
}

/// Servers `k << 22` are on shard `k % total`; the default server on shard 0.
const ON_1: u64 = 1 << 22;
const ON_2: u64 = 2 << 22;
const ON_3: u64 = 3 << 22;
const ALSO_ON_1: u64 = 5 << 22;

/// Takes about 5 s: serenity's queuer starts a client's second shard 5 s
/// after its first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_of_two_shards_each_get_only_their_servers_and_their_interactions() {
    let fake = FakeDiscord::start().await;
    for guild in [ON_1, ON_2, ON_3, ALSO_ON_1] {
        fake.add_guild(guild);
    }
    // One bucket per shard: IDENTIFYs of shards 0 and 2 at the same instant
    // are allowed even with the limit on.
    fake.set_sharding(4, 4);
    fake.enforce_identify_limit();
    let mut low = start_shards(&fake, 0, 1, 4).await;
    let mut high = start_shards(&fake, 2, 3, 4).await;

    let connections = fake.wait_shards_ready(4, SHARDS_WAIT).await;
    let connections =
        connections.unwrap_or_else(|| panic!("not every shard READY: {:#?}", fake.identify_log()));
    assert_eq!(fake.refused_identifies(), 0, "{:#?}", fake.identify_log());
    let shards: Vec<[u32; 2]> = connections
        .iter()
        .map(|c| fake.shard_of_connection(*c).expect("identified"))
        .collect();
    assert_eq!(shards, [[0, 4], [1, 4], [2, 4], [3, 4]]);
    for shard in 0..4 {
        assert_eq!(fake.identifies_of_shard(shard).len(), 1, "shard {shard}");
    }

    // READY lists the shard's servers only, and a GUILD_CREATE follows for each.
    let ready = |shard, guilds: &[u64]| Seen::Ready {
        shard: [shard, 4],
        guilds: guilds.to_vec(),
    };
    let created = |shard, guild| Seen::GuildCreate { shard, guild };
    assert_eq!(
        low.next(5).await,
        [
            ready(0, &[FakeDiscord::GUILD_ID]),
            ready(1, &[ON_1, ALSO_ON_1]),
            created(0, FakeDiscord::GUILD_ID),
            created(1, ON_1),
            created(1, ALSO_ON_1),
        ]
    );
    assert_eq!(
        high.next(4).await,
        [
            ready(2, &[ON_2]),
            ready(3, &[ON_3]),
            created(2, ON_2),
            created(3, ON_3)
        ]
    );

    // Each server's interaction reaches the client, and the shard, that owns it.
    let alice = Member::new(20, "alice");
    let guilds = [FakeDiscord::GUILD_ID, ON_1, ON_2, ON_3, ALSO_ON_1];
    for (id, guild) in (1u64..).zip(guilds) {
        let shard = shard_of(guild, 4) as usize;
        assert_eq!(fake.connection_of_guild(guild), Some(connections[shard]));
        let command = slash_command(id, "agenda", json!([]), &alice);
        fake.send_interaction(interaction_in_guild(command, guild)).await;
    }
    let interaction = |shard, id, guild| Seen::Interaction { shard, id, guild };
    assert_eq!(
        low.next(3).await,
        [
            interaction(0, 1, FakeDiscord::GUILD_ID),
            interaction(1, 2, ON_1),
            interaction(1, 5, ALSO_ON_1),
        ]
    );
    assert_eq!(
        high.next(2).await,
        [interaction(2, 3, ON_2), interaction(3, 4, ON_3)]
    );
    low.stop().await;
    high.stop().await;
}

/// Takes about 5 s: the refused shard identifies again once serenity's
/// queuer lets it, 5 s after its first try.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_identify_in_one_bucket_within_5_s_gets_op_9_when_the_limit_is_on() {
    let fake = FakeDiscord::start().await;
    fake.set_sharding(2, 1);
    fake.enforce_identify_limit();
    let first = start_shards(&fake, 0, 0, 2).await;
    assert!(fake.wait_ready(WAIT).await, "shard 0 READY");
    // Another process starts shard 1, in the same bucket (1 % 1 == 0), at once.
    let mut second = start_shards(&fake, 1, 1, 2).await;
    assert!(fake.wait_identifies(2, WAIT).await);
    let log = fake.identify_log();
    assert_eq!((log[1].shard, log[1].refused), ([1, 2], true), "{log:#?}");
    assert!(log[1].at - log[0].at < IDENTIFY_INTERVAL);
    assert_eq!(fake.refused_identifies(), 1);
    assert_eq!(fake.connection_of_guild(1 << 22), None, "shard 1 has no session");

    // serenity identifies again after its 5 s wait, which the limit accepts.
    let connections = fake.wait_shards_ready(2, SHARDS_WAIT).await;
    assert!(connections.is_some(), "{:#?}", fake.identify_log());
    let log = fake.identify_log();
    assert_eq!((log.len(), fake.refused_identifies()), (3, 1), "{log:#?}");
    assert!(log[2].at - log[0].at >= IDENTIFY_INTERVAL);
    assert!(matches!(
        second.next(1).await[..],
        [Seen::Ready { shard: [1, 2], .. }]
    ));
    first.stop().await;
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identify_limit_is_off_by_default() {
    let fake = FakeDiscord::start().await;
    fake.set_sharding(2, 1);
    let first = start_shards(&fake, 0, 0, 2).await;
    assert!(fake.wait_ready(WAIT).await, "shard 0 READY");
    let second = start_shards(&fake, 1, 1, 2).await;
    assert!(fake.wait_shards_ready(2, WAIT).await.is_some());
    let log = fake.identify_log();
    assert!(log[1].at - log[0].at < IDENTIFY_INTERVAL, "{log:#?}");
    assert_eq!(fake.refused_identifies(), 0);
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn gateway_bot_reports_the_sharding_the_test_set() {
    let fake = FakeDiscord::start().await;
    let http = client_http(&fake);
    let default = http.get_bot_gateway().await.expect("gateway/bot");
    assert_eq!(
        (default.shards, default.session_start_limit.max_concurrency),
        (1, 1)
    );
    fake.set_sharding(16, 16);
    let set = http.get_bot_gateway().await.expect("gateway/bot");
    assert_eq!((set.shards, set.session_start_limit.max_concurrency), (16, 16));
    assert_eq!(set.url, fake.ws_url());
}

/// An added server answers over REST, shaped like the default one with its
/// own ids, and its payloads parse with serenity's types.
#[tokio::test]
async fn an_added_server_has_its_own_channels_and_roles() {
    let fake = FakeDiscord::start().await;
    fake.add_guild(ON_2);
    assert_eq!(fake.guilds(), [FakeDiscord::GUILD_ID, ON_2]);
    let http = client_http(&fake);
    let (general, _) = channels_of(ON_2)[0];
    assert_ne!(general, CHANNELS[0].0);

    let guild = http.get_guild(GuildId::new(ON_2)).await.expect("the server");
    let organizers = id_in_guild(ON_2, ROLE_ORGANIZERS);
    assert!(guild.roles.contains_key(&RoleId::new(organizers)));
    assert!(
        guild.roles.contains_key(&RoleId::new(ON_2)),
        "@everyone is the server's id"
    );
    let roles = http.get_guild_roles(GuildId::new(ON_2)).await.expect("roles");
    assert_eq!(roles.len(), 5, "four roles and the bot's");
    let channel = http.get_channel(ChannelId::new(general)).await.expect("channel");
    let channel = channel.guild().expect("a server channel");
    assert_eq!((channel.guild_id.get(), channel.name.as_str()), (ON_2, "general"));
    let unknown = http.get_guild(GuildId::new(ON_3)).await;
    assert!(unknown.is_err(), "not the bot's server");

    let created: GuildCreateEvent = serde_json::from_value(guild_json_of(ON_2)).expect("guild");
    assert_eq!(created.guild.id.get(), ON_2);
    let ids: BTreeSet<u64> = created.guild.channels.keys().map(|c| c.get()).collect();
    assert_eq!(
        ids,
        channels_of(ON_2)
            .iter()
            .map(|(c, _)| *c)
            .collect::<BTreeSet<u64>>()
    );

    let organizer = Member {
        roles: vec![ROLE_ORGANIZERS],
        ..Member::new(21, "bob")
    };
    let moved = interaction_in_guild(
        in_channel(slash_command(9, "agenda", json!([]), &organizer), 101),
        ON_2,
    );
    let command = serde_json::from_value::<Interaction>(moved.clone())
        .unwrap_or_else(|e| panic!("{e}\n{moved:#}"))
        .command()
        .expect("a command");
    assert_eq!(command.guild_id.map(|g| g.get()), Some(ON_2));
    assert_eq!(command.channel_id.get(), id_in_guild(ON_2, 101));
    let member = command.member.expect("member");
    assert_eq!(member.roles[0].get(), organizers);
    assert_eq!(
        moved["authorizing_integration_owners"]["0"],
        json!(ON_2.to_string())
    );
    assert_eq!(moved["data"]["guild_id"], Value::from(ON_2.to_string()));
}
