//! Shared test fixtures: a fresh database and a state with a fixed clock.

pub mod bot;
pub mod calls;
pub mod database;
pub mod fake_discord;
pub mod ical_python;
pub mod outlet;
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
