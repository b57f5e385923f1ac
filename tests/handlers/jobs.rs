//! Time-driven life with a moved clock: reminders, scheduled announcements,
//! deadlines, catch-up after downtime, retries.

use crate::support::calls::{cmd, member, organizer, run, s};
use crate::support::{self, outlet};

use chrono::{Duration, TimeZone, Utc};
use outlet::Recorder;
use rencontre::handlers::{self, CommandName, Invocation, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::{Body, Effect};
use rencontre::state::AppState;

mod announcements;
mod failures;
mod reminders;

const ORGANIZER: u64 = 10;

/// Creates an event on 2026-12-03 18:30 Paris (17:30 UTC) and returns its id.
async fn create_event(state: &AppState) -> i64 {
    let reply = run(
        state,
        &organizer(ORGANIZER, "member10"),
        cmd(
            CommandName::Event,
            Some("create"),
            &[
                ("title", s("Rencontres numériques")),
                ("when", s("2026-12-03 18:30")),
                ("location", s("Boulogne-sur-Mer")),
            ],
        ),
    )
    .await;
    reply
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshCard { event_id } => Some(*event_id),
            _ => None,
        })
        .expect("the event was created")
}

async fn going(state: &AppState, user: u64, event: i64) {
    let reply = handlers::handle(
        state,
        &member(user, &format!("member{user}")),
        Invocation::Component {
            custom_id: format!("rsvp:v1:{event}:going"),
        },
    )
    .await;
    assert!(matches!(reply.body, Body::Message(_)));
}

/// The reminders a member got (the DM telling them the event moved aside).
fn reminders_to(out: &Recorder, user: u64) -> Vec<String> {
    let mut dms = out.dms_to(user);
    dms.retain(|dm| dm.starts_with("⏰"));
    dms
}
