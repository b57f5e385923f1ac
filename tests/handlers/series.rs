//! Recurring events: occurrences ahead, local times across DST, scope for
//! edits and cancels, and the series kept 8 weeks ahead as time passes.

use crate::support::{self, calls, outlet};

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use rencontre::handlers::CommandName;
use rencontre::reply::{Body, Reply};
use rencontre::state::AppState;
use rencontre::store;

mod creating;
mod editing;

/// `/event SUB` with text options, as the organizer alice.
async fn event_cmd(state: &AppState, sub: &str, opts: &[(&str, &str)]) -> Reply {
    let options: Vec<_> = opts.iter().map(|(k, v)| (*k, calls::s(v))).collect();
    let alice = calls::organizer(10, "alice");
    calls::run(state, &alice, calls::cmd(CommandName::Event, Some(sub), &options)).await
}

/// The fixture most scenarios start from: a weekly "Café numérique",
/// Thursdays at 18:30 from 2026-12-03, created by alice. Its dates' ids,
/// soonest first (eight weeks ahead).
async fn weekly_cafe(state: &AppState) -> Vec<i64> {
    let reply = event_cmd(
        state,
        "create",
        &[
            ("title", "Café numérique"),
            ("when", "2026-12-03 18:30"),
            ("repeat", "weekly"),
        ],
    )
    .await;
    let ids = calls::refreshed(&reply);
    assert_eq!(ids.len(), 8, "{}", text(&reply));
    ids
}

fn text(reply: &Reply) -> String {
    match &reply.body {
        Body::Message(m) => m.content.clone().unwrap_or_default(),
        other => panic!("expected a message, got {other:?}"),
    }
}

fn local(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%Y-%m-%d %a %H:%M").to_string()
}

fn clock_now(state: &AppState) -> chrono::DateTime<Utc> {
    state.now()
}
