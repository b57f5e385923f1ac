//! `/setup threads` through serenity and the fake Discord: the thread is
//! started on the card's message, going members are added, a change is
//! posted in it, it is archived by the job; a missing permission is said
//! at setup (nothing saved) and, at run time, turns threads off and tells
//! the admin.

use crate::support;

use std::sync::Arc;

use rencontre::config::Secret;
use rencontre::discord::outlet::DiscordOutlet;
use serde_json::json;
use support::bot::*;

const CREATE_PUBLIC_THREADS: u64 = 1 << 35;

fn threads_on() -> serde_json::Value {
    sub(
        "threads",
        json!([{ "type": 5, "name": "enabled", "value": true }]),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_gets_a_thread_going_members_join_changes_are_told_and_it_is_archived() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let root = admin(1, "root");
    let on = world.command("setup", threads_on(), &root).await;
    assert!(readable(&on).contains("Fils de discussion activés"), "{on}");

    let (event, card) = create_event(&world, &state, "Rencontres numériques", 30).await;
    let path = format!("/channels/100/messages/{card}/threads");
    let started = world
        .fake
        .wait_for_call(|c| c.is("POST", &path), WAIT)
        .await
        .expect("a thread was started on the card");
    assert_eq!(started.body["name"], "Rencontres numériques");
    let thread: u64 = world.fake.thread_on(card).unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let bob = member(21, "bob");
    click(&world, card, event, "going", &bob).await;
    let added = format!("/channels/{thread}/thread-members/21");
    assert!(
        world
            .fake
            .wait_for_call(|c| c.is("PUT", &added), WAIT)
            .await
            .is_some(),
        "bob was added to the thread"
    );

    let alice = organizer(10, "alice");
    let edit = sub(
        "edit",
        json!([
            str_opt("event", &event.to_string()),
            str_opt("location", "EILCO, Calais")
        ]),
    );
    world.command("event", edit, &alice).await;
    let posts = format!("/channels/{thread}/messages");
    let told = world
        .fake
        .wait_for_call(|c| c.is("POST", &posts), WAIT)
        .await
        .expect("the thread was told");
    assert!(readable(&told.body).contains("📍 EILCO, Calais"), "{}", told.body);
    assert_eq!(told.body["allowed_mentions"]["parse"], json!([]));

    // The archiving job, through the real REST client, a day after the end.
    let http =
        rencontre::discord::http_client(&Secret::new("fake-token".into()), Some(&world.fake.base_url()));
    let outlet = DiscordOutlet {
        http: Arc::new(http),
        directory: Arc::default(),
    };
    world.clock.advance(chrono::Duration::days(6));
    // Whichever runner claims the job first archives the thread: this
    // run_due, or the bot's own runner (woken by anything the bot did
    // meanwhile, it may hold the claim while this call finds nothing due).
    rencontre::jobs::run_due(&state, &outlet).await.unwrap();
    let thread_path = format!("/channels/{thread}");
    let archived = world
        .fake
        .wait_for_call(|c| c.method == "PATCH" && c.path.ends_with(&thread_path), WAIT)
        .await
        .expect("the thread was archived");
    assert_eq!(archived.body["archived"], true);
    assert_eq!(
        world.fake.thread_on(card).unwrap()["thread_metadata"]["archived"],
        true
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_create_public_threads_setup_says_so_and_saves_nothing() {
    let world = World::new().await;
    world.fake.set_overwrites(
        100,
        json!([{ "id": "1", "type": 0, "allow": "0", "deny": CREATE_PUBLIC_THREADS.to_string() }]),
    );
    let bot = world.start().await;
    let state = world.state().await;
    let root = admin(1, "root");
    let refused = world.command("setup", threads_on(), &root).await;
    assert!(is_private(&refused));
    assert!(
        readable(&refused).contains("autorisez « Créer des fils publics »"),
        "{refused}"
    );
    assert!(
        !rencontre::store::settings::get(&state.pool, 1)
            .await
            .unwrap()
            .threads
    );
    let (_, card) = create_event(&world, &state, "Conférence 4G", 30).await;
    let path = format!("/messages/{card}/threads");
    assert!(
        !world.fake.calls().iter().any(|c| c.is("POST", &path)),
        "no thread attempted"
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_at_run_time_turns_threads_off_and_tells_the_admin() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let root = admin(1, "root");
    world.command("setup", threads_on(), &root).await;
    // The permission is taken away after the setup.
    world.fake.fail_next(
        "/threads",
        403,
        json!({ "code": 50013, "message": "Missing Permissions" }),
    );
    create_event(&world, &state, "Salon Entrepreneurs Expo", 30).await;
    let told = world
        .fake
        .wait_for_call(
            |c| {
                c.is("POST", "/channels/900001/messages")
                    && readable(&c.body).contains("« Créer des fils publics »")
            },
            WAIT,
        )
        .await;
    assert!(told.is_some(), "the admin who turned threads on was told");
    assert!(
        !rencontre::store::settings::get(&state.pool, 1)
            .await
            .unwrap()
            .threads
    );
    stop(bot).await;
}
