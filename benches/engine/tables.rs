//! The figures of every engine and every server measured, side by side.

use crate::commands::Line;
use crate::stats::{ms, yes, Stats};
use crate::storm::{Storm, STORM_CAPACITY};

/// The figures of one server: the commands, and the storms if any ran there.
pub struct Scope {
    /// "1 association", "20 associations, server 1", …
    pub label: String,
    pub lines: Vec<Line>,
    pub storms: Vec<Storm>,
}

/// Everything measured on one engine.
pub struct Measured {
    pub engine: &'static str,
    pub scopes: Vec<Scope>,
    /// Lines said after the tables: seeding times, memory.
    pub notes: Vec<String>,
}

/// `median / p99` in ms; `NO` when the p99 misses the target, and the
/// number of runs when the budget cut them short.
fn cell(st: &Stats, target: f64, runs: usize) -> String {
    let mut cell = format!("{} / {}", ms(st.median), ms(st.p99));
    if st.runs < runs.min(50) {
        cell += &format!(" ({} runs)", st.runs);
    }
    if st.p99.as_secs_f64() * 1e3 >= target {
        cell += " NO";
    }
    cell
}

pub fn print(all: &[Measured], runs: usize) {
    let columns: Vec<(&str, &Scope)> = all
        .iter()
        .flat_map(|m| m.scopes.iter().map(move |s| (m.engine, s)))
        .collect();
    let Some((_, first)) = columns.first() else {
        return;
    };
    print!("\n| median / p99 ms, through handlers::handle | target p99 |");
    for (engine, scope) in &columns {
        print!(" {engine}, {} |", scope.label);
    }
    print!("\n|---|---|");
    for _ in &columns {
        print!("---:|");
    }
    println!();
    for (i, line) in first.lines.iter().enumerate() {
        print!("| {} | < {} ms |", line.what, line.target);
        for (_, scope) in &columns {
            // Every scope times the same list; a shorter one is a bug here.
            let figures = scope.lines.get(i).map(|l| cell(&l.stats, l.target, runs));
            print!(" {} |", figures.unwrap_or_default());
        }
        println!();
    }

    println!(
        "\n| RSVP storm, capacity {STORM_CAPACITY} | where | clicks | wall ms | clicks/s | p50 ms | p99 ms | max ms | exact |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");
    for (engine, scope) in &columns {
        for (i, st) in scope.storms.iter().enumerate() {
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
            let (rate, label) = (st.per_second(), &scope.label);
            println!(
                "| {what} | {engine}, {label} | {clicks} | {wall} | {rate:.0} | {p50} | {p99} | {max} | {exact} |"
            );
            for problem in st.problems.iter().take(10) {
                println!("  VIOLATION: {problem}");
            }
        }
    }
    println!("\n| storms all at once | median clicks/s | range | exact |");
    println!("|---|---:|---|---|");
    for (engine, scope) in &columns {
        let mut rates: Vec<f64> = scope.storms.iter().skip(1).map(Storm::per_second).collect();
        if rates.is_empty() {
            continue;
        }
        rates.sort_by(f64::total_cmp);
        let median = rates[rates.len() / 2];
        let (low, high) = (rates[0], rates[rates.len() - 1]);
        let exact = scope.storms.iter().filter(|s| s.problems.is_empty()).count();
        let storms = scope.storms.len();
        println!(
            "| {engine}, {} | {median:.0} | {low:.0}–{high:.0} over {} | {exact}/{storms} |",
            scope.label,
            rates.len()
        );
    }
    println!();
    for measured in all {
        for note in &measured.notes {
            println!("{}: {note}", measured.engine);
        }
    }
}
