//! Shards over processes, measured (issue 16), with the real binary on
//! PostgreSQL against the fake Discord, which refuses an IDENTIFY that
//! comes less than 5 s after another of its bucket:
//!
//! - time from start to every shard READY, for 1, 4 and 16 shards with
//!   `max_concurrency` 1 and 16 (one process runs what `/gateway/bot`
//!   recommends; its IDENTIFYs take turns through the database);
//! - clicks per second through serenity, 50 in flight, on two servers of
//!   two shards: one process running both shards, then two processes
//!   running one each (`--shards 0-0/2`, `--shards 1-1/2`).
//!
//! `cargo bench --bench shards` with `RENCONTRE_BENCH_POSTGRES=postgres://…`
//! (a database is made there for each run and dropped after); `-- --quick`,
//! or `cargo test --benches`, runs a short version on `RENCONTRE_TEST_POSTGRES`
//! (CI sets it) and says so when neither is set. See BENCHMARKS.md.

#[path = "../tests/support"]
#[allow(dead_code)] // the fake Discord only
mod support {
    pub mod fake_discord;
}
#[path = "../tests/support/database.rs"]
#[allow(dead_code)] // shared with the tests
mod database;

use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::fake_discord::*;
use tokio::sync::Semaphore;

const IN_FLIGHT: usize = 50;
const WAIT: Duration = Duration::from_secs(30);

/// `rencontre run`, killed on drop.
struct Bot(Child);

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(fake: &FakeDiscord, db: &str, shards: Option<&str>) -> Bot {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rencontre"));
    command
        .arg("run")
        .env("DISCORD_TOKEN", "bench-token")
        .env("DISCORD_PROXY", fake.base_url())
        .env("DATABASE_URL", db)
        .env("RENCONTRE_GUILD", "1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(range) = shards {
        command.env("RENCONTRE_SHARDS", range);
    }
    Bot(command.spawn().expect("the bot starts"))
}

/// CPU seconds (user + system) of process `pid`, from `/proc/PID/stat`.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

struct Ready {
    elapsed: Duration,
    refused: usize,
}

/// One process, `shards` recommended, `max_concurrency` buckets: from the
/// spawn to every shard READY.
async fn time_to_ready(server: &str, shards: u32, max_concurrency: u32) -> Result<Ready, String> {
    let fake = FakeDiscord::start().await;
    fake.set_sharding(shards, max_concurrency);
    fake.enforce_identify_limit();
    let db = database::TestDatabase::postgres_on(server).await;
    // Migrated first, so that the figure is the gateway's, not the schema's.
    rencontre::store::connect(&db.url)
        .await
        .map_err(|e| e.to_string())?
        .close()
        .await;
    let start = Instant::now();
    let _bot = spawn(&fake, &db.url, None);
    let patience = Duration::from_secs(60) + Duration::from_millis(5_500) * shards;
    fake.wait_shards_ready(shards, patience).await.ok_or_else(|| {
        format!("{shards} shards (max_concurrency {max_concurrency}) not READY within {patience:?}")
    })?;
    Ok(Ready {
        elapsed: start.elapsed(),
        refused: fake.refused_identifies(),
    })
}

struct Clicks {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    answered: usize,
    cpu_us_per_click: f64,
}

/// The server on shard `shard` of 2.
fn server_on(shard: u32) -> u64 {
    if shard == 0 {
        FakeDiscord::GUILD_ID
    } else {
        1 << 22
    }
}

/// `count` clicks on two events, one in each server, 50 in flight, through
/// the processes running `ranges` (all of 2 shards between them).
async fn clicks(server: &str, ranges: &[&str], count: u64) -> Result<Clicks, String> {
    let fake = Arc::new(FakeDiscord::start().await);
    fake.set_sharding(2, 1);
    fake.add_guild(server_on(1));
    let db = database::TestDatabase::postgres_on(server).await;
    rencontre::store::connect(&db.url)
        .await
        .map_err(|e| e.to_string())?
        .close()
        .await;
    let bots: Vec<Bot> = ranges.iter().map(|r| spawn(&fake, &db.url, Some(r))).collect();
    fake.wait_shards_ready(2, Duration::from_secs(60))
        .await
        .ok_or("the two shards did not come up")?;
    let mut cards = Vec::new();
    for shard in 0..2 {
        cards.push(create_event(&fake, &db.url, server_on(shard)).await?);
    }
    let cpu_before: f64 = bots.iter().map(|b| cpu_seconds(b.0.id())).sum();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..count {
        let permit = gate.clone().acquire_owned().await.map_err(|e| e.to_string())?;
        let (event, card) = cards[(i % 2) as usize];
        let server = server_on((i % 2) as u32);
        let id = 9_000_000 + i;
        let member = Member::new(100_000 + i, "m");
        let card = message_json(card, 100, "", json!([]));
        let click = interaction_in_guild(
            button(id, &format!("rsvp:v1:{event}:going"), card, &member),
            server,
        );
        let fake = fake.clone();
        tasks.push(tokio::spawn(async move {
            let answered = fake.callback_arrival(&id.to_string());
            let sent = Instant::now();
            fake.send_interaction(click).await;
            let answered = tokio::time::timeout(WAIT, answered)
                .await
                .is_ok_and(|r| r.is_ok());
            drop(permit);
            answered.then(|| sent.elapsed())
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        if let Some(latency) = task.await.map_err(|e| e.to_string())? {
            latencies.push(latency);
        }
    }
    let wall = start.elapsed();
    let cpu: f64 = bots.iter().map(|b| cpu_seconds(b.0.id())).sum::<f64>() - cpu_before;
    latencies.sort();
    let at = |p: f64| {
        latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
    };
    let ms = |d: Option<&Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1_000.0);
    Ok(Clicks {
        per_second: latencies.len() as f64 / wall.as_secs_f64(),
        p50_ms: ms(at(0.50)),
        p99_ms: ms(at(0.99)),
        answered: latencies.len(),
        cpu_us_per_click: cpu * 1e6 / count as f64,
    })
}

/// `/event create` (capacity 50) in `server` through the bot; (event, card).
async fn create_event(fake: &FakeDiscord, db: &str, server: u64) -> Result<(i64, u64), String> {
    let organizer = Member {
        roles: vec![ROLE_ORGANIZERS],
        permissions: MEMBER_PERMISSIONS | (1 << 33),
        ..Member::new(10, "alice")
    };
    let create: Value = json!([{ "type": 1, "name": "create", "options": [
        { "type": 3, "name": "title", "value": "Rencontres numériques" },
        { "type": 3, "name": "when", "value": "dans 3 jours" },
        { "type": 4, "name": "capacity", "value": 50 } ] }]);
    let id = 8_000_000 + server % 1_000;
    let created = fake.callback_arrival(&id.to_string());
    let command = interaction_in_guild(slash_command(id, "event", create, &organizer), server);
    fake.send_interaction(command).await;
    tokio::time::timeout(WAIT, created)
        .await
        .map_err(|_| format!("/event create in {server} not answered"))?
        .map_err(|e| e.to_string())?;
    let pool = rencontre::store::connect(db).await.map_err(|e| e.to_string())?;
    let deadline = Instant::now() + WAIT;
    loop {
        let found: Option<(i64, Option<i64>)> = rencontre::on_db!(&pool, |p| sqlx::query_as(
            "SELECT id, card_message_id FROM events WHERE guild_id = $1"
        )
        .bind(server as i64)
        .fetch_optional(p)
        .await)
        .map_err(|e| e.to_string())?;
        if let Some((event, Some(card))) = found {
            pool.close().await;
            return Ok((event, card as u64));
        }
        if Instant::now() > deadline {
            return Err(format!("no card for the event of server {server}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick") || !args.iter().any(|a| a == "--bench");
    let variable = if quick {
        "RENCONTRE_TEST_POSTGRES"
    } else {
        "RENCONTRE_BENCH_POSTGRES"
    };
    let Some(server) = std::env::var(variable).ok().filter(|v| !v.is_empty()) else {
        if quick {
            println!("shards bench: {variable} is not set, nothing measured (it needs PostgreSQL)");
            return ExitCode::SUCCESS;
        }
        eprintln!("shards bench: set {variable}=postgres://… (a database is made there and dropped after)");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async move {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!("shards bench: {} mode, {cores} cores", if quick { "quick" } else { "full" });
        let mut failed = false;
        let layouts: &[(u32, u32)] = if quick { &[(1, 1), (2, 2)] } else { &[(1, 1), (1, 16), (4, 1), (4, 16), (16, 1), (16, 16)] };
        println!("\n| shards | max_concurrency | start to all READY | refused IDENTIFYs |\n|---:|---:|---:|---:|");
        for &(shards, max_concurrency) in layouts {
            match time_to_ready(&server, shards, max_concurrency).await {
                Ok(ready) => {
                    failed |= ready.refused > 0;
                    println!("| {shards} | {max_concurrency} | {:.1} s | {} |", ready.elapsed.as_secs_f64(), ready.refused);
                }
                Err(error) => {
                    failed = true;
                    println!("| {shards} | {max_concurrency} | failed: {error} | |");
                }
            }
        }
        let count = if quick { 200 } else { 2_000 };
        println!("\n| {count} clicks, 2 servers on 2 shards | clicks/s | p50 ms | p99 ms | bot CPU µs/click | answered |\n|---|---:|---:|---:|---:|---:|");
        for (name, ranges) in [("one process, shards 0-1/2", vec!["0-1/2"]), ("two processes, 0-0/2 and 1-1/2", vec!["0-0/2", "1-1/2"])] {
            match clicks(&server, &ranges, count).await {
                Ok(c) => {
                    failed |= c.answered as u64 != count;
                    println!(
                        "| {name} | {:.0} | {:.1} | {:.1} | {:.0} | {}/{count} |",
                        c.per_second, c.p50_ms, c.p99_ms, c.cpu_us_per_click, c.answered
                    );
                }
                Err(error) => {
                    failed = true;
                    println!("| {name} | failed: {error} | | | | |");
                }
            }
        }
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    })
}
