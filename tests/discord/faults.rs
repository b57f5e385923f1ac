//! Fault injection through serenity and the fake Discord: the gateway drops,
//! asks to reconnect or invalidates the session; a resume replays what was
//! already handled; REST sends meet 429, 5xx and 403; a reminder's DM keeps
//! failing. After each, nothing is lost, nothing is done twice, and the bot
//! keeps answering. (The fake cannot delay an answer, so REST timeouts are
//! not covered here.)

use crate::support;

use std::time::Duration;

use chrono::TimeZone;
use serde_json::{json, Value};
use support::bot::*;
use support::fake_discord::*;
use support::storm::*;

/// The bot answers a fresh command: it is connected and serving.
async fn answers(world: &World, who: u64) {
    let body = world.command("agenda", json!([]), &member(who, "m")).await;
    assert!(readable(&body).contains("Agenda"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_comes_back_after_every_kind_of_gateway_fault() {
    let world = World::new().await;
    let bot = world.start().await;
    answers(&world, 60).await;

    // A dropped TCP connection (1006), Reconnect (op 7), a resumable Invalid
    // Session (op 9, true): serenity comes back, and resumes.
    for (i, fault) in ["drop (1006)", "op 7 reconnect", "op 9 resumable"]
        .iter()
        .enumerate()
    {
        let before = world.fake.identify_count() + world.fake.resume_count();
        let resumes = world.fake.resume_count();
        match i {
            0 => world.fake.close_gateway(1006).await,
            1 => world.fake.send_op(7, Value::Null).await,
            _ => world.fake.send_op(9, json!(true)).await,
        }
        assert!(
            wait_reconnected(&world.fake, before, WAIT).await,
            "no new session after {fault}"
        );
        assert!(
            world.fake.resume_count() > resumes,
            "{fault}: the session was resumed"
        );
        answers(&world, 61 + i as u64).await;
    }

    // Not resumable: serenity waits about 5 s, then identifies again.
    let identifies = world.fake.identify_count();
    let started = std::time::Instant::now();
    world.fake.send_op(9, json!(false)).await;
    assert!(
        wait_new_session(&world.fake, identifies, WAIT).await,
        "no new IDENTIFY after op 9 (not resumable)"
    );
    eprintln!("re-identified {:?} after op 9 false", started.elapsed());
    answers(&world, 64).await;
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispatches_replayed_after_a_resume_are_not_applied_twice() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Rencontres numériques", 10).await;

    let bob = member(21, "bob");
    let custom_id = format!("rsvp:v1:{event}:going");
    let click = button(world.id(), &custom_id, card_message(card, event), &bob);
    let click_id = click["id"].as_str().unwrap().to_owned();
    assert!(readable(&world.interact(click.clone()).await).contains("vous participez"));
    let options = sub(
        "create",
        json!([
            str_opt("title", "Salon Expo"),
            str_opt("when", "2026-12-10 09:00")
        ]),
    );
    let create = slash_command(world.id(), "event", options, &organizer(10, "alice"));
    let create_id = create["id"].as_str().unwrap().to_owned();
    assert!(readable(&world.interact(create.clone()).await).contains("créé pour le"));

    // Discord replays the click and the command on resume, as if the client
    // had missed them, along with a click it really missed: that one must be
    // handled, the other two not again.
    let missed = button(
        world.id(),
        &custom_id,
        card_message(card, event),
        &member(23, "dave"),
    );
    let missed_id = missed["id"].as_str().unwrap().to_owned();
    world.fake.replay_on_resume(vec![
        ("INTERACTION_CREATE".into(), click),
        ("INTERACTION_CREATE".into(), missed),
        ("INTERACTION_CREATE".into(), create),
    ]);
    let resumes = world.fake.resume_count();
    world.fake.close_gateway(4000).await;
    let back = eventually(WAIT, || async {
        (world.fake.resume_count() > resumes).then_some(())
    })
    .await;
    assert!(back.is_some() && world.fake.wait_ready(WAIT).await, "resumed");
    // Replays are recognised on arrival: once the missed click and a later
    // command are answered, a duplicate answer would have had time to come.
    let path = format!("/interactions/{missed_id}/");
    let handled = world.fake.wait_for_call(|c| c.is("POST", &path), WAIT).await;
    assert!(
        handled.is_some(),
        "the replayed click the bot had missed was answered"
    );
    answers(&world, 22).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let calls = world.fake.calls();
    assert_eq!(
        callbacks_for(&calls, &click_id).len(),
        1,
        "the click was answered once"
    );
    assert_eq!(
        callbacks_for(&calls, &create_id).len(),
        1,
        "the command was answered once"
    );
    assert_eq!(
        callbacks_for(&calls, &missed_id).len(),
        1,
        "the missed click was handled"
    );
    let rows: Vec<(String, i64)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT status, arrival_seq FROM rsvps WHERE event_id = $1 AND user_id = 21"
    )
    .bind(event)
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(rows, vec![("going".to_owned(), 1)]);
    let created: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE title = 'Salon Expo'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(created, 1, "the replayed command did not create the event twice");
    stop(bot).await;
}

/// Creates an event whose card post first meets `status`; checks the card is
/// posted once, the retry carrying the same enforced nonce.
async fn card_posted_once_after(world: &World, state: &rencontre::state::AppState, title: &str, status: u16) {
    let body = if status == 429 {
        json!({ "message": "You are being rate limited.", "retry_after": 0.1, "global": false, "code": 0 })
    } else {
        json!({ "message": "Internal Server Error", "code": 0 })
    };
    world.fake.fail_next("/channels/100/messages", status, body);
    let (_, card) = create_event(world, state, title, 20).await;
    let calls = world.fake.calls();
    let posts: Vec<&Call> = matching(&calls, "POST", "/channels/100/messages")
        .into_iter()
        .filter(|c| readable(&c.body).contains(title))
        .collect();
    // The fake records the refused call too: one refused, one accepted.
    assert_eq!(posts.len(), 2, "{status}: tried twice");
    assert_eq!(
        nonce_of(posts[0]),
        nonce_of(posts[1]),
        "{status}: a retry reuses its nonce"
    );
    assert!(nonce_of(posts[0]).is_string() && posts[0].body["enforce_nonce"] == true);
    let message = world.fake.message(card).expect("the stored card exists");
    assert!(readable(&message).contains(title), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_post_meeting_429_or_500_is_posted_exactly_once() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    card_posted_once_after(&world, &state, "Conférence 4G", 429).await;
    card_posted_once_after(&world, &state, "Conférence fibre", 500).await;
    answers(&world, 21).await;
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_retried_and_then_posts_the_card() {
    // How long the pause lasts is the outlet's rule, tested without a clock
    // (`pause_before_retry`); here: the retry happens and it lands.
    let world = World::new().await;
    let bot = world.start().await;
    let limited =
        json!({ "message": "You are being rate limited.", "retry_after": 2.0, "global": false, "code": 0 });
    world.fake.fail_next("/channels/100/messages", 429, limited);
    let options = sub(
        "create",
        json!([
            str_opt("title", "Conférence 4G"),
            str_opt("when", "2026-12-03 18:30")
        ]),
    );
    world.command("event", options, &organizer(10, "alice")).await;
    let post = |c: &Call| c.is("POST", "/channels/100/messages");
    let (first, _) = world
        .fake
        .wait_for_call_after(0, post, WAIT)
        .await
        .expect("the card post was tried");
    let retried = world.fake.wait_for_call_after(first + 1, post, WAIT).await;
    let (_, call) = retried.expect("the card post was retried");
    assert!(readable(&call.body).contains("Conférence 4G"), "{}", call.body);
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promotion_dm_meeting_500_is_delivered_once() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Café numérique", 1).await;
    let (bob, dave) = (member(21, "bob"), member(23, "dave"));
    click(&world, card, event, "going", &bob).await;
    click(&world, card, event, "going", &dave).await;
    world.fake.fail_next(
        "/channels/9000",
        500,
        json!({ "message": "Internal Server Error", "code": 0 }),
    );
    click(&world, card, event, "declined", &bob).await;
    let delivered = world
        .fake
        .wait_for_call_after(0, |c| c.is("POST", "/channels/900023/messages"), WAIT)
        .await
        .expect("the promotion DM was attempted");
    world
        .fake
        .wait_for_call_after(
            delivered.0 + 1,
            |c| c.is("POST", "/channels/900023/messages"),
            WAIT,
        )
        .await
        .expect("the promotion DM was retried");
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let calls = world.fake.calls();
    let dms = matching(&calls, "POST", "/channels/900023/messages");
    assert_eq!(dms.len(), 2, "one refused, one delivered");
    assert_eq!(nonce_of(dms[0]), nonce_of(dms[1]));
    assert!(
        readable(&dms[1].body).contains("Bonne nouvelle"),
        "{}",
        dms[1].body
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_edit_refused_with_403_is_not_retried() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Assemblée générale", 10).await;
    let edits = format!("/channels/100/messages/{card}");
    let missing_access = json!({ "message": "Missing Access", "code": 50001 });
    world.fake.fail_next(&edits, 403, missing_access);
    let mark = world.fake.call_count();
    click(&world, card, event, "going", &member(21, "bob")).await;
    let refused = world
        .fake
        .wait_for_call_after(mark, |c| c.is("PATCH", &edits), WAIT)
        .await
        .expect("the card edit was tried");
    // A retry would come 250 ms later; wait well past the whole backoff.
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let calls = world.fake.calls();
    assert_eq!(
        matching(&calls[mark..], "PATCH", &edits).len(),
        1,
        "a 403 is not retried"
    );

    // The next change edits the card again, and this time it goes through.
    click(&world, card, event, "going", &member(22, "carol")).await;
    world
        .fake
        .wait_for_call_after(refused.0 + 1, |c| c.is("PATCH", &edits), WAIT)
        .await
        .expect("the next change edits the card");
    let shown = world.fake.message(card).unwrap();
    assert!(readable(&shown).contains("2/10"), "{}", readable(&shown));
    stop(bot).await;
}

/// The first reminder job of `event`: (status, attempts, last_error).
async fn reminder_job(state: &rencontre::state::AppState, event: i64) -> (String, i64, Option<String>) {
    rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT status, attempts, last_error FROM jobs
         WHERE kind = 'reminder' AND ref_id = $1 ORDER BY due_at LIMIT 1",
    )
    .bind(event)
    .fetch_one(db)
    .await)
    .unwrap()
}

/// Creates an event with one going member, then moves the clock past the
/// 24 h reminder (2 December, 19:00 in Paris).
async fn reminder_due(world: &World, state: &rencontre::state::AppState) -> i64 {
    let (event, card) = create_event(world, state, "Rencontres numériques", 10).await;
    click(world, card, event, "going", &member(21, "bob")).await;
    world
        .clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 18, 0, 0).unwrap());
    event
}

const REMINDER_DM: &str = "/channels/900021/messages";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_reminder_is_recorded_retried_later_and_delivered_once() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let event = reminder_due(&world, &state).await;
    // Every try of the first attempt fails (the outlet tries 4 times).
    for _ in 0..4 {
        let error = json!({ "message": "Internal Server Error", "code": 0 });
        world.fake.fail_next(REMINDER_DM, 500, error);
    }
    // A restart makes the runner look at the schedule at once.
    stop(bot).await;
    let bot = world.start().await;
    let failed = eventually(WAIT, || async {
        let job = reminder_job(&state, event).await;
        (job.0 == "pending" && job.2.is_some()).then_some(job)
    })
    .await;
    let job = reminder_job(&state, event).await;
    let failed = failed.unwrap_or_else(|| panic!("the failure was not recorded: {job:?}"));
    assert_eq!(failed.1, 1, "one attempt so far");
    assert!(
        failed.2.as_deref().unwrap_or_default().contains("failed"),
        "{failed:?}"
    );
    assert_eq!(matching(&world.fake.calls(), "POST", REMINDER_DM).len(), 4);

    // Past the backoff (30 s · 2^attempts), the next look delivers it.
    world.clock.advance(chrono::Duration::seconds(61));
    stop(bot).await;
    let bot = world.start().await;
    let done = eventually(WAIT, || async {
        let job = reminder_job(&state, event).await;
        (job.0 == "done").then_some(job)
    })
    .await;
    assert!(done.is_some(), "the reminder was delivered on a later attempt");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let calls = world.fake.calls();
    let dms = matching(&calls, "POST", REMINDER_DM);
    assert_eq!(dms.len(), 5, "four refused tries, then one delivered DM");
    assert!(readable(&dms[4].body).contains("Rappel"), "{}", dms[4].body);
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_wakes_the_job_runner() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    reminder_due(&world, &state).await;
    answers(&world, 22).await;
    let dm = world
        .fake
        .wait_for_call(|c| c.is("POST", REMINDER_DM), Duration::from_secs(5))
        .await;
    assert!(
        dm.is_some(),
        "the due reminder was sent soon after an interaction"
    );
    stop(bot).await;
}
