//! The full path through the real serenity client and a fake Discord on
//! loopback, with the real binary: start-up time to READY, memory idle and
//! after a storm, and interaction dispatched → callback received for button
//! RSVPs and `/agenda` (p50, p99, interactions per second) with a fixed
//! number in flight. The bot runs pinned to one core when `taskset` exists.
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn spawn_bot(fake: &FakeDiscord, db: &str) -> Bot {
    let binary = env!("CARGO_BIN_EXE_rencontre");
    let pinned = Command::new("taskset")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut command = if pinned {
        let mut c = Command::new("taskset");
        c.args(["-c", "1", binary]);
        c
    } else {
        Command::new(binary)
    };
    let child = command
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

/// Sends `count` interactions built by `make`, at most `in_flight` at a
/// time; returns each one's dispatch → callback time, and the wall time.
async fn storm(
    fake: &Arc<FakeDiscord>,
    count: u64,
    in_flight: usize,
    make: impl Fn(u64) -> Value,
) -> (Vec<Duration>, Duration) {
    let gate = Arc::new(Semaphore::new(in_flight));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..count {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let interaction = make(i);
        let id = interaction["id"].as_str().unwrap().to_owned();
        let fake = fake.clone();
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            fake.send_interaction(interaction).await;
            let path = format!("/interactions/{id}/");
            let answered = fake.wait_for_call(|c| c.is("POST", &path), WAIT).await.is_some();
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
    (latencies, start.elapsed())
}

fn report(name: &str, latencies: &[Duration], wall: Duration, sent: u64) {
    println!(
        "{name:<28} {:>6}/{sent:<6} answered  p50 {:>8.2} ms  p99 {:>8.2} ms  {:>8.0} per s",
        latencies.len(),
        percentile(latencies, 0.5).as_secs_f64() * 1e3,
        percentile(latencies, 0.99).as_secs_f64() * 1e3,
        latencies.len() as f64 / wall.as_secs_f64(),
    );
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick") || !args.iter().any(|a| a == "--bench");
    let (clicks, agendas) = if quick { (200, 100) } else { (1_000, 2_000) };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        println!("e2e through serenity + fake Discord ({} mode, {cores} cores)", if quick { "quick" } else { "full" });
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("bench.db").display());
        let fake = Arc::new(FakeDiscord::start().await);

        let started = Instant::now();
        let bot = spawn_bot(&fake, &db);
        if !fake.wait_ready(WAIT).await {
            eprintln!("the bot did not connect");
            return ExitCode::FAILURE;
        }
        let ready = started.elapsed();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let idle = rss_mib(bot.0.id());

        let organizer = Member { permissions: MEMBER_PERMISSIONS | (1 << 33), ..Member::new(10, "alice") };
        let create = json!([{ "type": 1, "name": "create", "options": [
            { "type": 3, "name": "title", "value": "AG annuelle" },
            { "type": 3, "name": "when", "value": "dans 3 jours" },
            { "type": 4, "name": "capacity", "value": 50 } ] }]);
        fake.send_interaction(slash_command(1, "event", create, &organizer)).await;
        if fake.wait_for_call(|c| c.is("POST", "/interactions/1/"), WAIT).await.is_none() {
            eprintln!("the event was not created");
            return ExitCode::FAILURE;
        }
        let card = message_json(77, 100, "", json!([]));
        let (click_latencies, click_wall) = storm(&fake, clicks, 50, |i| {
            button(10_000 + i, "rsvp:v1:1:going", card.clone(), &Member::new(100_000 + i, "m"))
        })
        .await;
        let after_storm = rss_mib(bot.0.id());
        let (agenda_latencies, agenda_wall) =
            storm(&fake, agendas, 50, |i| slash_command(50_000 + i, "agenda", json!([]), &Member::new(7, "bob"))).await;
        let after_agenda = rss_mib(bot.0.id());
        drop(bot);

        let pool = rencontre::store::connect(&db).await.unwrap();
        let (seats, waitlisted): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'going' THEN 1 + guests END), 0), COALESCE(SUM(status = 'waitlisted'), 0) FROM rsvps",
        )
        .fetch_one(&pool)
        .await
        .unwrap();

        println!("start-up to READY            {:>8.0} ms", ready.as_secs_f64() * 1e3);
        report("button RSVP (50 in flight)", &click_latencies, click_wall, clicks);
        report("/agenda (50 in flight)", &agenda_latencies, agenda_wall, agendas);
        println!("memory (RSS)                 idle {idle:.1} MiB, after the storm {after_storm:.1} MiB, after /agenda {after_agenda:.1} MiB");
        println!("storm exactness              {seats} seats given of 50, {waitlisted} waitlisted");
        if let Ok(meta) = std::fs::metadata(env!("CARGO_BIN_EXE_rencontre")) {
            println!("binary size                  {:.1} MiB (this build's profile)", meta.len() as f64 / 1_048_576.0);
        }
        let complete = click_latencies.len() as u64 == clicks && agenda_latencies.len() as u64 == agendas;
        if seats != 50 || waitlisted != clicks as i64 - 50 || !complete {
            eprintln!("FAILED: every click must be answered, exactly 50 seats given, the rest waitlisted");
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    })
}
