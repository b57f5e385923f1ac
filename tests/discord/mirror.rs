//! `/setup mirror on`: events mirrored to Discord's native scheduled events,
//! kept in sync, pointing at the card; a missing permission pauses it.

use crate::support;

use serde_json::json;
use support::bot::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_mirrored_kept_in_sync_and_paused_without_permission() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let root = admin(1, "root");
    let on = world
        .command("setup", sub("mirror", json!([str_opt("state", "on")])), &root)
        .await;
    assert!(readable(&on).contains("activé"), "{on}");

    let (event, card) = create_event(&world, &state, "Rencontres numériques", 30).await;
    let created = world
        .fake
        .wait_for_call(|c| c.is("POST", "/guilds/1/scheduled-events"), WAIT)
        .await
        .expect("the event was mirrored");
    assert_eq!(created.body["entity_type"], 3, "external: {}", created.body);
    assert_eq!(created.body["name"], "Rencontres numériques");
    assert!(created.body["scheduled_end_time"].is_string());
    assert!(created.body["entity_metadata"]["location"].is_string());
    let link = format!("https://discord.com/channels/1/100/{card}");
    assert!(
        created.body["description"].as_str().unwrap().contains(&link),
        "{}",
        created.body
    );

    // An edit updates the mirror; a cancellation cancels it.
    let alice = organizer(10, "alice");
    let edit = sub(
        "edit",
        json!([
            str_opt("event", &event.to_string()),
            str_opt("location", "EILCO, Calais")
        ]),
    );
    world.command("event", edit, &alice).await;
    let patched = world
        .fake
        .wait_for_call(
            |c| {
                c.is("PATCH", "/guilds/1/scheduled-events/")
                    && c.body["entity_metadata"]["location"] == "EILCO, Calais"
            },
            WAIT,
        )
        .await;
    assert!(patched.is_some(), "mirror updated");
    world
        .command(
            "event",
            sub("cancel", json!([str_opt("event", &event.to_string())])),
            &alice,
        )
        .await;
    let cancelled = world
        .fake
        .wait_for_call(
            |c| c.is("PATCH", "/guilds/1/scheduled-events/") && c.body["status"] == 4,
            WAIT,
        )
        .await;
    assert!(cancelled.is_some(), "mirror cancelled");

    // Without Create Events: paused, the organizer told what to grant, not retried.
    world.fake.fail_next(
        "/scheduled-events",
        403,
        json!({ "code": 50013, "message": "Missing Permissions" }),
    );
    let mark = world.fake.call_count();
    create_event(&world, &state, "Conférence 4G", 30).await;
    let told = world
        .fake
        .wait_for_call_after(
            mark,
            |c| {
                c.is("POST", "/channels/900010/messages")
                    && readable(&c.body).contains("« Créer des événements »")
            },
            WAIT,
        )
        .await;
    assert!(told.is_some(), "the organizer was told");
    let attempts = || {
        world
            .fake
            .calls()
            .iter()
            .skip(mark)
            .filter(|c| c.is("POST", "/scheduled-events"))
            .count()
    };
    assert_eq!(attempts(), 1, "a 403 is not retried");
    create_event(&world, &state, "Salon Entrepreneurs Expo", 30).await;
    assert_eq!(attempts(), 1, "paused: no more attempts");
    let shown = world.command("setup", sub("show", json!([])), &root).await;
    assert!(readable(&shown).contains("en pause"), "{shown}");
    stop(bot).await;
}
