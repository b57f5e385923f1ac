//! Date polls through the handlers and the store: the card and its
//! buttons, answers changed and taken back, bad input refused with nothing
//! saved, who may close and see names, another server's poll, closing into
//! an event with its reminders and DMs (exactly once, also across a restart
//! in the middle), the deadline job, the report, French and English.

use crate::support::{self, calls, outlet};

use calls::*;
use chrono::{Duration, TimeZone, Utc};
use outlet::{text_of, Recorder, Sent};
use rencontre::handlers::{CommandName, Context, Invocation, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::{Effect, Reply};
use rencontre::state::AppState;
use rencontre::store;

use CommandName::{Poll, Report};

mod answers;
mod card;
mod closing;

/// Thursday 3 December 2026 18:30, Friday 4 December 12:00, Saturday 5
/// December 9:00 (Paris); today is Sunday 29 November.
const DATES: &str = "2026-12-03 18:30; 2026-12-04 12:00; 2026-12-05 9h";

fn alice() -> Context {
    organizer(10, "alice")
}

/// `/poll close` as alice: `poll` names it (title or id), `date` picks
/// the date (its number or a date) or leaves the choice to the answers.
async fn close(state: &AppState, poll: &str, date: Option<&str>) -> Reply {
    let mut options = vec![("poll", s(poll))];
    options.extend(date.map(|date| ("date", s(date))));
    run(state, &alice(), cmd(Poll, Some("close"), &options)).await
}

async fn create_poll(state: &AppState, options: &[(&str, OptionValue)]) -> (Reply, i64) {
    let reply = run(state, &alice(), cmd(Poll, Some("create"), options)).await;
    let id = reply
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshPoll { poll_id } => Some(*poll_id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no poll created: {reply:?}"));
    (reply, id)
}

/// "Apéro" over [`DATES`], its card posted in channel 100.
async fn apero(state: &AppState, out: &Recorder) -> i64 {
    let (reply, id) = create_poll(state, &[("title", s("Apéro")), ("dates", s(DATES))]).await;
    rencontre::delivery::deliver(state, out, reply.effects).await;
    id
}

fn tap(poll: i64, position: u8, answer: &str) -> Invocation {
    click(&format!("poll:v1:{poll}:{position}:{answer}"))
}

/// The last version of the poll's card (posted or edited) in channel 100.
fn card(out: &Recorder) -> String {
    out.sent()
        .into_iter()
        .rev()
        .find_map(|s| match s {
            Sent::Post { channel: 100, text }
            | Sent::Edit {
                channel: 100, text, ..
            } if text.contains("📊") => Some(text),
            _ => None,
        })
        .expect("a poll card")
}

/// bob yes and carol if need be on Thursday, dave only Friday, erin (an
/// English client) yes on Thursday.
async fn answered(state: &AppState, id: i64) {
    run(state, &member(21, "bob"), tap(id, 0, "yes")).await;
    run(state, &member(22, "carol"), tap(id, 0, "if_need_be")).await;
    run(state, &member(23, "dave"), tap(id, 1, "yes")).await;
    run(
        state,
        &locale(member(24, "erin"), Some("en-GB")),
        tap(id, 0, "yes"),
    )
    .await;
}

fn clock_now(state: &AppState) -> chrono::DateTime<Utc> {
    state.now()
}
