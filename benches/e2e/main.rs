//! The full path through the real serenity client and a fake Discord on
//! loopback, with the real binary: start-up time to READY, memory idle and
//! after a storm, and interaction dispatched → callback received for button
//! RSVPs at 50, 10 and 1 in flight (a new member per click, after a
//! warm-up) and `/agenda` (p50, p99, interactions per second). The bot runs pinned to one core and the harness to the other
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
//! `-- --engines sqlite,postgres`: Rencontre on SQLite and on PostgreSQL
//! in the same run, one process each on a fresh database (PostgreSQL's
//! made on the server `RENCONTRE_BENCH_POSTGRES` names, dropped after).
//!
//! `cargo bench --bench e2e` (release); `-- --quick` or `cargo test --benches`
//! for a short run that checks the harness still works (on PostgreSQL too
//! when `RENCONTRE_TEST_POSTGRES` is set, as under CI). See BENCHMARKS.md.

#[path = "../../tests/support"]
#[allow(dead_code)] // the fake Discord, and `/metrics` read as the tests read it
mod support {
    pub mod calls;
    pub mod fake_discord;
    pub mod web;
}
mod bare;
#[path = "../engine/config.rs"]
#[allow(dead_code)]
mod config;
#[path = "../../tests/support/database.rs"]
#[allow(dead_code)] // shared with the tests
mod database;
mod engine;
mod figures;
mod process;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use support::fake_discord::*;

use crate::bare::run_bare_bot;
use crate::engine::Counts;
use crate::figures::{clicks_on, sustained, Figures};
use crate::process::{pin_harness, rss_mib, rss_split_mib, spawn_bare};

const WAIT: Duration = Duration::from_secs(20);
const BARE_BOT: &str = "RENCONTRE_BENCH_BARE_BOT";
/// Path of an earlier `rencontre` binary to measure on the same clicks.
const BEFORE_BIN: &str = "RENCONTRE_BENCH_BEFORE";
/// `RENCONTRE_BENCH_LONG=1000000`: that many more interactions at the end,
/// the resident memory printed every tenth, to see whether it stays flat.
const LONG_RUN: &str = "RENCONTRE_BENCH_LONG";

fn main() -> ExitCode {
    if let Ok(proxy) = std::env::var(BARE_BOT) {
        return run_bare_bot(&proxy);
    }
    let config = match config::config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let quick = config.quick;
    let counts = if quick {
        Counts {
            storm: 200,
            sustained: 400,
            agendas: 100,
        }
    } else {
        Counts {
            storm: 1_000,
            sustained: 20_000,
            agendas: 2_000,
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pin = pin_harness();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(if pin { 1 } else { 2 })
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let engines: Vec<&str> = config.engines.iter().map(config::Engine::name).collect();
        println!(
            "e2e through serenity + fake Discord ({} mode, {cores} cores, {}; Rencontre on {})",
            if quick { "quick" } else { "full" },
            if pin { "bot on core 1, harness on core 0" } else { "not pinned" },
            engines.join(", then ")
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
        let (bare_clicks, _) = sustained(&fake, &bare, counts.sustained).await;
        drop(bare);
        drop(fake);

        let dir = tempfile::tempdir().unwrap();
        // An earlier build of the bot, for before/after figures in one run.
        let before = match std::env::var_os(BEFORE_BIN) {
            Some(binary) => match clicks_on(&binary, &dir.path().join("before.db"), pin, counts.storm, counts.sustained).await {
                Some(figures) => Some(figures),
                None => return ExitCode::FAILURE,
            },
            None => None,
        };

        let mut runs = Vec::new();
        for engine in &config.engines {
            match engine::run(engine, pin, counts).await {
                Ok(run) => runs.push(run),
                Err(problem) => {
                    eprintln!("FAILED on {}: {problem}", engine.name());
                    return ExitCode::FAILURE;
                }
            }
        }

        print_clicks("bare serenity bot, clicks", &bare_clicks);
        if let Some((storm_before, clicks_before)) = &before {
            storm_before.print("before: storm on capacity 50");
            print_clicks("before: clicks", clicks_before);
        }
        for run in &runs {
            let name = run.engine;
            println!("\nRencontre on {name}");
            println!("start-up to READY                    {:>7.0} ms", run.ready.as_secs_f64() * 1e3);
            run.storm.print("storm on capacity 50");
            print_clicks("clicks", &run.sustained);
            run.agenda.print("/agenda");
            for ((in_flight, ours), (_, bare)) in run.sustained.iter().zip(&bare_clicks) {
                println!(
                    "÷ bare serenity, {in_flight:>2} in flight         clicks/s {:.2}, p99 {:.2}×, bot CPU per click {:.2}× (on a core of its own: {:.0} against {:.0} clicks/s)",
                    ours.per_second() / bare.per_second(),
                    ours.p(0.99) / bare.p(0.99),
                    ours.bot_cpu_us() / bare.bot_cpu_us(),
                    1e6 / ours.bot_cpu_us(),
                    1e6 / bare.bot_cpu_us(),
                );
            }
            if let Some((_, clicks_before)) = &before {
                for ((in_flight, ours), (_, earlier)) in run.sustained.iter().zip(clicks_before) {
                    println!(
                        "after ÷ before, {in_flight:>2} in flight          clicks/s {:.2}, bot CPU per click {:.2}×",
                        ours.per_second() / earlier.per_second(),
                        ours.bot_cpu_us() / earlier.bot_cpu_us(),
                    );
                }
            }
            let (idle, after_storm, after_agenda) = (run.idle, run.after_storm, run.after_agenda);
            println!("memory (RSS)                         bare serenity idle {bare_idle:.1} MiB; Rencontre idle {idle:.1} MiB, after the storm {after_storm:.1} MiB, at the end {after_agenda:.1} MiB");
            println!(
                "idle RSS, anonymous + file-backed    bare serenity {:.1} + {:.1} MiB; Rencontre {:.1} + {:.1} MiB",
                bare_split.0, bare_split.1, run.idle_split.0, run.idle_split.1
            );
            if let Some(line) = &run.long_run {
                println!("{line}");
            }
            let (seats, first_seated, waitlisted) = (run.seats, run.first_seated, run.waitlisted);
            println!("exactness                            {seats} seats given of 50 (first 50 arrivals: {first_seated}), {waitlisted} of {} other members waitlisted", run.members - 50);
        }
        if runs.len() > 1 {
            println!();
            let first = &runs[0];
            for run in &runs[1..] {
                for ((in_flight, ours), (_, theirs)) in run.sustained.iter().zip(&first.sustained) {
                    println!(
                        "{} ÷ {}, {in_flight} in flight: clicks/s {:.2}, p99 {:.2}×, bot CPU per click {:.2}×",
                        run.engine,
                        first.engine,
                        ours.per_second() / theirs.per_second(),
                        ours.p(0.99) / theirs.p(0.99),
                        ours.bot_cpu_us() / theirs.bot_cpu_us(),
                    );
                }
            }
        }
        if let Ok(meta) = std::fs::metadata(env!("CARGO_BIN_EXE_rencontre")) {
            println!("binary size                          {:.1} MiB (this build's profile)", meta.len() as f64 / 1_048_576.0);
        }
        let inexact: Vec<&str> = runs.iter().filter(|r| !r.exact()).map(|r| r.engine).collect();
        if !bare_clicks.iter().all(|(_, f)| f.complete()) || !inexact.is_empty() {
            eprintln!("FAILED ({}): every click must be answered, exactly 50 seats given to the first 50, the rest waitlisted", inexact.join(", "));
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    })
}

/// One line per concurrency.
fn print_clicks(name: &str, runs: &[(usize, Figures)]) {
    for (in_flight, figures) in runs {
        figures.print(&format!("{name}, {in_flight} in flight"));
    }
}
