//! The agenda's menu "Répondre pour…" through serenity and the fake
//! Discord: sent as a string select, and a pick answers like the card's
//! button, the card refreshed.

use crate::support;

use serde_json::json;
use support::bot::*;
use support::fake_discord::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pick_in_the_agenda_menu_answers_and_refreshes_the_card() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Rencontres numériques", 30).await;

    let bob = member(21, "bob");
    let agenda = world.command("agenda", json!([]), &bob).await;
    assert!(is_private(&agenda));
    let link = format!("https://discord.com/channels/1/100/{card}");
    assert!(readable(&agenda).contains(&link), "{agenda}");
    let menu = &agenda["data"]["components"][0]["components"][0];
    assert_eq!(menu["type"], 3, "a string select: {agenda}");
    assert_eq!(menu["custom_id"], "answer:v1");
    assert_eq!(menu["placeholder"], "Répondre pour…");
    let going = format!("rsvp:v1:{event}:going");
    assert_eq!(menu["options"][0]["value"], going.as_str());

    // Bob picks "Je participe" in the menu of his private agenda.
    let mut pick = button(
        world.id(),
        "answer:v1",
        message_json(world.id(), 100, "", json!([])),
        &bob,
    );
    pick["data"] = json!({ "custom_id": "answer:v1", "component_type": 3, "values": [going] });
    let answer = world.interact(pick).await;
    assert!(is_private(&answer));
    assert!(
        readable(&answer).contains("vous participez à « Rencontres numériques »"),
        "{answer}"
    );
    let edited = format!("/channels/100/messages/{card}");
    let refreshed = world
        .fake
        .wait_for_call(
            |c| c.is("PATCH", &edited) && readable(&c.body).contains("Participants: 1/30"),
            WAIT,
        )
        .await;
    assert!(refreshed.is_some(), "the card shows the answer");
    stop(bot).await;
}
