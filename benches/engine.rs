//! The engine's figures, measured through `handlers::handle` on a seeded
//! association in a temporary SQLite file: the read commands members and
//! organizers use most, single RSVP clicks, and RSVP storms on a full event.
//!
//! `cargo bench --bench engine` runs PRODUCT.md's scale (10,000 members,
//! 5,000 events, 200,000 RSVPs). `-- --quick` (or `BENCH_QUICK=1`, or running
//! the binary without cargo bench's `--bench` flag, as `cargo test --benches`
//! does) uses a small association and few runs. `-- --save-db FILE` keeps a
//! copy of the seeded database, for EXPLAIN QUERY PLAN. See BENCHMARKS.md.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};
use chrono_tz::Europe::Paris;
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::http::web::Page;
use rencontre::reply::{Body, Effect, Reply};
use rencontre::state::{AppState, ManualClock};
use rencontre::store::seed::{self, Scale};

const GUILD: u64 = 1_175_000_000_000_000_001;
const SEED: u64 = 2013;
const STORM_CAPACITY: i64 = 50;

struct Config {
    quick: bool,
    /// At most this many timed runs per command, within `budget` (at least 5).
    runs: usize,
    budget: Duration,
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
    let (runs, budget, storms) = if quick { (20, 2, 1) } else { (300, 15, 5) };
    let budget = Duration::from_secs(budget);
    Config {
        quick,
        runs,
        budget,
        storms,
        save_db,
    }
}

fn ctx(user_id: u64, name: &str, organizer: bool) -> Context {
    let permissions = Permissions {
        manage_events: organizer,
        ..Default::default()
    };
    let (name, locale, roles) = (name.to_owned(), Some("en-GB".to_owned()), vec![]);
    let caller = Caller {
        user_id,
        name,
        locale,
        roles,
        permissions,
    };
    Context {
        guild_id: GUILD,
        channel_id: GUILD + 1,
        caller,
    }
}

fn command(command: CommandName, sub: Option<&str>, options: &[(&str, OptionValue)]) -> Invocation {
    let options = Options(options.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    Invocation::Command {
        command,
        sub: sub.map(str::to_owned),
        options,
    }
}

fn text(value: impl Into<String>) -> OptionValue {
    OptionValue::Str(value.into())
}

/// A reply that shows something (an embed, a file) or records an answer,
/// not a refusal.
fn succeeded(reply: &Reply) -> bool {
    let shows = match &reply.body {
        Body::Message(m) | Body::Update(m) => !m.embeds.is_empty() || !m.attachments.is_empty(),
        _ => false,
    };
    shows
        || reply
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RefreshCard { .. }))
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
    let at = |q: f64| {
        samples
            .get(((q * n as f64).ceil() as usize).clamp(1, n) - 1)
            .copied()
    };
    let (median, p99) = (at(0.5).unwrap_or_default(), at(0.99).unwrap_or_default());
    Stats {
        runs: samples.len(),
        median,
        p99,
        max: at(1.0).unwrap_or_default(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// Times `invocation` as `who`, after a warm-up, until `runs` or the budget.
async fn measure(state: &AppState, config: &Config, who: &Context, invocation: &Invocation) -> Stats {
    let mut samples = Vec::with_capacity(config.runs);
    let started = Instant::now();
    for i in 0..config.runs + 3 {
        let at = Instant::now();
        let reply = handlers::handle(state, who, invocation.clone()).await;
        if !succeeded(&reply) {
            eprintln!("FAILED: the handler refused: {reply:?}");
            std::process::exit(2);
        }
        if i >= 3 || at.elapsed() > config.budget / 50 {
            samples.push(at.elapsed());
        }
        if samples.len() >= 5 && started.elapsed() > config.budget {
            break;
        }
    }
    stats(samples)
}

async fn create_event(state: &AppState, organizer: &Context, title: &str, capacity: i64) -> i64 {
    let when = (state.now() + chrono::Duration::days(7)).with_timezone(&Paris);
    let options = [
        ("title", text(title)),
        ("when", text(when.format("%Y-%m-%d 18:30").to_string())),
        ("location", text("Nausicaá, Boulogne-sur-Mer")),
        ("capacity", OptionValue::Int(capacity)),
    ];
    let invocation = command(CommandName::Event, Some("create"), &options);
    let reply = handlers::handle(state, organizer, invocation).await;
    let created = reply.effects.iter().find_map(|e| match e {
        Effect::RefreshCard { event_id } => Some(*event_id),
        _ => None,
    });
    created.unwrap_or_else(|| panic!("the event was not created: {reply:?}"))
}

struct Storm {
    clicks: usize,
    wall: Duration,
    per_click: Stats,
    problems: Vec<String>,
}

/// Every member of `crowd` presses Going on a new event of capacity 50, all
/// at once (round > 0) or one after another (round 0); then the seats and the
/// waitlist are checked against commit order.
async fn storm(state: &AppState, organizer: &Context, crowd: &[(u64, String)], round: usize) -> Storm {
    let title = format!("Conférence 4G en entreprise, session {round}");
    let event = create_event(state, organizer, &title, STORM_CAPACITY).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(if round > 0 {
        crowd.len() + 1
    } else {
        1
    }));
    let (mut tasks, mut replies) = (Vec::new(), Vec::with_capacity(crowd.len()));
    let started = Instant::now();
    for (user, name) in crowd {
        let (state, barrier, who) = (state.clone(), barrier.clone(), ctx(*user, name, false));
        let click = async move {
            let custom_id = format!("rsvp:v1:{event}:going");
            if round > 0 {
                barrier.wait().await;
            }
            let started = Instant::now();
            let reply = handlers::handle(&state, &who, Invocation::Component { custom_id }).await;
            (who.caller.user_id, reply, started.elapsed())
        };
        match round {
            0 => replies.push(click.await),
            _ => tasks.push(tokio::spawn(click)),
        }
    }
    barrier.wait().await;
    let started = if round > 0 { Instant::now() } else { started };
    for task in tasks {
        replies.push(task.await.expect("a click panicked"));
    }
    let wall = started.elapsed();
    let sql =
        "SELECT user_id, status, guests, arrival_seq FROM rsvps WHERE event_id = $1 ORDER BY arrival_seq";
    let rows = rencontre::on_db!(state.pool, |db| sqlx::query_as::<_, (i64, String, i64, i64)>(sql)
        .bind(event)
        .fetch_all(db)
        .await)
    .expect("the storm's answers");
    let mut problems = Vec::new();
    let seats: i64 = rows.iter().filter(|r| r.1 == "going").map(|r| 1 + r.2).sum();
    let capacity = STORM_CAPACITY.min(crowd.len() as i64);
    if seats != capacity || rows.len() != crowd.len() {
        let stored = rows.len();
        problems.push(format!(
            "{seats} seats given for {capacity}, {stored} answers for {} clicks",
            crowd.len()
        ));
    }
    // arrival_seq is taken inside each click's write transaction, so it is the
    // commit order: the first 50 commits are seated, the rest queue in order.
    for (i, (user, status, _, seq)) in rows.iter().enumerate() {
        let expected = if (i as i64) < capacity {
            "going"
        } else {
            "waitlisted"
        };
        if *seq != i as i64 + 1 || status != expected {
            problems.push(format!(
                "commit {} (member {user}) is {status} with arrival {seq}",
                i + 1
            ));
        }
    }
    // Each member was told, as their click committed, the place they hold.
    for (user, reply, _) in &replies {
        let Some((_, status, _, seq)) = rows.iter().find(|r| r.0 as u64 == *user) else {
            problems.push(format!("member {user}'s click was not stored"));
            continue;
        };
        let told = match &reply.body {
            Body::Message(m) => m.content.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let place = told
            .split('#')
            .nth(1)
            .map(|s| s.chars().take_while(char::is_ascii_digit).collect());
        let expected = (status == "waitlisted").then(|| (seq - capacity).to_string());
        if !succeeded(reply) || place != expected {
            problems.push(format!(
                "member {user} ({status}, arrival {seq}) was told {told:?}"
            ));
        }
    }
    let per_click = stats(replies.iter().map(|r| r.2).collect());
    Storm {
        clicks: crowd.len(),
        wall,
        per_click,
        problems,
    }
}

fn main() -> ExitCode {
    let config = config();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    let runtime = runtime
        .worker_threads(cores)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(config, cores))
}

fn yes(ok: bool) -> &'static str {
    ["NO", "yes"][usize::from(ok)]
}

async fn run(config: Config, cores: usize) -> ExitCode {
    let (mode, profile) = (["full", "quick"][usize::from(config.quick)], ["release", "debug"]);
    let profile = profile[usize::from(cfg!(debug_assertions))];
    println!("rencontre engine bench: {mode} mode, {profile} build, available_parallelism = {cores}");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = rencontre::store::connect(&url).await.expect("the database");
    let now = Utc::now();
    let scale = [Scale::default(), Scale::small()][usize::from(config.quick)];
    let started = Instant::now();
    let summary = seed::generate(&pool, GUILD, &scale, SEED, now).await;
    let (summary, seeding) = (
        summary.expect("the seeded association"),
        started.elapsed().as_secs_f64(),
    );
    println!("seeded {scale:?} with seed {SEED} in {seeding:.2} s:\n  {summary:?}");
    if let Some(file) = &config.save_db {
        let saved = rencontre::store::backup(&pool, std::path::Path::new(file)).await;
        println!("saved the seeded database to {file}: {saved:?}");
    }
    let state = AppState::new(pool.clone(), Arc::new(ManualClock::new(now)));
    let sql = "SELECT user_id, name FROM introductions WHERE guild_id = $1 ORDER BY id LIMIT 1000";
    let rows = rencontre::on_db!(pool, |db| sqlx::query_as::<_, (i64, String)>(sql)
        .bind(GUILD as i64)
        .fetch_all(db)
        .await)
    .expect("members");
    let crowd: Vec<(u64, String)> = rows.into_iter().map(|(id, name)| (id as u64, name)).collect();
    let member = ctx(crowd[0].0, &crowd[0].1, false);
    let organizer = ctx(crowd[1].0, &crowd[1].1, true);
    let (s, c) = (&state, &config);
    let mut lines: Vec<(String, Stats, f64)> = Vec::new();
    let mut add = |what: String, stats: Stats, target: f64| lines.push((what, stats, target));

    let agenda = command(CommandName::Agenda, None, &[("period", text("all"))]);
    add(
        "/agenda period:all, page 1".into(),
        measure(s, c, &member, &agenda).await,
        10.0,
    );
    let (largest, n) = (summary.largest_event.to_string(), summary.largest_event_rsvps);
    let attendees = command(CommandName::Event, Some("attendees"), &[("event", text(largest))]);
    let what = format!("/event attendees ({n} answers), member");
    add(what, measure(s, c, &member, &attendees).await, 10.0);
    let what = format!("/event attendees ({n} answers), organizer + CSV");
    add(what, measure(s, c, &organizer, &attendees).await, 10.0);
    // The organizer's reply is the member's plus every answer read and the
    // CSV written: how much of it the reading is.
    let event_id = summary.largest_event;
    let mut samples = Vec::new();
    for _ in 0..50 {
        let at = Instant::now();
        let all = rencontre::store::rsvps::attendees::all(&pool, event_id).await;
        samples.push(at.elapsed());
        all.expect("the answers");
    }
    add(
        "  of which rsvps::attendees::all (SQL, every answer)".into(),
        stats(samples),
        10.0,
    );
    for word in [seed::COMMON_WORD, "referencement", seed::RARE_WORD] {
        let search = command(CommandName::Member, Some("search"), &[("query", text(word))]);
        add(
            format!("/member search {word}"),
            measure(s, c, &member, &search).await,
            10.0,
        );
    }
    for scope in ["all", "mine"] {
        let calendar = command(CommandName::Calendar, None, &[("scope", text(scope))]);
        add(
            format!("/calendar scope:{scope}"),
            measure(s, c, &member, &calendar).await,
            50.0,
        );
    }
    let year = now.with_timezone(&Paris).year() - 1;
    let report = command(
        CommandName::Report,
        None,
        &[("year", OptionValue::Int(year.into()))],
    );
    add(
        format!("/report year:{year}"),
        measure(s, c, &organizer, &report).await,
        50.0,
    );
    let mut samples = Vec::new();
    for _ in 0..20 {
        let at = Instant::now();
        let figures = rencontre::store::report::year(&pool, GUILD, year, Paris, now).await;
        samples.push(at.elapsed());
        figures.expect("the report's figures");
    }
    add(
        format!("  of which store::report::year {year} (SQL)"),
        stats(samples),
        50.0,
    );
    // The web agenda (issue 12): a page rendered from the database to its
    // HTML, as the HTTP handler does before adding its headers.
    let web = state.clone().with_feed_base("https://agenda.example.org");
    rencontre::store::public::set(&pool, GUILD, true, Some("bench"), "bench", "Bench", now)
        .await
        .expect("the database")
        .expect("a free slug");
    let (upcoming, _) = rencontre::store::public::upcoming(&pool, GUILD, now, 1, 0)
        .await
        .expect("the public events");
    let first = upcoming.first().map(|e| e.id).expect("an upcoming public event");
    for (what, page) in [
        (
            "web agenda /{slug}/, page 1",
            Page::Agenda {
                page: 1,
                embed: false,
            },
        ),
        ("web agenda /{slug}/events/{id}", Page::Event(first)),
        ("web agenda /{slug}/agenda.ics", Page::Feed),
    ] {
        let mut samples = Vec::new();
        for _ in 0..c.runs.min(100) {
            let at = Instant::now();
            let rendered = rencontre::http::web::render(&web, "bench", page, None).await;
            samples.push(at.elapsed());
            assert!(matches!(rendered, Ok(Some(_))), "{what}: {rendered:?}");
        }
        let target = if page == Page::Feed { 50.0 } else { 5.0 };
        add(what.into(), stats(samples), target);
    }
    // One member after another answers an open event (no contention).
    let event = create_event(s, &organizer, "Atelier référencement", 10_000).await;
    let mut samples = Vec::new();
    for (user, name) in &crowd {
        let custom_id = format!("rsvp:v1:{event}:going");
        let at = Instant::now();
        handlers::handle(s, &ctx(*user, name, false), Invocation::Component { custom_id }).await;
        samples.push(at.elapsed());
    }
    add(
        "RSVP button, one click at a time, open event".into(),
        stats(samples),
        50.0,
    );

    let (rss_before, _) = memory();
    let mut storms = Vec::new();
    for round in 0..=config.storms {
        storms.push(storm(s, &organizer, &crowd, round).await);
    }
    let (rss_after, peak) = memory();

    println!("\n| through handlers::handle | runs | median ms | p99 ms | max ms | target p99 | met |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    for (what, st, target) in &lines {
        let met = yes(st.p99.as_secs_f64() * 1e3 < *target);
        let (runs, median, p99, max) = (st.runs, ms(st.median), ms(st.p99), ms(st.max));
        println!("| {what} | {runs} | {median} | {p99} | {max} | < {target} ms | {met} |");
    }
    println!("\n| RSVP storm, capacity {STORM_CAPACITY} | clicks | wall ms | clicks/s | p50 ms | p99 ms | max ms | exact |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let mut rates = Vec::new();
    for (i, st) in storms.iter().enumerate() {
        let rate = st.clicks as f64 / st.wall.as_secs_f64();
        rates.extend((i > 0).then_some(rate));
        let (clicks, wall, exact) = (st.clicks, ms(st.wall), yes(st.problems.is_empty()));
        let (p50, p99, max) = (
            ms(st.per_click.median),
            ms(st.per_click.p99),
            ms(st.per_click.max),
        );
        let what = if i == 0 {
            "one at a time".to_owned()
        } else {
            format!("all at once #{i}")
        };
        println!("| {what} | {clicks} | {wall} | {rate:.0} | {p50} | {p99} | {max} | {exact} |");
        for problem in st.problems.iter().take(10) {
            println!("  VIOLATION: {problem}");
        }
    }
    rates.sort_by(f64::total_cmp);
    let median = rates.get(rates.len() / 2).copied().unwrap_or_default();
    println!(
        "median of the storms all at once: {median:.0} clicks/s over {} storms",
        rates.len()
    );
    println!("\nmemory of the whole bench process (tokio, 8 SQLite connections and their page caches):");
    println!("  VmRSS {rss_before:.1} MiB before the storms, {rss_after:.1} MiB after; peak {peak:.1} MiB");
    println!("seeding: {seeding:.2} s");
    if storms.iter().any(|st| !st.problems.is_empty()) {
        eprintln!("FAILED: a storm broke capacity or waitlist order");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
