//! Shared test fixtures: a fresh database and a state with a fixed clock.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use rencontre::state::{AppState, ManualClock};

/// Sunday 29 November 2026, 11:00 in Paris.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap()
}

/// A migrated database in a temporary directory (kept alive by the guard).
pub async fn state() -> (AppState, Arc<ManualClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = rencontre::store::connect(&url).await.unwrap();
    let clock = Arc::new(ManualClock::new(now()));
    (AppState::new(pool, clock.clone()), clock, dir)
}
