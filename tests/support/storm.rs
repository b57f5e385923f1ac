//! Helpers for the fault-injection and crash tests: a deterministic
//! pseudo-random generator, the real binary under a kill-on-drop guard, call
//! counting, and the invariants an event's RSVP rows must keep.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rencontre::store::Db;
use serde_json::Value;

use super::fake_discord::{Call, FakeDiscord};

/// splitmix64: reproducible "random" delays and sizes from a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

/// `rencontre run` as a child process, killed (SIGKILL) and reaped on drop so
/// that no bot outlives its test. Its stderr is drained by a thread.
pub struct BotProcess {
    child: Option<Child>,
    logs: Option<std::thread::JoinHandle<String>>,
}

impl BotProcess {
    pub fn spawn(proxy: &str, database_url: &str) -> BotProcess {
        BotProcess::spawn_with(proxy, database_url, &[])
    }

    /// [`Self::spawn`] with more environment variables (`RENCONTRE_METRICS`…).
    pub fn spawn_with(proxy: &str, database_url: &str, more: &[(&str, &str)]) -> BotProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rencontre"))
            .arg("run")
            .envs(more.iter().copied())
            .env("DISCORD_TOKEN", "fake")
            .env("DISCORD_PROXY", proxy)
            .env("DATABASE_URL", database_url)
            .env("RENCONTRE_GUILD", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the rencontre binary");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let logs = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stderr, &mut text).ok();
            text
        });
        BotProcess {
            child: Some(child),
            logs: Some(logs),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// SIGKILL, then waits for the process to be gone; returns its stderr.
    pub fn kill9(&mut self) -> String {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.logs
            .take()
            .and_then(|logs| logs.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The last `n` characters of a log, for assertion messages.
pub fn tail(text: &str, n: usize) -> &str {
    let mut start = text.len().saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Waits until a gateway session newer than `identifies_before` is live: after
/// a kill the fake may still hold the dead connection for a moment.
pub async fn wait_new_session(fake: &FakeDiscord, identifies_before: usize, timeout: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    while fake.identify_count() <= identifies_before {
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.wait_ready(deadline.saturating_duration_since(tokio::time::Instant::now()))
        .await
}

/// Waits until `identify_count() + resume_count()` exceeds `before`.
pub async fn wait_reconnected(fake: &FakeDiscord, before: usize, timeout: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    while fake.identify_count() + fake.resume_count() <= before {
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.wait_ready(deadline.saturating_duration_since(tokio::time::Instant::now()))
        .await
}

/// The callback POSTs made for interaction `id`.
pub fn callbacks_for<'a>(calls: &'a [Call], id: &str) -> Vec<&'a Call> {
    let path = format!("/interactions/{id}/");
    calls.iter().filter(|c| c.is("POST", &path)).collect()
}

/// The callback's text (content of a type 4 answer), empty otherwise.
pub fn callback_text(call: &Call) -> String {
    call.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Calls with this method on a path containing `path_part`.
pub fn matching<'a>(calls: &'a [Call], method: &str, path_part: &str) -> Vec<&'a Call> {
    calls.iter().filter(|c| c.is(method, path_part)).collect()
}

/// The message nonce a POST carried.
pub fn nonce_of(call: &Call) -> Value {
    call.body["nonce"].clone()
}

/// Polls `check` every 50 ms until it gives a value, up to `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(found) = check().await {
            return Some(found);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One RSVP as stored, with its waitlist position computed like the bot does.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RsvpRow {
    pub user_id: i64,
    pub status: String,
    pub guests: i64,
    pub arrival_seq: i64,
    pub position: Option<i64>,
}

pub async fn rsvp_rows(pool: &Db, event_id: i64) -> Vec<RsvpRow> {
    rencontre::on_db!(pool, |db| sqlx::query_as(
        "SELECT user_id, status, guests, arrival_seq,
            CASE WHEN status = 'waitlisted'
                 THEN ROW_NUMBER() OVER (PARTITION BY status ORDER BY arrival_seq) END AS position
         FROM rsvps WHERE event_id = $1 ORDER BY arrival_seq",
    )
    .bind(event_id)
    .fetch_all(db)
    .await)
    .expect("read the RSVPs")
}

/// What a queue of "going" answers must look like whatever the interleaving
/// or the moment of a crash: seats within capacity, one place in line per
/// member, nobody waiting while a seat is free, first come first served.
pub fn check_queue(rows: &[RsvpRow], capacity: i64) -> Result<(), String> {
    let seats: i64 = rows
        .iter()
        .filter(|r| r.status == "going")
        .map(|r| 1 + r.guests)
        .sum();
    if seats > capacity {
        return Err(format!("{seats} seats taken for a capacity of {capacity}"));
    }
    let mut places: Vec<i64> = rows.iter().map(|r| r.arrival_seq).collect();
    places.sort_unstable();
    places.dedup();
    if places.len() != rows.len() {
        return Err("two members share a place in line".into());
    }
    let waiting: Vec<&RsvpRow> = rows.iter().filter(|r| r.status == "waitlisted").collect();
    if !waiting.is_empty() && seats < capacity {
        return Err(format!(
            "{} waiting while {seats}/{capacity} seats are taken",
            waiting.len()
        ));
    }
    let first_waiting = waiting.iter().map(|r| r.arrival_seq).min().unwrap_or(i64::MAX);
    if let Some(late) = rows
        .iter()
        .find(|r| r.status == "going" && r.arrival_seq > first_waiting)
    {
        return Err(format!(
            "member {} got a seat ahead of the waitlist",
            late.user_id
        ));
    }
    for (i, row) in waiting.iter().enumerate() {
        if row.position != Some(i as i64 + 1) {
            return Err(format!("waitlist position {:?} at rank {}", row.position, i + 1));
        }
    }
    Ok(())
}
