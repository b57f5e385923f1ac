//! The DMs about a freed seat, a change and a cancellation: written with
//! the change, delivered by the job runner once per member (also after a
//! restart), in the member's language; closed DMs that open again; ended
//! events left alone; finished jobs swept after their retention.

use crate::support::{self, calls, outlet};

use calls::*;
use chrono::{Duration, TimeZone, Utc};
use outlet::Recorder;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::Effect;
use rencontre::state::AppState;

use CommandName::{Event, Reminders, Setup};

mod changes;
mod delivery;
mod seats;

/// Thursday 3 December 2026, 18:30 in Paris.
const WHEN: &str = "2026-12-03 18:30";

fn no_dm_effects(reply: &rencontre::reply::Reply) -> bool {
    !reply.effects.iter().any(|e| matches!(e, Effect::Dm { .. }))
}

/// An event of capacity 1: bob (21) going, dave (23) waiting.
async fn full_event(state: &AppState) -> i64 {
    let options = [
        ("title", s("Café numérique")),
        ("when", s(WHEN)),
        ("capacity", OptionValue::Int(1)),
    ];
    let id = create_event(state, &organizer(10, "alice"), &options).await;
    run(state, &member(21, "bob"), rsvp_button(id, "going")).await;
    run(state, &member(23, "dave"), rsvp_button(id, "going")).await;
    id
}

/// The same database as a freshly started bot sees it: nothing in memory.
fn restarted(state: &AppState) -> AppState {
    AppState::new(state.pool.clone(), state.clock.clone())
}
