//! What every test binary shares, declared once by each (`mod support;` in
//! its `main.rs`). Where to start, by what a test drives:
//!
//! - **the handlers**: [`state`] (a fresh database on this run's engine, the
//!   clock fixed at [`now`] and moved by the test), callers of every
//!   standing and invocations in [`calls`] (`member`, `organizer`, `admin`,
//!   `with_role`, `in_guild`, `locale`; `cmd`, `click`, `form`, `run`), the
//!   reply readers there too, and [`outlet::Recorder`] for what would be
//!   sent to Discord (DMs, posts) by deliveries and jobs;
//! - **the console**: `rencontre::console` on a [`state`];
//! - **Discord**: [`fake_discord::FakeDiscord`] (REST and gateway on
//!   loopback) and [`bot::World`], the real serenity client connected to it;
//! - **the real binary**: [`storm::BotProcess`] (killed with its test),
//!   [`processes`] (an event seeded with its card, integrity after a kill,
//!   `/metrics` addresses) and [`web::counter`] to read its counters;
//! - **HTTP**: [`web::start`] and the raw client of [`web`];
//! - **the database itself**: [`TestDatabase`] and [`sqlite_state`].

pub mod bot;
pub mod calls;
pub mod database;
pub mod fake_discord;
pub mod ical_python;
pub mod outlet;
pub mod processes;
pub mod storm;
pub mod web;

pub use database::TestDatabase;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use rencontre::state::{AppState, ManualClock};

/// Sunday 29 November 2026, 11:00 in Paris.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap()
}

/// A migrated database on this run's engine (deleted with the guard).
pub async fn state() -> (AppState, Arc<ManualClock>, TestDatabase) {
    let database = TestDatabase::new().await;
    let pool = rencontre::store::connect(&database.url).await.unwrap();
    let clock = Arc::new(ManualClock::new(now()));
    (AppState::new(pool, clock.clone()), clock, database)
}

/// A migrated SQLite database in a temporary directory (kept alive by the
/// guard), whatever the run's engine: for tests about the file itself.
pub async fn sqlite_state() -> (AppState, Arc<ManualClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = rencontre::store::connect(&url).await.unwrap();
    let clock = Arc::new(ManualClock::new(now()));
    (AppState::new(pool, clock.clone()), clock, dir)
}
