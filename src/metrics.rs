//! Counters for `/metrics` (Prometheus text format). Process-wide atomics:
//! cheap on the hot path, read only when scraped.

use std::sync::atomic::{AtomicU64, Ordering};

pub static INTERACTIONS: AtomicU64 = AtomicU64::new(0);
pub static INTERACTION_ERRORS: AtomicU64 = AtomicU64::new(0);
/// Interactions this process received but another process sharing the
/// database had already taken (overlapping sessions while shards move).
pub static INTERACTIONS_ELSEWHERE: AtomicU64 = AtomicU64::new(0);
pub static JOBS_DONE: AtomicU64 = AtomicU64::new(0);
pub static JOBS_FAILED: AtomicU64 = AtomicU64::new(0);
/// Shards of this process whose gateway session is live.
pub static GATEWAY_CONNECTED: AtomicU64 = AtomicU64::new(0);
/// IDENTIFYs that waited for their bucket's turn (another shard, maybe of
/// another process, had identified less than 5 s before), and how long.
pub static IDENTIFY_WAITS: AtomicU64 = AtomicU64::new(0);
pub static IDENTIFY_WAIT_MS: AtomicU64 = AtomicU64::new(0);

pub fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

pub fn add(counter: &AtomicU64, amount: u64) {
    counter.fetch_add(amount, Ordering::Relaxed);
}

/// One down, for a gauge (never below zero).
pub fn dec(gauge: &AtomicU64) {
    let _ = gauge.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1));
}

pub fn set(gauge: &AtomicU64, value: u64) {
    gauge.store(value, Ordering::Relaxed);
}

/// The exposition text; `job_lag` is how late the oldest due job is;
/// `rsvp_committed` the RSVP group commit's transactions and the clicks
/// they decided (`RsvpWriter::committed`).
pub fn render(pending_jobs: i64, job_lag_seconds: i64, rsvp_committed: (u64, u64)) -> String {
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, value: String| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
        ));
    };
    metric(
        "rencontre_interactions_total",
        "counter",
        "Interactions handled.",
        get(&INTERACTIONS).to_string(),
    );
    metric(
        "rencontre_interaction_errors_total",
        "counter",
        "Interactions answered with the internal-error apology.",
        get(&INTERACTION_ERRORS).to_string(),
    );
    metric(
        "rencontre_interactions_elsewhere_total",
        "counter",
        "Interactions received here but answered by another process sharing the database.",
        get(&INTERACTIONS_ELSEWHERE).to_string(),
    );
    metric(
        "rencontre_jobs_done_total",
        "counter",
        "Scheduled jobs performed.",
        get(&JOBS_DONE).to_string(),
    );
    metric(
        "rencontre_jobs_failed_total",
        "counter",
        "Scheduled job attempts that failed.",
        get(&JOBS_FAILED).to_string(),
    );
    metric(
        "rencontre_jobs_pending",
        "gauge",
        "Scheduled jobs waiting.",
        pending_jobs.to_string(),
    );
    metric(
        "rencontre_job_lag_seconds",
        "gauge",
        "How late the oldest due job is (0 when none is due).",
        job_lag_seconds.max(0).to_string(),
    );
    metric(
        "rencontre_rsvp_transactions_total",
        "counter",
        "Transactions that decided members' RSVP clicks (clicks arriving together share one).",
        rsvp_committed.0.to_string(),
    );
    metric(
        "rencontre_rsvp_clicks_total",
        "counter",
        "RSVP clicks those transactions decided (recorded or refused); divided by them, the mean batch.",
        rsvp_committed.1.to_string(),
    );
    metric(
        "rencontre_gateway_connected",
        "gauge",
        "Shards of this process connected to Discord's gateway.",
        get(&GATEWAY_CONNECTED).to_string(),
    );
    metric(
        "rencontre_identify_waits_total",
        "counter",
        "IDENTIFYs that waited for their bucket's turn (shared by every process on the database).",
        get(&IDENTIFY_WAITS).to_string(),
    );
    metric(
        "rencontre_identify_wait_seconds_total",
        "counter",
        "Time IDENTIFYs spent waiting for their turn.",
        format!("{:.3}", get(&IDENTIFY_WAIT_MS) as f64 / 1000.0),
    );
    out
}
