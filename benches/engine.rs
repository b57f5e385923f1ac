//! The engine's figures, measured through `handlers::handle` on a seeded
//! association in a temporary SQLite file: the read commands members and
//! organizers use most, and an RSVP storm on one full event.
//!
//! `cargo bench --bench engine` runs PRODUCT.md's scale (10,000 members,
//! 5,000 events, 200,000 RSVPs). `--quick` (or `BENCH_QUICK=1`, or running
//! the binary without cargo bench's `--bench` flag, as `cargo test --benches`
//! does) uses a small association and few runs. `--save-db FILE` keeps a copy
//! of the seeded database (for EXPLAIN QUERY PLAN). See BENCHMARKS.md.

#[path = "../src/seed.rs"]
mod seed;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::reply::{Body, Effect, Reply};
use rencontre::state::{AppState, ManualClock};
use seed::Scale;
use sqlx::SqlitePool;

const GUILD: u64 = 1_175_000_000_000_000_001;
const SEED: u64 = 2013;
const STORM_CAPACITY: i64 = 50;

struct Config {
    quick: bool,
    runs: usize,
    storms: usize,
    save_db: Option<String>,
}

fn config() -> Config {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1")
        || !args.iter().any(|a| a == "--bench");
    let save_db = args
        .iter()
        .position(|a| a == "--save-db")
        .and_then(|i| args.get(i + 1).cloned());
    let (runs, storms) = if quick { (20, 1) } else { (300, 5) };
    Config {
        quick,
        runs,
        storms,
        save_db,
    }
}

fn ctx(user_id: u64, name: &str, organizer: bool) -> Context {
    Context {
        guild_id: GUILD,
        channel_id: GUILD + 1,
        caller: Caller {
            user_id,
            name: name.to_owned(),
            locale: Some("en-GB".into()),
            roles: vec![],
            permissions: Permissions {
                manage_events: organizer,
                ..Default::default()
            },
        },
    }
}

fn command(command: CommandName, sub: Option<&str>, options: &[(&str, OptionValue)]) -> Invocation {
    Invocation::Command {
        command,
        sub: sub.map(str::to_owned),
        options: Options(options.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()),
    }
}

fn text(value: impl Into<String>) -> OptionValue {
    OptionValue::Str(value.into())
}

/// A reply that shows something (an embed or a file), not a refusal.
fn shows_something(reply: &Reply) -> bool {
    match &reply.body {
        Body::Message(m) | Body::Update(m) => !m.embeds.is_empty() || !m.attachments.is_empty(),
        _ => false,
    }
}

fn private_text(reply: &Reply) -> String {
    match &reply.body {
        Body::Message(m) => m.content.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Resident and peak resident memory of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name));
        let kib = line.and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok());
        kib.unwrap_or(f64::NAN) / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

struct Stats {
    runs: usize,
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let n = samples.len().max(1);
    let at = |q: f64| samples[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
    Stats {
        runs: samples.len(),
        median: at(0.5),
        p99: at(0.99),
        max: samples.last().copied().unwrap_or_default(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// A table row: what, figures, target, met.
struct Line {
    what: String,
    stats: Stats,
    target_ms: f64,
}

async fn measure(state: &AppState, runs: usize, who: &Context, make: impl Fn(usize) -> Invocation) -> Stats {
    for i in 0..3 {
        handlers::handle(state, who, make(i)).await;
    }
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let invocation = make(i);
        let started = Instant::now();
        let reply = handlers::handle(state, who, invocation).await;
        samples.push(started.elapsed());
        let ok = shows_something(&reply)
            || reply
                .effects
                .iter()
                .any(|e| matches!(e, Effect::RefreshCard { .. }));
        if !ok {
            eprintln!("FAILED: a handler refused: {reply:?}");
            std::process::exit(2);
        }
    }
    stats(samples)
}

async fn members(pool: &SqlitePool, limit: i64) -> Vec<(u64, String)> {
    let sql = "SELECT user_id, name FROM introductions WHERE guild_id = ? ORDER BY id LIMIT ?";
    let rows: Vec<(i64, String)> = sqlx::query_as(sql)
        .bind(GUILD as i64)
        .bind(limit)
        .fetch_all(pool)
        .await
        .unwrap_or_default();
    rows.into_iter().map(|(id, name)| (id as u64, name)).collect()
}

async fn create_event(state: &AppState, organizer: &Context, title: &str, capacity: i64) -> i64 {
    let when = (state.now() + chrono::Duration::days(7)).with_timezone(&chrono_tz::Europe::Paris);
    let options = [
        ("title", text(title)),
        ("when", text(when.format("%Y-%m-%d 18:30").to_string())),
        ("location", text("Nausicaá, Boulogne-sur-Mer")),
        ("capacity", OptionValue::Int(capacity)),
    ];
    let reply = handlers::handle(
        state,
        organizer,
        command(CommandName::Event, Some("create"), &options),
    )
    .await;
    let created = reply.effects.iter().find_map(|e| match e {
        Effect::RefreshCard { event_id } => Some(*event_id),
        _ => None,
    });
    created.unwrap_or_else(|| panic!("the storm's event was not created: {reply:?}"))
}

struct Storm {
    clicks: usize,
    wall: Duration,
    per_click: Stats,
    problems: Vec<String>,
}

/// Every member in `clickers` presses Going at once on a new event of
/// capacity 50; then checks the seats and the waitlist against commit order.
async fn storm(state: &AppState, organizer: &Context, clickers: &[(u64, String)], round: usize) -> Storm {
    let event = create_event(
        state,
        organizer,
        &format!("Conférence 4G en entreprise, session {round}"),
        STORM_CAPACITY,
    )
    .await;
    let barrier = Arc::new(tokio::sync::Barrier::new(clickers.len() + 1));
    let mut tasks = Vec::with_capacity(clickers.len());
    for (user, name) in clickers {
        let (state, barrier, who) = (state.clone(), barrier.clone(), ctx(*user, name, false));
        tasks.push(tokio::spawn(async move {
            let custom_id = format!("rsvp:v1:{event}:going");
            barrier.wait().await;
            let started = Instant::now();
            let reply = handlers::handle(&state, &who, Invocation::Component { custom_id }).await;
            (who.caller.user_id, reply, started.elapsed())
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        replies.push(task.await.expect("a click panicked"));
    }
    let wall = started.elapsed();
    let mut problems = Vec::new();
    let sql =
        "SELECT user_id, status, guests, arrival_seq FROM rsvps WHERE event_id = ? ORDER BY arrival_seq";
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(sql)
        .bind(event)
        .fetch_all(&state.pool)
        .await
        .unwrap();
    let seats: i64 = rows.iter().filter(|r| r.1 == "going").map(|r| 1 + r.2).sum();
    let expected_seats = STORM_CAPACITY.min(clickers.len() as i64);
    if seats != expected_seats {
        problems.push(format!("{seats} seats given for a capacity of {STORM_CAPACITY}"));
    }
    if rows.len() != clickers.len() {
        problems.push(format!(
            "{} answers stored for {} clicks",
            rows.len(),
            clickers.len()
        ));
    }
    // arrival_seq is taken inside each click's write transaction: it is the
    // commit order. The first 50 commits get the seats, the rest queue in order.
    for (i, (user, status, _, seq)) in rows.iter().enumerate() {
        let expected = if (i as i64) < expected_seats {
            "going"
        } else {
            "waitlisted"
        };
        if *seq != i as i64 + 1 || status != expected {
            problems.push(format!(
                "commit #{} (member {user}) is {status} with arrival {seq}",
                i + 1
            ));
        }
    }
    for (user, reply, _) in &replies {
        let answered = reply
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RefreshCard { .. }));
        let Some(row) = rows.iter().find(|r| r.0 as u64 == *user) else {
            problems.push(format!("member {user}'s click was not stored"));
            continue;
        };
        let told = private_text(reply);
        let place = told
            .split('#')
            .nth(1)
            .map(|s| s.chars().take_while(char::is_ascii_digit).collect::<String>());
        let expected = (row.1 == "waitlisted").then(|| (row.3 - expected_seats).to_string());
        if !answered || place != expected {
            problems.push(format!(
                "member {user} ({}, arrival {}) was told {told:?}",
                row.1, row.3
            ));
        }
    }
    let per_click = stats(replies.iter().map(|r| r.2).collect());
    Storm {
        clicks: clickers.len(),
        wall,
        per_click,
        problems,
    }
}

fn main() -> ExitCode {
    let config = config();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build();
    let runtime = runtime.expect("a tokio runtime");
    runtime.block_on(run(config, cores))
}

async fn run(config: Config, cores: usize) -> ExitCode {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mode = if config.quick { "quick" } else { "full" };
    println!("rencontre engine bench: {mode} mode, {profile} build, available_parallelism = {cores}");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = rencontre::store::connect(&url).await.expect("the database");
    let now = Utc::now();
    let scale = if config.quick {
        Scale::small()
    } else {
        Scale::default()
    };
    let started = Instant::now();
    let summary = seed::generate(&pool, GUILD, &scale, SEED, now)
        .await
        .expect("the seeded association");
    let seeding = started.elapsed();
    println!(
        "seeded {scale:?} (seed {SEED}) in {:.2} s: {summary:?}",
        seeding.as_secs_f64()
    );
    if let Some(file) = &config.save_db {
        rencontre::store::backup(&pool, std::path::Path::new(file))
            .await
            .expect("a copy of the database");
        println!("saved the seeded database to {file}");
    }
    let state = AppState::new(pool.clone(), Arc::new(ManualClock::new(now)));
    let crowd = members(&pool, 1_000).await;
    let (user, name) = crowd[0].clone();
    let (member, organizer) = (ctx(user, &name, false), ctx(crowd[1].0, &crowd[1].1, true));
    let largest = summary.largest_event.to_string();
    let year = now.with_timezone(&chrono_tz::Europe::Paris).year() - 1;
    let runs = config.runs;
    let s = &state;
    let mut lines = Vec::new();
    let mut line = |what: String, stats: Stats, target_ms: f64| {
        lines.push(Line {
            what,
            stats,
            target_ms,
        })
    };

    let agenda = command(CommandName::Agenda, None, &[("period", text("all"))]);
    line(
        "/agenda period:all, page 1".into(),
        measure(s, runs, &member, |_| agenda.clone()).await,
        10.0,
    );
    let n = summary.largest_event_rsvps;
    let attendees = command(
        CommandName::Event,
        Some("attendees"),
        &[("event", text(&largest))],
    );
    let figures = measure(s, runs, &member, |_| attendees.clone()).await;
    line(format!("/event attendees ({n} answers), member"), figures, 10.0);
    let figures = measure(s, runs, &organizer, |_| attendees.clone()).await;
    line(
        format!("/event attendees ({n} answers), organizer + CSV"),
        figures,
        10.0,
    );
    for word in [seed::COMMON_WORD, "referencement", seed::RARE_WORD] {
        let search = command(CommandName::Member, Some("search"), &[("query", text(word))]);
        line(
            format!("/member search {word}"),
            measure(s, runs, &member, |_| search.clone()).await,
            10.0,
        );
    }
    for scope in ["all", "mine"] {
        let calendar = command(CommandName::Calendar, None, &[("scope", text(scope))]);
        line(
            format!("/calendar scope:{scope}"),
            measure(s, runs, &member, |_| calendar.clone()).await,
            50.0,
        );
    }
    let report = command(
        CommandName::Report,
        None,
        &[("year", OptionValue::Int(i64::from(year)))],
    );
    line(
        format!("/report year:{year}"),
        measure(s, runs, &organizer, |_| report.clone()).await,
        50.0,
    );
    let event = create_event(s, &organizer, "Atelier référencement", 10_000).await;
    let click = |i: usize| Invocation::Component {
        custom_id: format!("rsvp:v1:{event}:{}", ["going", "maybe"][i / crowd.len() % 2]),
    };
    let mut samples = Vec::new();
    for i in 0..runs.max(crowd.len()) {
        let (user, name) = &crowd[i % crowd.len()];
        let started = Instant::now();
        handlers::handle(s, &ctx(*user, name, false), click(i)).await;
        samples.push(started.elapsed());
    }
    line("RSVP button, one click at a time".into(), stats(samples), 50.0);

    let (rss_before, _) = memory();
    let mut storms = Vec::new();
    for round in 1..=config.storms {
        storms.push(storm(s, &organizer, &crowd, round).await);
    }
    let (rss_after, peak) = memory();

    println!(
        "\n| measured through handlers::handle | runs | median ms | p99 ms | max ms | target p99 | met |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|");
    for l in &lines {
        let met = if l.stats.p99.as_secs_f64() * 1e3 < l.target_ms {
            "yes"
        } else {
            "NO"
        };
        let (median, p99, max) = (ms(l.stats.median), ms(l.stats.p99), ms(l.stats.max));
        println!(
            "| {} | {} | {median} | {p99} | {max} | < {} ms | {met} |",
            l.what, l.stats.runs, l.target_ms
        );
    }
    println!(
        "\n| RSVP storm | clickers | capacity | wall ms | clicks/s | p50 ms | p99 ms | max ms | exact |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut failed = false;
    for (i, st) in storms.iter().enumerate() {
        let rate = st.clicks as f64 / st.wall.as_secs_f64();
        let exact = if st.problems.is_empty() { "yes" } else { "NO" };
        let (wall, p50, p99, max) = (
            ms(st.wall),
            ms(st.per_click.median),
            ms(st.per_click.p99),
            ms(st.per_click.max),
        );
        println!(
            "| #{} | {} | {STORM_CAPACITY} | {wall} | {rate:.0} | {p50} | {p99} | {max} | {exact} |",
            i + 1,
            st.clicks
        );
        for problem in st.problems.iter().take(10) {
            println!("  VIOLATION: {problem}");
        }
        failed |= !st.problems.is_empty();
    }
    let mut rates: Vec<f64> = storms
        .iter()
        .map(|st| st.clicks as f64 / st.wall.as_secs_f64())
        .collect();
    rates.sort_by(f64::total_cmp);
    if let Some(median) = rates.get(rates.len() / 2) {
        println!(
            "median storm rate: {median:.0} clicks/s over {} storms",
            rates.len()
        );
    }
    println!("\nmemory (whole bench process, seeded DB caches included): VmRSS before the storms {rss_before:.1} MiB, after {rss_after:.1} MiB; peak VmHWM {peak:.1} MiB");
    println!("seeding: {:.2} s", seeding.as_secs_f64());
    if failed {
        eprintln!("FAILED: the storm broke capacity or waitlist order");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
