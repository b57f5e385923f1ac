//! Discord's shards spread over two processes on one PostgreSQL database,
//! against a fake Discord that owns four shards, routes each server's
//! events to its shard and refuses (op 9) an IDENTIFY less than 5 s after
//! another of its bucket — as Discord does. Both processes started at once
//! bring all four shards up without a refused IDENTIFY, each server's
//! commands are answered by the process that runs its shard, both killed
//! and restarted at once still trip nothing, and `kill -9` of one loses no
//! acknowledged RSVP while its shards come back with it.

use crate::support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use rencontre::handlers::OptionValue;
use serde_json::json;
use support::bot::card_message;
use support::calls::{in_guild, organizer, s};
use support::database::TestDatabase;
use support::fake_discord::*;
use support::processes::*;
use support::storm::*;

const TOTAL: u32 = 4;
/// Every shard in one IDENTIFY bucket: the processes must take turns.
const MAX_CONCURRENCY: u32 = 1;
const CAPACITY: i64 = 20;
/// A bound for a wedged run (four IDENTIFYs 5 s apart take 20 s), never a
/// timing assertion.
const PATIENCE: Duration = Duration::from_secs(90);

static NEXT_INTERACTION: AtomicU64 = AtomicU64::new(8_000_000);

/// The server on shard `shard` of [`TOTAL`]: the default server on 0.
fn server_on(shard: u32) -> u64 {
    match shard {
        0 => FakeDiscord::GUILD_ID,
        k => u64::from(k) << 22,
    }
}

/// One `rencontre run --shards RANGE` process and its `/metrics`.
struct Sharded {
    bot: BotProcess,
    metrics: SocketAddr,
}

fn spawn(fake: &FakeDiscord, url: &str, range: &str) -> Sharded {
    let metrics = free_address();
    let vars = [
        ("RENCONTRE_SHARDS", range),
        ("RENCONTRE_METRICS", &metrics.to_string()),
    ];
    Sharded {
        bot: BotProcess::spawn_with(&fake.base_url(), url, &vars),
        metrics,
    }
}

impl Sharded {
    async fn counter(&self, name: &str) -> u64 {
        support::web::counter(self.metrics, name).await
    }
}

/// Waits for `identifies` IDENTIFYs in all, then for every shard live.
async fn all_shards_up(fake: &FakeDiscord, identifies: usize) {
    assert!(
        fake.wait_identifies(identifies, PATIENCE).await,
        "{identifies} IDENTIFYs: {:#?}",
        fake.identify_log()
    );
    let live = fake.wait_shards_ready(TOTAL, PATIENCE).await;
    assert!(
        live.is_some(),
        "all {TOTAL} shards READY: {:#?}",
        fake.identify_log()
    );
}

/// `/agenda` in `server`, as a member: answered (by whichever process runs
/// its shard: only that one receives it).
async fn agenda_answered(fake: &FakeDiscord, server: u64) {
    let id = NEXT_INTERACTION.fetch_add(1, Ordering::Relaxed);
    let member = Member::new(200 + server % 1_000, "membre");
    let asked = interaction_in_guild(slash_command(id, "agenda", json!([]), &member), server);
    fake.send_interaction(asked).await;
    let path = format!("/interactions/{id}/");
    let answer = fake.wait_for_call(|c| c.is("POST", &path), PATIENCE).await;
    assert!(answer.is_some(), "/agenda in server {server} was answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn two_processes_share_four_shards_without_a_refused_identify() {
    let fake = FakeDiscord::start().await;
    fake.set_sharding(TOTAL, MAX_CONCURRENCY);
    fake.enforce_identify_limit();
    for shard in 1..TOTAL {
        fake.add_guild(server_on(shard));
    }
    let database = TestDatabase::postgres().await;
    let url = database.url.clone();

    // Both started at once.
    let mut low = spawn(&fake, &url, "0-1/4");
    let mut high = spawn(&fake, &url, "2-3/4");
    all_shards_up(&fake, TOTAL as usize).await;
    assert_eq!(fake.refused_identifies(), 0, "{:#?}", fake.identify_log());
    for shard in 0..TOTAL {
        agenda_answered(&fake, server_on(shard)).await;
    }
    // Each answered its own servers' commands, and runs its two shards.
    for (process, name) in [(&low, "0-1"), (&high, "2-3")] {
        assert_eq!(
            process.counter("rencontre_interactions_total").await,
            2,
            "process {name}"
        );
        assert_eq!(
            process.counter("rencontre_gateway_connected").await,
            2,
            "process {name}"
        );
    }
    let waited = low.counter("rencontre_identify_waits_total").await
        + high.counter("rencontre_identify_waits_total").await;
    assert!(
        waited >= 1,
        "one bucket, two processes: some IDENTIFY waited its turn"
    );

    // Both killed and restarted at once: still no IDENTIFY refused.
    let logs = [low.bot.kill9(), high.bot.kill9()];
    for log in &logs {
        assert!(!log.contains("panicked"), "{}", tail(log, 2_000));
    }
    low = spawn(&fake, &url, "0-1/4");
    high = spawn(&fake, &url, "2-3/4");
    all_shards_up(&fake, 2 * TOTAL as usize).await;
    assert_eq!(fake.refused_identifies(), 0, "{:#?}", fake.identify_log());
    for shard in 0..TOTAL {
        agenda_answered(&fake, server_on(shard)).await;
    }

    // kill -9 of the process running shards 2-3 during clicks in its server.
    let server = server_on(2);
    let (event, card) = seed_event(&url, &fake, server).await;
    let custom_id = format!("rsvp:v1:{event}:going");
    let mut sent = Vec::new();
    let mut logs = None;
    for user in 10_000..10_060u64 {
        let id = NEXT_INTERACTION.fetch_add(1, Ordering::Relaxed);
        let member = Member::new(user, &format!("membre{user}"));
        let click = interaction_in_guild(button(id, &custom_id, card_message(card, event), &member), server);
        if fake.connection_of_guild(server).is_none() {
            break;
        }
        fake.send_interaction(click).await;
        sent.push((id.to_string(), user));
        if sent.len() == 30 {
            // Half the clicks sent: some answered, some under way.
            let first = sent[0].0.clone();
            let answered = fake.wait_for_call(|c| c.is("POST", &format!("/interactions/{first}/")), PATIENCE);
            assert!(answered.await.is_some());
            logs = Some(high.bot.kill9());
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let logs = logs.expect("killed mid-storm");
    assert!(!logs.contains("panicked"), "{}", tail(&logs, 2_000));
    let calls = fake.calls();
    let acknowledged: Vec<u64> = sent
        .iter()
        .filter(|(id, _)| !callbacks_for(&calls, id).is_empty())
        .map(|(_, user)| *user)
        .collect();
    assert!(
        !acknowledged.is_empty(),
        "some clicks were answered before the kill"
    );
    let pool = rencontre::store::connect(&url).await.unwrap();
    let rows = rsvp_rows(&pool, event).await;
    if let Err(problem) = check_queue(&rows, CAPACITY) {
        panic!("{problem}: {rows:#?}");
    }
    for user in &acknowledged {
        assert!(
            rows.iter().any(|r| r.user_id == *user as i64),
            "member {user}'s answer was kept"
        );
    }
    pool.close().await;

    // Restarted: its shards come back, and its servers are answered again.
    let identifies = fake.identify_log().len();
    let _high = spawn(&fake, &url, "2-3/4");
    all_shards_up(&fake, identifies + 2).await;
    assert_eq!(fake.refused_identifies(), 0, "{:#?}", fake.identify_log());
    agenda_answered(&fake, server_on(2)).await;
    agenda_answered(&fake, server_on(3)).await;
    drop(low);
}

/// An event of [`CAPACITY`] in `server`; (event, card message).
async fn seed_event(url: &str, fake: &FakeDiscord, server: u64) -> (i64, u64) {
    let when = (Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%d 18:30")
        .to_string();
    let options = [
        ("title", s("Rencontres numériques")),
        ("when", s(&when)),
        ("capacity", OptionValue::Int(CAPACITY)),
    ];
    let who = in_guild(organizer(10, "alice"), server);
    event_with_card(url, fake, &who, &[], &options).await
}
