//! The engine's figures, measured through `handlers::handle` on seeded
//! associations: the read commands members and organizers use most, single
//! RSVP clicks, and RSVP storms on a full event, on SQLite (a temporary
//! file) and on PostgreSQL (a fresh database, dropped after).
//!
//! `cargo bench --bench engine` runs PRODUCT.md's scale (10,000 members,
//! 5,000 events, 200,000 RSVPs) on SQLite. Options after `--`:
//! - `--engines sqlite,postgres` (or `--engine postgres`): each engine in
//!   turn in this process, the tables side by side; PostgreSQL needs
//!   `RENCONTRE_BENCH_POSTGRES=postgres://…`, a server to create the
//!   database on.
//! - `--guilds 20`: after the one-association figures, 19 more associations
//!   of the same scale are seeded into the same database (server ids
//!   1..=20) and the commands are timed again in servers 1 and 20, with the
//!   storms in server 20: a server's costs beside everyone else's data.
//! - `--quick` (or `BENCH_QUICK=1`, or running the binary without cargo
//!   bench's `--bench` flag, as `cargo test --benches` does): a small
//!   association, 2 of them, few runs; on SQLite, and on PostgreSQL too when
//!   `RENCONTRE_TEST_POSTGRES` is set (as under CI, where a server that
//!   cannot be reached fails the run).
//! - `--save-db FILE` keeps a copy of the seeded SQLite database, for
//!   EXPLAIN QUERY PLAN.
//!
//! See BENCHMARKS.md.

mod calls;
mod commands;
mod config;
#[path = "../../tests/support/database.rs"]
#[allow(dead_code)] // shared with the tests
mod database;
mod stats;
mod storm;
mod tables;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use rencontre::state::{AppState, ManualClock};
use rencontre::store::seed::{self, Scale, Summary};
use rencontre::store::Db;

use crate::calls::ctx;
use crate::config::{Config, Engine};
use crate::database::TestDatabase;
use crate::stats::memory;
use crate::storm::storm;
use crate::tables::{Measured, Scope};

const SEED: u64 = 2013;

fn main() -> ExitCode {
    let config = match config::config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    let runtime = runtime
        .worker_threads(cores)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(config, cores))
}

async fn run(config: Config, cores: usize) -> ExitCode {
    let (mode, profile) = (["full", "quick"][usize::from(config.quick)], ["release", "debug"]);
    let profile = profile[usize::from(cfg!(debug_assertions))];
    let engines: Vec<&str> = config.engines.iter().map(Engine::name).collect();
    println!(
        "rencontre engine bench: {mode} mode, {profile} build, available_parallelism = {cores}, \
         engines {}, {} association(s)",
        engines.join(" + "),
        config.guilds
    );
    let mut all = Vec::new();
    for engine in &config.engines {
        match on_engine(&config, engine).await {
            Ok(measured) => all.push(measured),
            Err(error) => {
                eprintln!("FAILED on {}: {error:#}", engine.name());
                return ExitCode::FAILURE;
            }
        }
    }
    tables::print(&all, config.runs);
    let storms = all.iter().flat_map(|m| &m.scopes).flat_map(|s| &s.storms);
    if storms.into_iter().any(|st| !st.problems.is_empty()) {
        eprintln!("FAILED: a storm broke capacity or waitlist order");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// PostgreSQL plans from statistics; a host's autovacuum gathers them soon
/// after a bulk load, so they are gathered here before timing. SQLite plans
/// from the schema alone (the bot never runs `ANALYZE`: src/store/plans.rs).
async fn analyze(pool: &Db) -> anyhow::Result<()> {
    if let Db::Postgres(pool) = pool {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    Ok(())
}

/// Seeds server `guild`: what was written, and how long it took in s.
async fn seed_one(
    pool: &Db,
    guild: u64,
    scale: &Scale,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<(Summary, f64)> {
    let started = Instant::now();
    let summary = seed::generate(pool, guild, scale, SEED, now).await?;
    Ok((summary, started.elapsed().as_secs_f64()))
}

/// The commands timed in server `guild`, then the storms if `storms`.
async fn scope(
    config: &Config,
    state: &AppState,
    guild: u64,
    summary: &Summary,
    label: String,
    storms: bool,
) -> Scope {
    let lines = commands::timed(config, state, guild, summary).await;
    let mut done = Vec::new();
    if storms {
        let crowd = commands::crowd(state, guild).await;
        let organizer = ctx(guild, crowd[1].0, &crowd[1].1, true);
        for round in 0..=config.storms {
            done.push(storm(state, &organizer, &crowd, round).await);
        }
    }
    Scope {
        label,
        lines,
        storms: done,
    }
}

async fn on_engine(config: &Config, engine: &Engine) -> anyhow::Result<Measured> {
    let database = match engine {
        Engine::Sqlite => TestDatabase::sqlite(),
        Engine::Postgres(server) => TestDatabase::postgres_on(server).await,
    };
    let pool = rencontre::store::connect(&database.url).await?;
    let now = Utc::now();
    let scale = [Scale::default(), Scale::small()][usize::from(config.quick)];
    let mut notes = Vec::new();
    let (first, seconds) = seed_one(&pool, 1, &scale, now).await?;
    analyze(&pool).await?;
    println!(
        "{}: seeded server 1 with {scale:?}, seed {SEED}, in {seconds:.2} s:\n  {first:?}",
        engine.name()
    );
    notes.push(format!("seeding one association: {seconds:.2} s"));
    if let (Some(file), Engine::Sqlite) = (&config.save_db, engine) {
        let saved = rencontre::store::backup(&pool, std::path::Path::new(file)).await;
        println!("saved the seeded database to {file}: {saved:?}");
    }
    let state = AppState::new(pool.clone(), Arc::new(ManualClock::new(now)));
    let (rss_before, _) = memory();
    let mut scopes = vec![scope(config, &state, 1, &first, "1 association".into(), true).await];
    let (rss_after, peak) = memory();
    notes.push(format!(
        "VmRSS of the bench process {rss_before:.1} MiB before the one-association figures, \
         {rss_after:.1} MiB after; peak so far {peak:.1} MiB"
    ));
    let n = config.guilds;
    if n > 1 {
        // The same association again in every server (same seed, so server
        // n's data is server 1's as it was seeded): what differs is only
        // the other servers' rows around it.
        let started = Instant::now();
        let mut last = first.clone();
        for guild in 2..=n {
            last = seed_one(&pool, guild, &scale, now).await?.0;
        }
        analyze(&pool).await?;
        let seconds = started.elapsed().as_secs_f64();
        println!("{}: seeded servers 2..={n} in {seconds:.2} s", engine.name());
        notes.push(format!(
            "seeding servers 2..={n} (and ANALYZE on PostgreSQL): {seconds:.2} s"
        ));
        // Server 1 has the events its storms added; server n is untouched.
        let label = format!("{n} associations, server 1");
        scopes.push(scope(config, &state, 1, &first, label, false).await);
        let label = format!("{n} associations, server {n}");
        scopes.push(scope(config, &state, n, &last, label, true).await);
    }
    pool.close().await;
    drop(database);
    Ok(Measured {
        engine: engine.name(),
        scopes,
        notes,
    })
}
