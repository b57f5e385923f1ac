//! Two `rencontre run` processes on one PostgreSQL database against the fake
//! Discord, both receiving clicks for the same event — as while Discord's
//! shards move and two sessions overlap. What members notice must be what
//! one process would give: a storm split across both keeps the capacity and
//! the first-come waitlist exact and answers every click once (even a click
//! delivered to both); `kill -9` of one mid-storm loses no acknowledged
//! answer while the other keeps answering; a reminder due while both run
//! reaches each member once.

use crate::support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rencontre::handlers::OptionValue;
use rencontre::state::{AppState, ManualClock};
use support::bot::card_message;
use support::calls::{organizer, run, s};
use support::database::TestDatabase;
use support::fake_discord::{button, Call, FakeDiscord, Member};
use support::outlet::Recorder;
use support::processes::*;
use support::storm::*;

mod clicks;
mod reminders;

const CAPACITY: i64 = 50;
const TITLE: &str = "Rencontres numériques";
/// Members are numbered from here; their DM channel is the fake's base plus their id.
const FIRST_MEMBER: u64 = 100_000;
const DM_CHANNEL_BASE: u64 = 900_000;
/// A bound for a wedged run, never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(60);

static NEXT_INTERACTION: AtomicU64 = AtomicU64::new(7_000_000);

fn next_interaction() -> u64 {
    NEXT_INTERACTION.fetch_add(1, Ordering::Relaxed)
}

/// The server set up (UTC, reminders `offsets`) and one event of `CAPACITY`
/// starting at `starts`; (event, card message).
async fn seed_event(url: &str, fake: &FakeDiscord, starts: DateTime<Utc>, offsets: &str) -> (i64, u64) {
    let setup = [("timezone", "zone", "UTC"), ("reminders", "offsets", offsets)];
    let options = [
        ("title", s(TITLE)),
        ("when", s(&typed(starts))),
        ("capacity", OptionValue::Int(CAPACITY)),
    ];
    event_with_card(url, fake, &organizer(10, "alice"), &setup, &options).await
}

/// Two bots on one database, each with its gateway connection and its
/// `/metrics` address.
struct TwoBots {
    bots: [BotProcess; 2],
    connections: [u64; 2],
    metrics: [std::net::SocketAddr; 2],
}

impl TwoBots {
    async fn start(fake: &FakeDiscord, url: &str) -> TwoBots {
        let metrics = [free_address(), free_address()];
        let mut bots = Vec::new();
        let mut connections = Vec::new();
        for (i, address) in metrics.iter().enumerate() {
            let address = address.to_string();
            let bot = BotProcess::spawn_with(&fake.base_url(), url, &[("RENCONTRE_METRICS", &address)]);
            let live = fake.wait_live_connections(i + 1, PATIENCE).await;
            let live = live.unwrap_or_else(|| panic!("bot {i} (pid {}) connected", bot.pid()));
            connections.push(*live.iter().find(|c| !connections.contains(*c)).unwrap());
            bots.push(bot);
        }
        TwoBots {
            bots: bots.try_into().unwrap_or_else(|_| unreachable!()),
            connections: connections.try_into().unwrap(),
            metrics,
        }
    }

    /// A counter of bot `i`'s `/metrics`.
    async fn counter(&self, i: usize, name: &str) -> u64 {
        support::web::counter(self.metrics[i], name).await
    }
}

/// A click on the event's "going" button by member `user`.
fn going(event: i64, card: u64, user: u64) -> (String, serde_json::Value) {
    let who = Member::new(user, &format!("membre{user}"));
    let id = next_interaction();
    let click = button(
        id,
        &format!("rsvp:v1:{event}:going"),
        card_message(card, event),
        &who,
    );
    (id.to_string(), click)
}

/// Every click's callbacks, by interaction id.
fn answers(fake: &FakeDiscord, ids: &[(String, u64)]) -> BTreeMap<String, Vec<Call>> {
    let calls = fake.calls();
    ids.iter()
        .map(|(id, _)| {
            (
                id.clone(),
                callbacks_for(&calls, id).into_iter().cloned().collect(),
            )
        })
        .collect()
}

/// What a click's answer told the member: the callback's text, or when the
/// bot deferred (a slow moment), the text it then put in its original reply.
fn told_by(calls: &[Call], id: &str, callback: &Call) -> String {
    let text = callback_text(callback);
    if !text.is_empty() {
        return text;
    }
    let original = format!("/webhooks/{}/tok{id}/messages/@original", FakeDiscord::APP_ID);
    let edits = matching(calls, "PATCH", &original);
    edits
        .last()
        .map(|edit| edit.body["content"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// How many of these clicks told their member something (an answer, or a
/// deferral then the reply it announced).
fn answered_count(fake: &FakeDiscord, ids: &[(String, u64)]) -> usize {
    let calls = fake.calls();
    let told = |id: &String| {
        let callbacks = callbacks_for(&calls, id);
        callbacks
            .first()
            .is_some_and(|c| !told_by(&calls, id, c).is_empty())
    };
    ids.iter().filter(|(id, _)| told(id)).count()
}

/// Checks the event's RSVPs against the queue's rules and what each
/// acknowledged member was told.
async fn check_told(url: &str, event: i64, told: &[(u64, String)]) {
    let pool = rencontre::store::connect(url).await.unwrap();
    let rows = rsvp_rows(&pool, event).await;
    pool.close().await;
    if let Err(problem) = check_queue(&rows, CAPACITY) {
        panic!("{problem}: {rows:#?}");
    }
    for (user, text) in told {
        let row = rows.iter().find(|r| r.user_id == *user as i64);
        let row = row.unwrap_or_else(|| panic!("member {user} was told {text:?} but has no RSVP"));
        if text.contains("vous participez") {
            assert_eq!(row.status, "going", "member {user}");
        } else if let Some(rest) = text.split("n° ").nth(1) {
            let place: i64 = rest.split(' ').next().unwrap().parse().unwrap();
            assert_eq!(
                (row.status.as_str(), row.position),
                ("waitlisted", Some(place)),
                "member {user}"
            );
        } else {
            panic!("member {user} was told neither a seat nor a place in line: {text:?}");
        }
    }
}
