//! Crash safety of the job runner in the real binary: a database full of due
//! work that fans out (a reminder to 190 members, scheduled announcements, an
//! RSVP deadline, weekly series to extend), and the bot `kill -9`ed again and
//! again while it delivers. Whatever the moments, what members notice is as
//! if it had never crashed: each reminded member holds one reminder DM, each
//! announcement is posted once, each new date of a series has one card, the
//! closed event's card shows RSVPs closed and refuses answers; no job is lost
//! or left claimed, and the database is intact. A restarted bot resumes the
//! killed one's jobs at once (they are not left waiting for a stale claim).
//!
//! Duplicates are counted the way Discord counts them: a message created with
//! `enforce_nonce` and a nonce already used is not created again, so posts
//! are de-duplicated by nonce.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::reply::{Body, Reply};
use rencontre::state::{AppState, ManualClock};
use rencontre::store::Db;
use serde_json::Value;
use support::calls::{admin, cmd, form, member, organizer, refreshed, rsvp_button, run, s};
use support::fake_discord::{button, message_json, Call, FakeDiscord, Member};
use support::outlet::Recorder;
use support::processes::{integrity, open, typed};
use support::storm::{tail, wait_new_session, BotProcess, Rng};

mod fan_out;

const MEMBERS: u64 = 200;
const FIRST_MEMBER: u64 = 5_000;
/// Members among the going ones who turned reminders off.
const REMINDERS_OFF: u64 = 10;
const ANNOUNCEMENTS: usize = 5;
const AGENDA: u64 = 101;
const ANNOUNCE: u64 = 103;
const DM_CHANNEL_BASE: u64 = 900_000;
const TITLE: &str = "Rencontres numériques";
const CLOSING_TITLE: &str = "Assemblée générale";
const SERIES: [&str; 2] = ["Café numérique", "Atelier référencement"];
/// How long the bot may take to do something it should do at once; only a
/// bound for a wedged run, never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(30);
/// `JOBS_CRASH_SEED=<n>` explores other kill moments; failures print the seed.
const SEED: u64 = 0x4A0B_5C4A_5400_0001;

/// What the seeded database should lead to.
struct Seeded {
    /// Going, reminders on: each must hold exactly one reminder DM.
    reminded: BTreeSet<u64>,
    /// Reminders off or only "maybe": no DM at all.
    not_reminded: BTreeSet<u64>,
    announcements: Vec<String>,
    closing_event: i64,
    closing_card: u64,
    /// Events up to here existed before the bot started; later ones are
    /// dates the series gained.
    last_event: i64,
    /// Every job due when the bot first starts: (id, kind).
    due: Vec<(i64, String)>,
}

async fn handled(state: &AppState, out: &Recorder, reply: Reply) -> Reply {
    rencontre::delivery::deliver(state, out, reply.effects.clone()).await;
    reply
}

/// The association's recent life, written through the handlers by a clock
/// behind real time, as if the bot had been down for a while: everything
/// below is due when the real binary starts.
async fn seed_database(url: &str, fake: &FakeDiscord, real_now: DateTime<Utc>) -> Seeded {
    let pool = rencontre::store::connect(url).await.expect("create the database");
    let clock = Arc::new(ManualClock::new(real_now - chrono::Duration::days(8)));
    let state = AppState::new(pool, clock.clone());
    let out = Recorder::default();
    let boss = admin(1, "admin");
    let alice = organizer(10, "alice");
    for (sub, options) in [
        ("timezone", vec![("zone", s("UTC"))]),
        ("reminders", vec![("offsets", s("2h"))]),
        (
            "channels",
            vec![
                ("agenda", OptionValue::Channel(AGENDA)),
                ("announcements", OptionValue::Channel(ANNOUNCE)),
            ],
        ),
    ] {
        let reply = handled(
            &state,
            &out,
            run(&state, &boss, cmd(CommandName::Setup, Some(sub), &options)).await,
        )
        .await;
        assert!(matches!(reply.body, Body::Message(_)), "{reply:?}");
    }

    // Eight days ago, two weekly series began: their weekly extension is due.
    for title in SERIES {
        let first = real_now - chrono::Duration::days(8) + chrono::Duration::hours(2);
        let create = cmd(
            CommandName::Event,
            Some("create"),
            &[
                ("title", s(title)),
                ("when", s(&typed(first))),
                ("repeat", s("weekly")),
            ],
        );
        let dates = refreshed(&handled(&state, &out, run(&state, &alice, create).await).await);
        assert!(dates.len() > 4, "{title}: {dates:?}");
    }

    // An hour ago. The next event starts in 70 minutes: its 2 h reminder
    // fell due 50 minutes ago.
    clock.set(real_now - chrono::Duration::minutes(60));
    let starts = real_now + chrono::Duration::minutes(70);
    let create = cmd(
        CommandName::Event,
        Some("create"),
        &[
            ("title", s(TITLE)),
            ("when", s(&typed(starts))),
            ("location", s("Boulogne-sur-Mer")),
        ],
    );
    let event = refreshed(&handled(&state, &out, run(&state, &alice, create).await).await)[0];
    // RSVPs closed 5 minutes ago, three days before the general assembly.
    let create = cmd(
        CommandName::Event,
        Some("create"),
        &[
            ("title", s(CLOSING_TITLE)),
            ("when", s(&typed(real_now + chrono::Duration::days(3)))),
            ("deadline", s(&typed(real_now - chrono::Duration::minutes(5)))),
        ],
    );
    let closing_event = refreshed(&handled(&state, &out, run(&state, &alice, create).await).await)[0];

    let mut reminded = BTreeSet::new();
    let mut not_reminded = BTreeSet::new();
    for user in FIRST_MEMBER..FIRST_MEMBER + MEMBERS {
        let who = member(user, &format!("membre{user}"));
        let going = rsvp_button(event, "going");
        handled(&state, &out, run(&state, &who, going).await).await;
        if user % 7 == 0 {
            let closing = rsvp_button(closing_event, "going");
            handled(&state, &out, run(&state, &who, closing).await).await;
        }
        if user < FIRST_MEMBER + REMINDERS_OFF {
            run(&state, &who, cmd(CommandName::Reminders, Some("off"), &[])).await;
            not_reminded.insert(user);
        } else {
            reminded.insert(user);
        }
    }
    for user in FIRST_MEMBER + MEMBERS..FIRST_MEMBER + MEMBERS + 10 {
        let who = member(user, &format!("membre{user}"));
        handled(&state, &out, run(&state, &who, rsvp_button(event, "maybe")).await).await;
        not_reminded.insert(user);
    }

    // Scheduled announcements, due 21 to 17 minutes ago.
    let mut announcements = Vec::new();
    for i in 0..ANNOUNCEMENTS {
        let at = real_now - chrono::Duration::minutes(21 - i as i64);
        let opened = run(
            &state,
            &alice,
            cmd(CommandName::Announce, None, &[("at", s(&typed(at)))]),
        )
        .await;
        let Body::Modal(modal) = opened.body else {
            panic!("expected the announcement form: {opened:?}")
        };
        let title = format!("Annonce programmée n°{}", i + 1);
        let fields = [
            ("title", title.as_str()),
            ("message", "Les inscriptions sont ouvertes."),
        ];
        let done = handled(
            &state,
            &out,
            run(&state, &alice, form(&modal.custom_id, &fields)).await,
        )
        .await;
        assert!(matches!(done.body, Body::Message(_)), "{done:?}");
        announcements.push(title);
    }

    // The cards were posted before the crash-prone hour: Discord knows them.
    let cards: Vec<(i64, i64, i64)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT id, card_channel_id, card_message_id FROM events WHERE card_message_id IS NOT NULL",
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert!(cards.len() > 2, "the cards were posted: {cards:?}");
    let last_event = cards.iter().map(|(id, _, _)| *id).max().unwrap_or_default();
    let mut closing_card = 0;
    for (id, channel, message) in cards {
        fake.seed_message(message_json(message as u64, channel as u64, "", Value::Null));
        if id == closing_event {
            closing_card = message as u64;
        }
    }

    let due: Vec<(i64, String)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT id, CASE WHEN kind = 'reminder' AND ref_id != $1 THEN 'late_reminder' ELSE kind END
         FROM jobs WHERE due_at <= $2 AND status = 'pending' ORDER BY id",
    )
    .bind(event)
    .bind(real_now.timestamp())
    .fetch_all(db)
    .await)
    .unwrap();
    let kinds: Vec<&str> = due.iter().map(|(_, k)| k.as_str()).collect();
    assert!(kinds.contains(&"reminder"), "the reminder is due: {kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "announcement").count(),
        ANNOUNCEMENTS
    );
    assert_eq!(kinds.iter().filter(|k| **k == "deadline").count(), 1);
    assert_eq!(
        kinds.iter().filter(|k| **k == "occurrences").count(),
        SERIES.len()
    );
    state.pool.close().await;
    Seeded {
        reminded,
        not_reminded,
        announcements,
        closing_event,
        closing_card,
        last_event,
        due,
    }
}

/// A message the bot created: a DM or a channel post (not an interaction answer).
fn is_creation(call: &Call) -> bool {
    call.method == "POST" && call.path.starts_with("/api/v10/channels/") && call.path.ends_with("/messages")
}

fn channel_of(call: &Call) -> u64 {
    call.path
        .trim_start_matches("/api/v10/channels/")
        .trim_end_matches("/messages")
        .parse()
        .expect("a channel id")
}

fn creations(fake: &FakeDiscord) -> usize {
    fake.calls().iter().filter(|c| is_creation(c)).count()
}

/// Jobs due by now and not finished (nor given up), with their status: the
/// ones seeded, and those planned since (the cards of new dates). A series'
/// extension, once performed, is pending again for next week.
async fn unfinished(pool: &Db) -> Vec<(i64, String, String)> {
    let rows: Vec<(i64, String, String, i64)> = rencontre::on_db!(pool, |db| sqlx::query_as(
        "SELECT id, kind, status, due_at FROM jobs ORDER BY id"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    let now = Utc::now().timestamp();
    rows.into_iter()
        .filter(|(_, _, status, due_at)| {
            !matches!(status.as_str(), "done" | "dropped" | "failed") && *due_at <= now
        })
        .map(|(id, kind, status, _)| (id, kind, status))
        .collect()
}

/// Waits until the fake has seen `target` created messages in all, or the due
/// jobs are all done; true if the target was reached.
async fn wait_for_creations(fake: &FakeDiscord, pool: &Db, target: usize) -> bool {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if creations(fake) >= target {
            return true;
        }
        if unfinished(pool).await.is_empty() {
            return false;
        }
        assert!(
            Instant::now() < deadline,
            "no progress: {} messages created, jobs unfinished: {:?}",
            creations(fake),
            unfinished(pool).await
        );
        let mark = fake.call_count();
        fake.wait_for_call_after(mark, is_creation, Duration::from_millis(100))
            .await;
    }
}

/// Created messages per (channel, nonce), with the first one's body: what
/// Discord keeps when every post sets `enforce_nonce`.
fn distinct_messages(calls: &[Call]) -> BTreeMap<u64, BTreeMap<String, Value>> {
    let mut out: BTreeMap<u64, BTreeMap<String, Value>> = BTreeMap::new();
    for call in calls.iter().filter(|c| is_creation(c)) {
        assert_eq!(
            call.body["enforce_nonce"], true,
            "every message enforces its nonce: {:?}",
            call.body
        );
        let nonce = call.body["nonce"]
            .as_str()
            .unwrap_or_else(|| panic!("a message without a nonce: {:?}", call.body))
            .to_owned();
        out.entry(channel_of(call))
            .or_default()
            .entry(nonce)
            .or_insert_with(|| call.body.clone());
    }
    out
}

fn text_of(body: &Value) -> String {
    let mut out = vec![body["content"].as_str().unwrap_or_default().to_owned()];
    for embed in body["embeds"].as_array().into_iter().flatten() {
        out.push(embed["title"].as_str().unwrap_or_default().to_owned());
        out.push(embed["description"].as_str().unwrap_or_default().to_owned());
    }
    out.join("\n")
}
