//! Crash safety of the real binary: storms of RSVP clicks cut short by
//! `kill -9` at a pseudo-random moment. Whatever the moment, the database is
//! intact, every click the bot acknowledged is stored as it was told to the
//! member, the capacity holds and the waitlist is in arrival order; and the
//! restarted binary answers the next click.

use crate::support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::bot::*;
use support::fake_discord::*;
use support::processes::*;
use support::storm::*;

const CAPACITY: i64 = 30;
const ROUNDS: u64 = 4;
/// The default seed; `CRASH_SEED=<n>` explores other kill moments, and the
/// failure message repeats the seed used.
const SEED: u64 = 0x5EED_2026_1129;
const TITLE: &str = "Rencontres numériques";
/// Each round kills the bot only after it acknowledged at least this many of
/// the round's clicks, so every round checks answers that were really given.
const MIN_ACKNOWLEDGED: usize = 5;

/// A click sent to the bot: interaction id and member.
struct Sent {
    id: String,
    user: u64,
}

/// What an acknowledged click told its member.
struct Acknowledged {
    user: u64,
    text: String,
    round: u64,
}

/// The organizer creates the event; returns (event id, card message id).
async fn create_event_through(world: &World, url: &str) -> (i64, u64) {
    let options = sub(
        "create",
        json!([str_opt("title", TITLE), str_opt("when", "2026-12-17 18:30"),
               { "type": 4, "name": "capacity", "value": CAPACITY }]),
    );
    let reply = world.command("event", options, &organizer(10, "alice")).await;
    assert!(readable(&reply).contains("créé pour le"), "{reply}");
    let pool = open(url).await;
    let found = eventually(WAIT, || async {
        let row: Option<(i64, Option<i64>)> = rencontre::on_db!(&pool, |db| sqlx::query_as(
            "SELECT id, card_message_id FROM events WHERE title = $1"
        )
        .bind(TITLE)
        .fetch_optional(db)
        .await)
        .unwrap();
        row.and_then(|(id, card)| Some((id, card? as u64)))
    })
    .await;
    pool.close().await;
    found.expect("the event and its card were stored")
}

/// One click answered by a freshly started bot, and stored as answered.
async fn click_is_answered(world: &World, url: &str, event: i64, card: u64, user: u64) {
    let who = member(user, &format!("m{user}"));
    let reply = click(world, card, event, "going", &who).await;
    let text = readable(&reply);
    assert!(
        text.contains("liste d'attente") || text.contains("vous participez"),
        "{reply}"
    );
    let pool = open(url).await;
    let rows = rsvp_rows(&pool, event).await;
    pool.close().await;
    let row = rows.iter().find(|r| r.user_id == user as i64).expect("stored");
    assert!(matches!(row.status.as_str(), "going" | "waitlisted"), "{row:?}");
}

/// Checks what the database holds after a kill against what was acknowledged.
async fn check_after_kill(url: &str, event: i64, acknowledged: &[Acknowledged], context: &str) {
    // A killed SQLite writer must leave a sound file (PostgreSQL's own
    // recovery is not ours to check).
    assert_eq!(integrity(url).await, "ok", "{context}");
    let pool = open(url).await;
    let rows = rsvp_rows(&pool, event).await;
    pool.close().await;
    if let Err(problem) = check_queue(&rows, CAPACITY) {
        panic!("{problem}: {rows:#?}\n{context}");
    }
    for ack in acknowledged {
        let row = rows
            .iter()
            .find(|r| r.user_id == ack.user as i64)
            .unwrap_or_else(|| {
                panic!(
                    "member {} (round {}) was answered {:?} but has no RSVP\n{context}",
                    ack.user, ack.round, ack.text
                )
            });
        // A deferred answer or one cut mid-request has no text: the row is enough.
        if ack.text.contains("vous participez") {
            assert_eq!(row.status, "going", "member {}: {context}", ack.user);
        } else if let Some(rest) = ack.text.split("n° ").nth(1) {
            let told: i64 = rest.split(' ').next().unwrap().parse().unwrap();
            assert_eq!(row.status, "waitlisted", "member {}: {context}", ack.user);
            assert_eq!(row.position, Some(told), "member {}: {context}", ack.user);
        } else {
            assert!(
                matches!(row.status.as_str(), "going" | "waitlisted"),
                "member {}: {row:?} {context}",
                ack.user
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_rsvp_storms_loses_no_acknowledged_answer() {
    let started = Instant::now();
    let world = World::new().await;
    let database = support::database::TestDatabase::new().await;
    let url = database.url.clone();
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut rng = Rng::new(seed);
    let mut acknowledged: Vec<Acknowledged> = Vec::new();
    let mut event_card = None;
    let mut next_member = 100_000;

    for round in 0..=ROUNDS {
        let identifies = world.fake.identify_count();
        let mut bot = BotProcess::spawn(&world.fake.base_url(), &url);
        assert!(
            wait_new_session(&world.fake, identifies, WAIT).await,
            "round {round}: the binary (pid {}) connected",
            bot.pid()
        );
        let (event, card) = match event_card {
            Some(known) => known,
            None => *event_card.insert(create_event_through(&world, &url).await),
        };
        if round > 0 {
            // Restarted after a kill: the next click is answered.
            next_member += 1;
            click_is_answered(&world, &url, event, card, next_member).await;
        }
        if round == ROUNDS {
            break;
        }

        let clicks = rng.between(40, 80);
        let kill_after = Duration::from_millis(rng.between(0, 150));
        let custom_id = format!("rsvp:v1:{event}:going");
        let gate = tokio::sync::Mutex::new(false);
        let mut sent: Vec<Sent> = Vec::new();
        let storm_start = Instant::now();
        let mark = world.fake.call_count();
        let storm = async {
            for _ in 0..clicks {
                next_member += 1;
                let who = member(next_member, &format!("m{next_member}"));
                let interaction = button(world.id(), &custom_id, card_message(card, event), &who);
                let killed = gate.lock().await;
                if *killed {
                    break;
                }
                // Only queued on the gateway socket: the storm does not wait for answers.
                world.fake.send_interaction(interaction.clone()).await;
                let id = interaction["id"].as_str().unwrap().to_owned();
                sent.push(Sent { id, user: who.id });
                drop(killed);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        };
        let killer = async {
            let deadline = Instant::now() + WAIT;
            while matching(&world.fake.calls()[mark..], "POST", "/interactions/").len() < MIN_ACKNOWLEDGED {
                assert!(
                    Instant::now() < deadline,
                    "round {round}: the bot answered no click"
                );
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            tokio::time::sleep(kill_after).await;
            // Holding the gate, no click is sent to a dead bot.
            let mut killed = gate.lock().await;
            *killed = true;
            bot.kill9()
        };
        let ((), logs) = tokio::join!(storm, killer);
        let killed_at = storm_start.elapsed();

        let calls = world.fake.calls();
        let before = acknowledged.len();
        for click in &sent {
            if let Some(callback) = callbacks_for(&calls, &click.id).first() {
                acknowledged.push(Acknowledged {
                    user: click.user,
                    text: callback_text(callback),
                    round,
                });
            }
        }
        let context = format!(
            "seed {seed:#x}, round {round}: {} clicks sent, {} acknowledged, killed after {killed_at:?}\n\
             bot log tail:\n{}",
            sent.len(),
            acknowledged.len() - before,
            tail(&logs, 2_000)
        );
        eprintln!("{}", context.lines().next().unwrap_or_default());
        assert!(acknowledged.len() - before >= MIN_ACKNOWLEDGED, "{context}");
        assert!(!logs.contains("panicked"), "{context}");
        check_after_kill(&url, event, &acknowledged, &context).await;
    }
    eprintln!(
        "{} acknowledged clicks checked in {:?}",
        acknowledged.len(),
        started.elapsed()
    );
}
