//! The bots under test as child processes: starting them (pinned to a
//! core when possible), and reading their memory and CPU from /proc.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use crate::support::fake_discord::FakeDiscord;
use crate::support::web::{get, metric};
use crate::BARE_BOT;

/// A bot process, and where Rencontre serves `/metrics` (none for the
/// bare bot).
pub struct Bot(pub Child, pub Option<SocketAddr>);

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Resident set size of a process, in MiB.
pub fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// CPU time (user + system) a process has used so far, in seconds. Linux
/// counts it in clock ticks of 1/100 s (`CLK_TCK`), so runs of a few
/// seconds give it to about 1 %.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Where a process's resident memory is: (anonymous, file-backed) MiB.
/// File-backed pages are the binary's code and data as far as it was read.
pub fn rss_split_mib(pid: u32) -> (f64, f64) {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    let anonymous = field("Anonymous:");
    (anonymous, field("Rss:") - anonymous)
}

pub fn have_taskset() -> bool {
    Command::new("taskset")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `binary args…`, on core 1 when it can be pinned.
pub fn pinned(binary: &std::path::Path, pin: bool) -> Command {
    if pin {
        let mut c = Command::new("taskset");
        c.arg("-c").arg("1").arg(binary);
        c
    } else {
        Command::new(binary)
    }
}

pub fn spawn_rencontre(fake: &FakeDiscord, db: &str, pin: bool) -> Bot {
    spawn_binary(env!("CARGO_BIN_EXE_rencontre").as_ref(), fake, db, pin)
}

pub fn spawn_binary(binary: &std::path::Path, fake: &FakeDiscord, db: &str, pin: bool) -> Bot {
    // A free loopback port for `/metrics`: the group commit's batches.
    let metrics = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let child = pinned(binary, pin)
        .arg("run")
        .env("RENCONTRE_METRICS", metrics.to_string())
        .env("DISCORD_TOKEN", "bench-token")
        .env("DISCORD_PROXY", fake.base_url())
        .env("DATABASE_URL", db)
        .env("RENCONTRE_GUILD", "1")
        // What a host runs: the default log filter.
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bot starts");
    Bot(child, Some(metrics))
}

pub fn spawn_bare(fake: &FakeDiscord, pin: bool) -> Bot {
    let me = std::env::current_exe().expect("this binary's path");
    let child = pinned(&me, pin)
        .env(BARE_BOT, fake.base_url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bare bot starts");
    Bot(child, None)
}

/// Pins this process (the fake Discord and the harness) to core 0, away
/// from the bot on core 1.
pub fn pin_harness() -> bool {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores >= 2
        && have_taskset()
        && Command::new("taskset")
            .args(["-p", "-c", "0", &std::process::id().to_string()])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// The bot's RSVP transactions and the clicks they decided, from its
/// `/metrics` (`None` for the bare bot or a build without the counters).
pub async fn rsvp_committed(bot: &Bot) -> Option<(u64, u64)> {
    // A bot that stopped answering must not stall the bench.
    let page = tokio::time::timeout(crate::WAIT, get(bot.1?, "/metrics"))
        .await
        .ok()?;
    Some((
        metric(&page.body, "rencontre_rsvp_transactions_total")?,
        metric(&page.body, "rencontre_rsvp_clicks_total")?,
    ))
}
