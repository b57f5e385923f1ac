//! Interactions sent to a bot through the fake Discord, and what they cost.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::Semaphore;

use crate::process::{cpu_seconds, rss_mib, rsvp_committed, spawn_binary, Bot};
use crate::support::fake_discord::*;
use crate::{LONG_RUN, WAIT};

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

pub struct Figures {
    latencies: Vec<Duration>,
    wall: Duration,
    sent: u64,
    /// CPU the bot used over the run, and the harness (this process).
    bot_cpu: f64,
    harness_cpu: f64,
    /// Clicks per RSVP transaction over the run (Rencontre's `/metrics`).
    batch: Option<f64>,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }
    pub fn p(&self, p: f64) -> f64 {
        percentile(&self.latencies, p).as_secs_f64() * 1e3
    }
    pub fn complete(&self) -> bool {
        self.latencies.len() as u64 == self.sent
    }
    /// The bot's CPU per interaction, in µs: what a dedicated core would
    /// allow (1 s ÷ this), whatever the harness or the neighbours cost.
    pub fn bot_cpu_us(&self) -> f64 {
        self.bot_cpu * 1e6 / self.sent as f64
    }
    pub fn print(&self, name: &str) {
        println!(
            "{name:<34} {:>5}/{:<5} answered  p50 {:>6.2} ms  p99 {:>6.2} ms  {:>6.0}/s  bot CPU {:>5.0} µs each (harness {:.0} µs)",
            self.latencies.len(),
            self.sent,
            self.p(0.5),
            self.p(0.99),
            self.per_second(),
            self.bot_cpu_us(),
            self.harness_cpu * 1e6 / self.sent as f64,
        );
        if let Some(batch) = self.batch {
            println!("{:<34} {batch:.1} clicks per RSVP transaction", "");
        }
    }
}

/// Sends `count` interactions built by `make`, at most `in_flight` at a
/// time; returns each one's dispatch → callback time, and the wall time.
/// The first one is checked against serenity's model (the fake panics if
/// serenity would drop it); the rest have the same shape and go out raw,
/// so the harness spends its core on sending and receiving.
pub async fn storm(
    fake: &Arc<FakeDiscord>,
    bot: &Bot,
    count: u64,
    in_flight: usize,
    make: impl Fn(u64) -> Value,
) -> Figures {
    let gate = Arc::new(Semaphore::new(in_flight));
    // Read outside the CPU measured: the scrape costs the bot a little.
    let committed = rsvp_committed(bot).await;
    let (bot_cpu, harness_cpu) = (cpu_seconds(bot.0.id()), cpu_seconds(std::process::id()));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..count {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let interaction = make(i);
        let id = interaction["id"].as_str().unwrap().to_owned();
        let fake = fake.clone();
        tasks.push(tokio::spawn(async move {
            let answered = fake.callback_arrival(&id);
            let sent = Instant::now();
            if i == 0 {
                fake.send_interaction(interaction).await;
            } else {
                fake.dispatch_raw("INTERACTION_CREATE", interaction).await;
            }
            let answered = tokio::time::timeout(WAIT, answered)
                .await
                .is_ok_and(|r| r.is_ok());
            drop(permit);
            answered.then(|| sent.elapsed())
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        if let Some(latency) = task.await.unwrap() {
            latencies.push(latency);
        }
    }
    latencies.sort();
    let wall = start.elapsed();
    let (bot_cpu, harness_cpu) = (
        cpu_seconds(bot.0.id()) - bot_cpu,
        cpu_seconds(std::process::id()) - harness_cpu,
    );
    let batch = match (committed, rsvp_committed(bot).await) {
        (Some((tx0, clicks0)), Some((tx1, clicks1))) if tx1 > tx0 => {
            Some((clicks1 - clicks0) as f64 / (tx1 - tx0) as f64)
        }
        _ => None,
    };
    Figures {
        latencies,
        wall,
        sent: count,
        bot_cpu,
        harness_cpu,
        batch,
    }
}

pub const CARD: u64 = 77;

/// Clicks on *Going* of event 1, interaction ids from `first_id`, by members
/// `first_member..`, cycling over `members` of them.
pub fn clicks(first_id: u64, first_member: u64, members: u64) -> impl Fn(u64) -> Value {
    let card = message_json(CARD, 100, "", json!([]));
    move |i| {
        button(
            first_id + i,
            "rsvp:v1:1:going",
            card.clone(),
            &Member::new(first_member + i % members, "m"),
        )
    }
}

/// The storm's members (1,000 pressing *Going* at once).
pub const STORM_MEMBERS: u64 = 100_000;
/// The sustained clicks' members: a new one per click, from here on.
pub const NEW_MEMBERS: u64 = 1_000_000;
/// Clicks sent before the measured ones, for the caches and the allocator
/// (fewer in a quick run).
pub const WARM_UP: u64 = 1_000;
/// The sustained clicks are measured at each of these concurrencies: many
/// at once (a busy moment), few, and one at a time (most clicks arrive
/// alone: the group commit must not make them wait).
pub const IN_FLIGHT: [usize; 3] = [50, 10, 1];

/// The clicks at each concurrency of [`IN_FLIGHT`], `count` each after a
/// warm-up, every click by a member who has not answered yet: a real
/// write, the capacity checked, a place in line, a private reply and a
/// card refresh. Returns the figures per concurrency and how many members
/// clicked.
pub async fn sustained(fake: &Arc<FakeDiscord>, bot: &Bot, count: u64) -> (Vec<(usize, Figures)>, u64) {
    let mut next_member = NEW_MEMBERS;
    let mut next_id = 1_000_000;
    let mut run = |count: u64, in_flight: usize| {
        let make = clicks(next_id, next_member, count);
        next_member += count;
        next_id += count;
        storm(fake, bot, count, in_flight, make)
    };
    let warm_up = run(WARM_UP.min(count), IN_FLIGHT[0]).await;
    let mut figures = Vec::new();
    let mut complete = warm_up.complete();
    for in_flight in IN_FLIGHT {
        let measured = run(count, in_flight).await;
        complete &= measured.complete();
        figures.push((in_flight, measured));
    }
    if !complete {
        eprintln!("some warm-up clicks were not answered");
    }
    (figures, next_member - NEW_MEMBERS)
}

/// Creates the capacity-50 event as an organizer (interaction id 1).
pub async fn create_event(fake: &FakeDiscord) -> bool {
    let organizer = Member {
        roles: vec![ROLE_ORGANIZERS],
        permissions: MEMBER_PERMISSIONS | (1 << 33),
        ..Member::new(10, "alice")
    };
    let create = json!([{ "type": 1, "name": "create", "options": [
        { "type": 3, "name": "title", "value": "AG annuelle" },
        { "type": 3, "name": "when", "value": "dans 3 jours" },
        { "type": 4, "name": "capacity", "value": 50 } ] }]);
    let created = fake.callback_arrival("1");
    fake.send_interaction(slash_command(1, "event", create, &organizer))
        .await;
    tokio::time::timeout(WAIT, created).await.is_ok()
}

/// The storm and the sustained clicks against another build of the bot.
pub async fn clicks_on(
    binary: &std::ffi::OsStr,
    db: &std::path::Path,
    pin: bool,
    storm_clicks: u64,
    sustained_clicks: u64,
) -> Option<(Figures, Vec<(usize, Figures)>)> {
    let fake = Arc::new(FakeDiscord::start().await);
    let bot = spawn_binary(binary.as_ref(), &fake, &format!("sqlite://{}", db.display()), pin);
    if !fake.wait_ready(WAIT).await || !create_event(&fake).await {
        eprintln!("the earlier build did not connect or create the event");
        return None;
    }
    let storm_figures = storm(
        &fake,
        &bot,
        storm_clicks,
        IN_FLIGHT[0],
        clicks(10_000, STORM_MEMBERS, storm_clicks),
    )
    .await;
    let (sustained, _) = sustained(&fake, &bot, sustained_clicks).await;
    Some((storm_figures, sustained))
}

/// With [`LONG_RUN`] set, more interactions in ten rounds (nine clicks for
/// one `/agenda`), the bot's RSS after each: a line to print. The clicks
/// cycle over (up to) 2,000 members who already answered, so the event's lists
/// stop growing and a growing RSS would be the bot's own.
pub async fn long_run(fake: &Arc<FakeDiscord>, bot: &Bot, answered: u64) -> Option<String> {
    let total: u64 = std::env::var(LONG_RUN).ok()?.parse().ok()?;
    let round = (total / 10).max(10);
    let mut line = format!("RSS over {total} more interactions (MiB, every {round})");
    let mut cpu = 0.0;
    for r in 0..10 {
        // Interaction ids never repeat: PostgreSQL remembers them for an
        // hour to tell a replay from a new interaction (store::interactions).
        let first = 100_000_000 + r * round;
        let click_count = round * 9 / 10;
        let clicks = storm(
            fake,
            bot,
            click_count,
            IN_FLIGHT[0],
            clicks(first, NEW_MEMBERS, answered.min(2_000)),
        )
        .await;
        let agendas = round - click_count;
        let agenda = storm(fake, bot, agendas, IN_FLIGHT[0], |i| {
            slash_command(
                first + click_count + i,
                "agenda",
                json!([]),
                &Member::new(7, "bob"),
            )
        })
        .await;
        if !clicks.complete() || !agenda.complete() {
            eprintln!("the long run lost interactions");
            return None;
        }
        cpu += clicks.bot_cpu + agenda.bot_cpu;
        line += &format!(" {:.1}", rss_mib(bot.0.id()));
    }
    Some(
        line + &format!(
            "; bot CPU {:.0} µs per interaction",
            cpu * 1e6 / (round * 10) as f64
        ),
    )
}
