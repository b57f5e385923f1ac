//! Percentiles of timed runs, and the process's memory.

use std::time::Duration;

#[derive(Clone, Copy, Debug)]
pub struct Stats {
    pub runs: usize,
    pub median: Duration,
    pub p99: Duration,
    pub max: Duration,
}

pub fn stats(mut samples: Vec<Duration>) -> Stats {
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

pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

pub fn yes(ok: bool) -> &'static str {
    ["NO", "yes"][usize::from(ok)]
}

/// Resident and peak resident memory of this process, in MiB.
pub fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name));
        let kib = line.and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok());
        kib.unwrap_or(f64::NAN) / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}
