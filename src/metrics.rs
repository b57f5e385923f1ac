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
/// 1 while a gateway session is live.
pub static GATEWAY_CONNECTED: AtomicU64 = AtomicU64::new(0);

pub fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

pub fn set(gauge: &AtomicU64, value: u64) {
    gauge.store(value, Ordering::Relaxed);
}

/// The exposition text; `job_lag` is how late the oldest due job is.
pub fn render(pending_jobs: i64, job_lag_seconds: i64) -> String {
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
        "rencontre_gateway_connected",
        "gauge",
        "1 while connected to Discord's gateway.",
        get(&GATEWAY_CONNECTED).to_string(),
    );
    out
}
