//! The full path through the real serenity client and a fake Discord on
//! loopback, with the real binary: start-up time to READY, memory idle and
//! after a storm, and interaction dispatched → callback received for button
//! RSVPs and `/agenda` (p50, p99, interactions per second) with 50 in
//! flight. The bot runs pinned to one core and the harness to the other
//! when `taskset` exists and there are two cores.
//!
//! The same clicks are first sent to a **bare serenity bot** (this binary,
//! re-executed with `RENCONTRE_BENCH_BARE_BOT=1`) that answers every
//! interaction with a fixed private message and touches no database: the
//! ceiling this machine and this harness allow. Rencontre's figures are
//! given beside it as a ratio, which is steadier than absolute figures on a
//! shared machine.
//!
//! With `RENCONTRE_BENCH_BEFORE=/path/to/an/older/rencontre`, that build
//! gets the same storm and clicks first: before and after in one run.
//!
//! `cargo bench --bench e2e` (release); `-- --quick` or `cargo test --benches`
//! for a short run that checks the harness still works. See BENCHMARKS.md.

#[path = "../tests/support"]
mod support {
    pub mod fake_discord;
}

use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::fake_discord::*;
use tokio::sync::Semaphore;

const WAIT: Duration = Duration::from_secs(20);
const IN_FLIGHT: usize = 50;
const BARE_BOT: &str = "RENCONTRE_BENCH_BARE_BOT";
/// Path of an earlier `rencontre` binary to measure on the same clicks.
const BEFORE_BIN: &str = "RENCONTRE_BENCH_BEFORE";
/// `RENCONTRE_BENCH_LONG=1000000`: that many more interactions at the end,
/// the resident memory printed every tenth, to see whether it stays flat.
const LONG_RUN: &str = "RENCONTRE_BENCH_LONG";

struct Bot(Child);

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Resident set size of a process, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// CPU time (user + system) a process has used so far, in seconds. Linux
/// counts it in clock ticks of 1/100 s (`CLK_TCK`), so runs of a few
/// seconds give it to about 1 %.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Where a process's resident memory is: (anonymous, file-backed) MiB.
/// File-backed pages are the binary's code and data as far as it was read.
fn rss_split_mib(pid: u32) -> (f64, f64) {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    let anonymous = field("Anonymous:");
    (anonymous, field("Rss:") - anonymous)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn have_taskset() -> bool {
    Command::new("taskset")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `binary args…`, on core 1 when it can be pinned.
fn pinned(binary: &std::path::Path, pin: bool) -> Command {
    if pin {
        let mut c = Command::new("taskset");
        c.arg("-c").arg("1").arg(binary);
        c
    } else {
        Command::new(binary)
    }
}

fn spawn_rencontre(fake: &FakeDiscord, db: &str, pin: bool) -> Bot {
    spawn_binary(env!("CARGO_BIN_EXE_rencontre").as_ref(), fake, db, pin)
}

fn spawn_binary(binary: &std::path::Path, fake: &FakeDiscord, db: &str, pin: bool) -> Bot {
    let child = pinned(binary, pin)
        .arg("run")
        .env("DISCORD_TOKEN", "bench-token")
        .env("DISCORD_PROXY", fake.base_url())
        .env("DATABASE_URL", db)
        .env("RENCONTRE_GUILD", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bot starts");
    Bot(child)
}

fn spawn_bare(fake: &FakeDiscord, pin: bool) -> Bot {
    let me = std::env::current_exe().expect("this binary's path");
    let child = pinned(&me, pin)
        .env(BARE_BOT, fake.base_url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bare bot starts");
    Bot(child)
}

/// The baseline: serenity with an event handler that answers every
/// command and button with the same private text, nothing else.
fn run_bare_bot(proxy: &str) -> ExitCode {
    use serenity::all::{
        ClientBuilder, Context, CreateInteractionResponse, CreateInteractionResponseMessage, EventHandler,
        GatewayIntents, Interaction,
    };
    struct Bare;
    #[serenity::async_trait]
    impl EventHandler for Bare {
        async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
            let answer = CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new()
                    .content("Réponse enregistrée")
                    .ephemeral(true),
            );
            let _ = match interaction {
                Interaction::Component(i) => i.create_response(&ctx.http, answer).await,
                Interaction::Command(i) => i.create_response(&ctx.http, answer).await,
                _ => Ok(()),
            };
        }
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let token = rencontre::config::Secret::new("bench-token".into());
        let http = rencontre::discord::http_client(&token, Some(proxy));
        let Ok(mut client) = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
            .event_handler(Bare)
            .await
        else {
            return ExitCode::FAILURE;
        };
        match client.start().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        }
    })
}

struct Figures {
    latencies: Vec<Duration>,
    wall: Duration,
    sent: u64,
    /// CPU the bot used over the run, and the harness (this process).
    bot_cpu: f64,
    harness_cpu: f64,
}

impl Figures {
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }
    fn p(&self, p: f64) -> f64 {
        percentile(&self.latencies, p).as_secs_f64() * 1e3
    }
    fn complete(&self) -> bool {
        self.latencies.len() as u64 == self.sent
    }
    /// The bot's CPU per interaction, in µs: what a dedicated core would
    /// allow (1 s ÷ this), whatever the harness or the neighbours cost.
    fn bot_cpu_us(&self) -> f64 {
        self.bot_cpu * 1e6 / self.sent as f64
    }
    fn print(&self, name: &str) {
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
    }
}

/// Sends `count` interactions built by `make`, at most `in_flight` at a
/// time; returns each one's dispatch → callback time, and the wall time.
/// The first one is checked against serenity's model (the fake panics if
/// serenity would drop it); the rest have the same shape and go out raw,
/// so the harness spends its core on sending and receiving.
async fn storm(fake: &Arc<FakeDiscord>, bot: &Bot, count: u64, make: impl Fn(u64) -> Value) -> Figures {
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
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
    Figures {
        latencies,
        wall: start.elapsed(),
        sent: count,
        bot_cpu: cpu_seconds(bot.0.id()) - bot_cpu,
        harness_cpu: cpu_seconds(std::process::id()) - harness_cpu,
    }
}

const CARD: u64 = 77;

/// `count` clicks on *Going* of event 1 by members `first_member..`, cycling
/// over `members` of them.
fn clicks(first_id: u64, members: u64) -> impl Fn(u64) -> Value {
    let card = message_json(CARD, 100, "", json!([]));
    move |i| {
        button(
            first_id + i,
            "rsvp:v1:1:going",
            card.clone(),
            &Member::new(100_000 + i % members, "m"),
        )
    }
}

/// Creates the capacity-50 event as an organizer (interaction id 1).
async fn create_event(fake: &FakeDiscord) -> bool {
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
async fn clicks_on(
    binary: &std::ffi::OsStr,
    db: &std::path::Path,
    pin: bool,
    storm_clicks: u64,
    sustained_clicks: u64,
) -> Option<(Figures, Figures)> {
    let fake = Arc::new(FakeDiscord::start().await);
    let bot = spawn_binary(binary.as_ref(), &fake, &format!("sqlite://{}", db.display()), pin);
    if !fake.wait_ready(WAIT).await || !create_event(&fake).await {
        eprintln!("the earlier build did not connect or create the event");
        return None;
    }
    let storm_figures = storm(&fake, &bot, storm_clicks, clicks(10_000, storm_clicks)).await;
    let sustained = storm(&fake, &bot, sustained_clicks, clicks(1_000_000, 2_000)).await;
    Some((storm_figures, sustained))
}

/// With [`LONG_RUN`] set, more interactions in ten rounds (nine clicks for
/// one `/agenda`), the bot's RSS after each: a line to print.
async fn long_run(fake: &Arc<FakeDiscord>, bot: &Bot) -> Option<String> {
    let total: u64 = std::env::var(LONG_RUN).ok()?.parse().ok()?;
    let round = (total / 10).max(10);
    let mut line = format!("RSS over {total} more interactions (MiB, every {round})");
    let mut cpu = 0.0;
    for r in 0..10 {
        let first = 100_000_000 + r * round;
        let clicks = storm(fake, bot, round * 9 / 10, clicks(first, 2_000)).await;
        let agendas = round - round * 9 / 10;
        let agenda = storm(fake, bot, agendas, |i| {
            slash_command(first + round + i, "agenda", json!([]), &Member::new(7, "bob"))
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

/// Pins this process (the fake Discord and the harness) to core 0, away
/// from the bot on core 1.
fn pin_harness() -> bool {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores >= 2
        && have_taskset()
        && Command::new("taskset")
            .args(["-p", "-c", "0", &std::process::id().to_string()])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

fn main() -> ExitCode {
    if let Ok(proxy) = std::env::var(BARE_BOT) {
        return run_bare_bot(&proxy);
    }
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick") || !args.iter().any(|a| a == "--bench");
    let (storm_clicks, sustained_clicks, agendas) = if quick {
        (200, 400, 100)
    } else {
        (1_000, 20_000, 2_000)
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pin = pin_harness();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(if pin { 1 } else { 2 })
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        println!(
            "e2e through serenity + fake Discord ({} mode, {cores} cores, {})",
            if quick { "quick" } else { "full" },
            if pin { "bot on core 1, harness on core 0" } else { "not pinned" }
        );

        // The ceiling: a bare serenity bot, same harness, same clicks.
        let fake = Arc::new(FakeDiscord::start().await);
        let bare = spawn_bare(&fake, pin);
        if !fake.wait_ready(WAIT).await {
            eprintln!("the bare bot did not connect");
            return ExitCode::FAILURE;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let bare_idle = rss_mib(bare.0.id());
        let bare_split = rss_split_mib(bare.0.id());
        let bare_clicks = storm(&fake, &bare, sustained_clicks, clicks(1_000_000, 2_000)).await;
        drop(bare);
        drop(fake);

        let dir = tempfile::tempdir().unwrap();
        // An earlier build of the bot, for before/after figures in one run.
        let before = match std::env::var_os(BEFORE_BIN) {
            Some(binary) => match clicks_on(&binary, &dir.path().join("before.db"), pin, storm_clicks, sustained_clicks).await {
                Some(figures) => Some(figures),
                None => return ExitCode::FAILURE,
            },
            None => None,
        };

        let db = format!("sqlite://{}", dir.path().join("bench.db").display());
        let fake = Arc::new(FakeDiscord::start().await);
        let started = Instant::now();
        let bot = spawn_rencontre(&fake, &db, pin);
        if !fake.wait_ready(WAIT).await {
            eprintln!("the bot did not connect");
            return ExitCode::FAILURE;
        }
        let ready = started.elapsed();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let idle = rss_mib(bot.0.id());
        let idle_split = rss_split_mib(bot.0.id());

        if !create_event(&fake).await {
            eprintln!("the event was not created");
            return ExitCode::FAILURE;
        }
        // 1,000 members press Going at once on capacity 50 …
        let storm_figures = storm(&fake, &bot, storm_clicks, clicks(10_000, storm_clicks)).await;
        let after_storm = rss_mib(bot.0.id());
        // … then keep pressing (already going or already waiting), as long
        // as the bare bot's run.
        let sustained = storm(&fake, &bot, sustained_clicks, clicks(1_000_000, 2_000)).await;
        let agenda = storm(&fake, &bot, agendas, |i| slash_command(5_000_000 + i, "agenda", json!([]), &Member::new(7, "bob"))).await;
        let after_agenda = rss_mib(bot.0.id());
        let long_run = long_run(&fake, &bot).await;
        if std::env::var_os(LONG_RUN).is_some() && long_run.is_none() {
            return ExitCode::FAILURE;
        }
        drop(bot);

        let pool = rencontre::store::connect(&db).await.unwrap();
        let (seats, waitlisted): (i64, i64) = rencontre::on_db!(&pool, |db| sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'going' THEN 1 + guests END), 0), COALESCE(SUM(status = 'waitlisted'), 0) FROM rsvps",
        )
        .fetch_one(db)
        .await)
        .unwrap();
        let first_seated: i64 = rencontre::on_db!(&pool, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM rsvps WHERE status = 'going' AND arrival_seq <= 50",
        )
        .fetch_one(db)
        .await)
        .unwrap();

        println!("start-up to READY                    {:>7.0} ms", ready.as_secs_f64() * 1e3);
        bare_clicks.print("bare serenity bot, button clicks");
        if let Some((storm_before, clicks_before)) = &before {
            storm_before.print("before: storm on capacity 50");
            clicks_before.print("before: button clicks");
        }
        storm_figures.print("Rencontre, storm on capacity 50");
        sustained.print("Rencontre, button clicks");
        agenda.print("Rencontre, /agenda");
        println!(
            "Rencontre ÷ bare serenity            clicks/s {:.2}, p99 {:.2}×, bot CPU per click {:.2}×",
            sustained.per_second() / bare_clicks.per_second(),
            sustained.p(0.99) / bare_clicks.p(0.99),
            sustained.bot_cpu_us() / bare_clicks.bot_cpu_us(),
        );
        if let Some((_, clicks_before)) = &before {
            println!(
                "after ÷ before                       clicks/s {:.2}, bot CPU per click {:.2}×",
                sustained.per_second() / clicks_before.per_second(),
                sustained.bot_cpu_us() / clicks_before.bot_cpu_us(),
            );
        }
        println!(
            "on a core of its own (1 s ÷ bot CPU)  bare serenity {:.0} clicks/s, Rencontre {:.0} clicks/s",
            1e6 / bare_clicks.bot_cpu_us(),
            1e6 / sustained.bot_cpu_us(),
        );
        println!("memory (RSS)                         bare serenity idle {bare_idle:.1} MiB; Rencontre idle {idle:.1} MiB, after the storm {after_storm:.1} MiB, at the end {after_agenda:.1} MiB");
        println!(
            "idle RSS, anonymous + file-backed    bare serenity {:.1} + {:.1} MiB; Rencontre {:.1} + {:.1} MiB",
            bare_split.0, bare_split.1, idle_split.0, idle_split.1
        );
        if let Some(line) = &long_run {
            println!("{line}");
        }
        println!("storm exactness                      {seats} seats given of 50 (first 50 arrivals: {first_seated}), {waitlisted} waitlisted");
        if let Ok(meta) = std::fs::metadata(env!("CARGO_BIN_EXE_rencontre")) {
            println!("binary size                          {:.1} MiB (this build's profile)", meta.len() as f64 / 1_048_576.0);
        }
        // The sustained clicks and the long run cycle over 2,000 members.
        let cycled = if long_run.is_some() { 2_000 } else { sustained_clicks.min(2_000) };
        let members = storm_clicks.max(cycled) as i64;
        let complete = [&bare_clicks, &storm_figures, &sustained, &agenda].iter().all(|f| f.complete());
        if seats != 50 || first_seated != 50 || waitlisted != members - 50 || !complete {
            eprintln!("FAILED: every click must be answered, exactly 50 seats given to the first 50, the rest waitlisted");
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    })
}
