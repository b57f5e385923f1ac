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
use rencontre::handlers::CommandName;
use rencontre::reply::Reply;
use rencontre::state::{AppState, ManualClock};
use support::bot::card_message;
use support::calls::{admin, cmd, organizer, refreshed, run, s};
use support::database::TestDatabase;
use support::fake_discord::{button, Call, FakeDiscord, Member};
use support::outlet::Recorder;
use support::storm::*;

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

/// "YYYY-MM-DD HH:MM" in UTC, the server's zone here.
fn typed(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

async fn handled(state: &AppState, reply: Reply) -> Reply {
    rencontre::delivery::deliver(state, &Recorder::default(), reply.effects.clone()).await;
    reply
}

/// The server set up (UTC, reminders `offsets`) and one event of `CAPACITY`
/// starting at `starts`, written through the handlers; (event, card message).
async fn seed_event(url: &str, fake: &FakeDiscord, starts: DateTime<Utc>, offsets: &str) -> (i64, u64) {
    let pool = rencontre::store::connect(url).await.expect("create the database");
    let state = AppState::new(pool, Arc::new(ManualClock::new(Utc::now())));
    let boss = admin(1, "admin");
    for (sub, option, value) in [("timezone", "zone", "UTC"), ("reminders", "offsets", offsets)] {
        run(
            &state,
            &boss,
            cmd(CommandName::Setup, Some(sub), &[(option, s(value))]),
        )
        .await;
    }
    let create = cmd(
        CommandName::Event,
        Some("create"),
        &[
            ("title", s(TITLE)),
            ("when", s(&typed(starts))),
            ("capacity", rencontre::handlers::OptionValue::Int(CAPACITY)),
        ],
    );
    let event = refreshed(&handled(&state, run(&state, &organizer(10, "alice"), create).await).await)[0];
    let card: Option<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT card_message_id FROM events WHERE id = $1"
    )
    .bind(event)
    .fetch_one(db)
    .await)
    .unwrap();
    let card = card.expect("the card was posted") as u64;
    // Discord knows the card: the bots' edits of it succeed.
    fake.seed_message(card_message(card, event));
    state.pool.close().await;
    (event, card)
}

/// Two bots on one database, each with its gateway connection and its
/// `/metrics` address.
struct TwoBots {
    bots: [BotProcess; 2],
    connections: [u64; 2],
    metrics: [std::net::SocketAddr; 2],
}

fn free_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
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
        let page = support::web::get(self.metrics[i], "/metrics").await;
        assert_eq!(page.status, 200, "{page:?}");
        let line = page.body.lines().find(|l| l.starts_with(&format!("{name} ")));
        line.and_then(|l| l.split(' ').nth(1)?.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {}", page.body))
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn a_storm_split_across_two_processes_stays_exact_and_each_click_is_answered_once() {
    const STORM: u64 = 1_000;
    /// Every 20th click is delivered to both processes.
    const TWICE_EVERY: u64 = 20;
    let fake = FakeDiscord::start().await;
    let database = TestDatabase::postgres().await;
    let starts = Utc::now() + chrono::Duration::days(2);
    let (event, card) = seed_event(&database.url, &fake, starts, "24h").await;
    let two = TwoBots::start(&fake, &database.url).await;
    let handled_before = [
        two.counter(0, "rencontre_interactions_total").await,
        two.counter(1, "rencontre_interactions_total").await,
    ];

    let mut sent = Vec::new();
    for i in 0..STORM {
        let user = FIRST_MEMBER + i;
        let (id, click) = going(event, card, user);
        let (to, other) = (
            two.connections[(i % 2) as usize],
            two.connections[((i + 1) % 2) as usize],
        );
        assert!(
            fake.send_interaction_on(to, click.clone()).await,
            "bot on connection {to} is live"
        );
        if i % TWICE_EVERY == 0 {
            assert!(
                fake.send_interaction_on(other, click).await,
                "bot on connection {other} is live"
            );
        }
        sent.push((id, user));
    }

    // The quiet point: every click taken by one process, and every second
    // delivery recognised by the other as answered elsewhere.
    let twice = STORM.div_ceil(TWICE_EVERY);
    let settled = eventually(PATIENCE, || async {
        let handled = two.counter(0, "rencontre_interactions_total").await
            + two.counter(1, "rencontre_interactions_total").await
            - handled_before.iter().sum::<u64>();
        let elsewhere = two.counter(0, "rencontre_interactions_elsewhere_total").await
            + two.counter(1, "rencontre_interactions_elsewhere_total").await;
        let answered = answered_count(&fake, &sent) as u64;
        (handled >= STORM && elsewhere >= twice && answered == STORM).then_some((handled, elsewhere))
    })
    .await;
    assert_eq!(
        settled,
        Some((STORM, twice)),
        "clicks handled, second deliveries set aside"
    );
    for (i, before) in handled_before.iter().enumerate() {
        let share = two.counter(i, "rencontre_interactions_total").await - before;
        assert!(share >= STORM / 2 - twice, "bot {i} answered its share: {share}");
    }

    let answers = answers(&fake, &sent);
    let calls = fake.calls();
    let mut told = Vec::new();
    for (id, user) in &sent {
        let callbacks = &answers[id];
        assert_eq!(
            callbacks.len(),
            1,
            "interaction {id} answered once: {callbacks:#?}"
        );
        told.push((*user, told_by(&calls, id, &callbacks[0])));
    }
    check_told(&database.url, event, &told).await;
    let seated = told.iter().filter(|(_, t)| t.contains("vous participez")).count();
    assert_eq!(seated as i64, CAPACITY, "the first {CAPACITY} got a seat");
    for (mut bot, i) in two.bots.into_iter().zip(0..) {
        let logs = bot.kill9();
        assert!(
            !logs.contains("panicked") && !logs.contains("ERROR"),
            "bot {i}:\n{}",
            tail(&logs, 3_000)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn kill_9_of_one_process_mid_storm_loses_no_acknowledged_answer_and_the_other_keeps_answering() {
    const STORM: u64 = 600;
    /// Process 0 is killed once this many clicks were answered.
    const KILL_AFTER: usize = 150;
    let fake = FakeDiscord::start().await;
    let database = TestDatabase::postgres().await;
    let starts = Utc::now() + chrono::Duration::days(2);
    let (event, card) = seed_event(&database.url, &fake, starts, "24h").await;
    let two = TwoBots::start(&fake, &database.url).await;
    let [mut doomed, survivor] = two.bots;
    let [doomed_connection, survivor_connection] = two.connections;

    let mut sent: Vec<(String, u64)> = Vec::new();
    let mut after_kill: Vec<(String, u64)> = Vec::new();
    let mut logs = None;
    for i in 0..STORM {
        // Counting answers reads every call: every tenth click is enough.
        if logs.is_none() && i % 10 == 0 && answered_count(&fake, &sent) >= KILL_AFTER {
            logs = Some(doomed.kill9());
        }
        let (id, click) = going(event, card, FIRST_MEMBER + i);
        // Alternating while both live; only the survivor after the kill.
        if logs.is_none() && i % 2 == 0 && fake.send_interaction_on(doomed_connection, click.clone()).await {
            sent.push((id, FIRST_MEMBER + i));
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        }
        assert!(
            fake.send_interaction_on(survivor_connection, click).await,
            "the survivor is live"
        );
        if logs.is_some() {
            after_kill.push((id.clone(), FIRST_MEMBER + i));
        }
        sent.push((id, FIRST_MEMBER + i));
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let logs = logs.unwrap_or_else(|| panic!("{KILL_AFTER} clicks were never answered"));
    assert!(!after_kill.is_empty(), "clicks went on after the kill");

    // Every click sent to the survivor after the kill is answered.
    let answered = eventually(PATIENCE, || async {
        (answered_count(&fake, &after_kill) == after_kill.len()).then_some(())
    })
    .await;
    assert!(
        answered.is_some(),
        "the survivor answered every click after the kill"
    );
    let answers = answers(&fake, &sent);
    let calls = fake.calls();
    let mut told = Vec::new();
    for (id, user) in &sent {
        let callbacks = &answers[id];
        assert!(
            callbacks.len() <= 1,
            "interaction {id} answered once: {callbacks:#?}"
        );
        // A click deferred by the killed bot may have told nothing more:
        // its row, if any, is checked by the queue's rules.
        let text = callbacks
            .first()
            .map(|c| told_by(&calls, id, c))
            .unwrap_or_default();
        if !text.is_empty() {
            told.push((*user, text));
        }
    }
    assert!(told.len() >= KILL_AFTER + after_kill.len());
    check_told(&database.url, event, &told).await;
    assert!(!logs.contains("panicked"), "{}", tail(&logs, 3_000));
    drop(survivor);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn a_reminder_due_while_both_processes_run_reaches_each_member_once() {
    const GOING: u64 = 40;
    let fake = FakeDiscord::start().await;
    let database = TestDatabase::postgres().await;
    // Event times are typed to the minute: the 1 h reminder of an event a
    // little more than an hour away is due within two minutes; it is then
    // moved to a few seconds after both bots are up.
    let starts = Utc::now() + chrono::Duration::minutes(62);
    let (event, _) = seed_event(&database.url, &fake, starts, "1h").await;
    let pool = rencontre::store::connect(&database.url).await.unwrap();
    let state = AppState::new(pool, Arc::new(ManualClock::new(Utc::now())));
    for user in FIRST_MEMBER..FIRST_MEMBER + GOING {
        let who = support::calls::member(user, &format!("membre{user}"));
        let answer = run(
            &state,
            &who,
            support::calls::click(&format!("rsvp:v1:{event}:going")),
        )
        .await;
        handled(&state, answer).await;
    }
    let due = Utc::now() + chrono::Duration::seconds(10);
    let moved = rencontre::on_db!(&state.pool, |db| sqlx::query(
        "UPDATE jobs SET due_at = $1 WHERE kind = 'reminder' AND ref_id = $2 AND status = 'pending'"
    )
    .bind(due.timestamp())
    .bind(event)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(moved, 1, "one reminder planned");

    let two = TwoBots::start(&fake, &database.url).await;
    assert!(Utc::now() < due, "both bots ran before the reminder fell due");
    let done = eventually(PATIENCE, || async {
        let status: String = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
            "SELECT status FROM jobs WHERE kind = 'reminder' AND ref_id = $1"
        )
        .bind(event)
        .fetch_one(db)
        .await)
        .unwrap();
        (status == "done").then_some(())
    })
    .await;
    assert!(done.is_some(), "the reminder was sent");
    let calls = fake.calls();
    for user in FIRST_MEMBER..FIRST_MEMBER + GOING {
        let path = format!("/channels/{}/messages", DM_CHANNEL_BASE + user);
        let dms = matching(&calls, "POST", &path);
        assert_eq!(dms.len(), 1, "member {user}'s reminders: {dms:#?}");
        assert!(dms[0].body.to_string().contains(TITLE), "{:#}", dms[0].body);
    }
    state.pool.close().await;
    for (mut bot, i) in two.bots.into_iter().zip(0..) {
        let logs = bot.kill9();
        assert!(!logs.contains("panicked"), "bot {i}:\n{}", tail(&logs, 3_000));
    }
}
