//! Discord's 2026 permission split through serenity and the fake Discord:
//! pins use the current route, a refused pin is told to the admin, and
//! `/setup check` reads bit 51 (Pin Messages) that serenity's types drop.

use crate::support;

use rencontre::store::settings::{self, Change};
use serde_json::json;
use support::bot::*;

const AGENDA: u64 = 100;
const INTROS: u64 = 102;
const PIN_MESSAGES: u64 = 1 << 51;

/// The agenda and introductions channels, set before the bot starts.
async fn with_channels(world: &World) {
    let state = world.state().await;
    let channels = Change::Channels {
        agenda: Some(AGENDA),
        intro: Some(INTROS),
        announce: None,
    };
    settings::update(&state.pool, 1, channels, state.now())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_check_sees_a_channel_where_the_bot_cannot_pin() {
    let world = World::new().await;
    with_channels(&world).await;
    // Pin Messages is denied to everyone in the introductions channel.
    world.fake.set_overwrites(
        INTROS,
        json!([{ "id": "1", "type": 0, "allow": "0", "deny": PIN_MESSAGES.to_string() }]),
    );
    let bot = world.start().await;
    let root = admin(1, "root");
    let check = world.command("setup", sub("check", json!([])), &root).await;
    let text = readable(&check);
    assert!(
        text.contains("<#102>: Je ne peux pas épingler le message « Me présenter ».\nSolution : Modifier le salon → Permissions → Rencontre, autorisez « Épingler des messages »."),
        "{text}"
    );
    // Granted through the role (bit 51 read from raw JSON): nothing to fix.
    assert!(
        text.contains("<#100>: tout ce qu'il faut est autorisé."),
        "{text}"
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intro_button_is_pinned_on_the_current_route_and_a_refusal_is_told() {
    let world = World::new().await;
    with_channels(&world).await;
    let bot = world.start().await;
    let root = admin(1, "root");
    world
        .command("setup", sub("intro-button", json!([])), &root)
        .await;
    let pinned = world
        .fake
        .wait_for_call(|c| c.is("PUT", "/api/v10/channels/102/messages/pins/"), WAIT)
        .await;
    assert!(
        pinned.is_some(),
        "pinned on PUT /channels/{{id}}/messages/pins/{{message}}"
    );

    // Discord refuses the pin for lack of Pin Messages: the admin, who was
    // told "posted", learns why it is not pinned and what to do.
    world.fake.fail_next(
        "/messages/pins/",
        403,
        json!({ "code": 50013, "message": "Missing Permissions" }),
    );
    let mark = world.fake.call_count();
    world
        .command("setup", sub("intro-button", json!([])), &root)
        .await;
    let told = world
        .fake
        .wait_for_call_after(
            mark,
            |c| {
                c.is("POST", "/channels/900001/messages")
                    && readable(&c.body).contains("je n'ai pas pu l'épingler")
                    && readable(&c.body).contains("« Épingler des messages »")
            },
            WAIT,
        )
        .await;
    assert!(told.is_some(), "the admin was told by DM");
    stop(bot).await;
}
