//! Rencontre through the real serenity client against a fake Discord on
//! 127.0.0.1: registration, cards, buttons, forms, DMs, autocomplete, the
//! context menu, refusals, garbage, restarts and reconnections.

// Only the fixture: the database helpers of tests/support/mod.rs are not
// needed, and compiling the fixture into every test binary would be slow.
use crate::support;

use std::time::Duration;

use serde_json::json;
use support::bot::*;
use support::fake_discord::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_cards_buttons_waitlist_and_promotion_dm() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;

    // The definitions are registered on the test server, French included.
    let put = world
        .fake
        .wait_for_call(|c| c.is("PUT", "/applications/4242/guilds/1/commands"), WAIT)
        .await
        .unwrap();
    let names: Vec<&str> = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names.len(), 13, "{names:?}");
    assert!(names.contains(&"event") && names.contains(&"Introduction"));
    let event_def = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "event")
        .unwrap();
    assert_eq!(event_def["name_localizations"]["fr"], "événement");

    let (event, card) = create_event(&world, &state, "Rencontres numériques", 2).await;

    // Capacity 2: two members get a seat, the third is waitlisted.
    let bob = member(21, "bob");
    let carol = member(22, "carol");
    let dave = member(23, "dave");
    assert!(readable(&click(&world, card, event, "going", &bob).await).contains("vous participez"));
    assert!(readable(&click(&world, card, event, "going", &carol).await).contains("vous participez"));
    let third = click(&world, card, event, "going", &dave).await;
    assert!(is_private(&third));
    assert!(
        readable(&third).contains("n° 1 sur la liste d'attente"),
        "{third}"
    );

    // Bob can't come: Dave is promoted and told by DM.
    let mark = world.fake.call_count();
    assert!(readable(&click(&world, card, event, "declined", &bob).await).contains("vous ne venez pas"));
    let dm_channel = world
        .fake
        .wait_for_call_after(
            mark,
            |c| c.is("POST", "/users/@me/channels") && c.body["recipient_id"] == "23",
            WAIT,
        )
        .await
        .expect("a DM channel with dave was opened");
    let dm = world
        .fake
        .wait_for_call_after(
            dm_channel.0,
            |c| c.is("POST", "/channels/") && readable(&c.body).contains("Bonne nouvelle"),
            WAIT,
        )
        .await
        .expect("dave got the promotion DM");
    assert_eq!(dm.1.body["allowed_mentions"]["parse"], json!([]));

    // The card was full with one waiting before; after the promotion it is
    // still full and nobody waits.
    let path = format!("/channels/100/messages/{card}");
    let promoted = world
        .fake
        .wait_for_call_after(
            mark,
            |c| {
                let shown = readable(&c.body);
                c.is("PATCH", &path) && shown.contains("2/2") && !shown.contains("Liste d'attente")
            },
            WAIT,
        )
        .await;
    assert!(
        promoted.is_some(),
        "the card shows the promotion: 2/2, no waitlist"
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_clicks_becomes_a_handful_of_card_edits() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "AG annuelle", 100).await;
    let mut answered = Vec::new();
    for i in 0..60 {
        let who = member(1_000 + i, &format!("m{i}"));
        let custom_id = format!("rsvp:v1:{event}:going");
        let interaction = button(world.id(), &custom_id, card_message(card, event), &who);
        answered.push(interaction["id"].as_str().unwrap().to_owned());
        world.fake.send_interaction(interaction).await;
    }
    for id in &answered {
        let path = format!("/interactions/{id}/");
        assert!(
            world
                .fake
                .wait_for_call(|c| c.is("POST", &path), WAIT)
                .await
                .is_some(),
            "click {id} answered"
        );
    }
    // The card ends showing every click; how the debounce groups them is
    // timed in `discord::outlet`'s paused-clock test, not here.
    let path = format!("/channels/100/messages/{card}");
    let last = world
        .fake
        .wait_for_call(
            |c| c.is("PATCH", &path) && readable(&c.body).contains("60/100"),
            WAIT,
        )
        .await;
    assert!(last.is_some(), "the card came to show 60/100");
    let edits = world.fake.calls().iter().filter(|c| c.is("PATCH", &path)).count();
    assert!(edits < 60, "{edits} edits for 60 clicks: not coalesced");
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_search_autocomplete_menu_and_refusals() {
    let world = World::new().await;
    let bot = world.start().await;

    // An admin picks the introductions channel.
    let root = admin(1, "root");
    let options = sub(
        "channels",
        json!([{ "type": 7, "name": "introductions", "value": "102" }]),
    );
    let body = world.command("setup", options, &root).await;
    assert!(readable(&body).contains("<#102>"), "{body}");
    let settings = rencontre::store::settings::get(&world.state().await.pool, 1)
        .await
        .unwrap();
    assert_eq!(settings.intro_channel, Some(102), "the channel was saved");

    // /intro opens the form; its submission posts the introduction with
    // @everyone and a role mention left inert.
    let eve = member(30, "eve");
    let form = world.command("intro", json!([]), &eve).await;
    assert_eq!(form["type"], 9, "a modal: {form}");
    assert_eq!(form["data"]["custom_id"], "intro:v1:form");
    let fields = [
        ("name", "Eve Martin"),
        ("organization", "Coteo"),
        ("about", "@everyone venez voir <@&10> !"),
        ("skills", "référencement, réseaux sociaux"),
        ("website", "coteo.fr"),
    ];
    let saved = world
        .interact(modal_submit(world.id(), "intro:v1:form", &fields, &eve))
        .await;
    assert!(readable(&saved).contains("publiée dans"), "{saved}");
    let post = world
        .fake
        .wait_for_call(|c| c.is("POST", "/channels/102/messages"), WAIT)
        .await
        .expect("intro posted");
    assert!(readable(&post.body).contains("@everyone venez voir <@&10>"));
    assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));
    assert!(post.body["allowed_mentions"]["roles"]
        .as_array()
        .is_none_or(|r| r.is_empty()));

    // Search finds her without the accent.
    let found = world
        .command(
            "member",
            sub("search", json!([str_opt("query", "referencement")])),
            &member(31, "zoe"),
        )
        .await;
    assert!(readable(&found).contains("Eve Martin"), "{found}");

    // The user context menu shows her introduction.
    let eve_target = member(30, "eve");
    let shown = world
        .interact(user_menu(world.id(), &eve_target, &member(31, "zoe")))
        .await;
    assert!(readable(&shown).contains("Coteo"), "{shown}");

    // Date autocomplete shows how the text was read.
    let options = sub(
        "create",
        json!([{ "type": 3, "name": "when", "value": "jeudi 18h", "focused": true }]),
    );
    let choices = world
        .interact(autocomplete(
            world.id(),
            "event",
            options,
            &organizer(10, "alice"),
        ))
        .await;
    assert_eq!(choices["type"], 8);
    let first = choices["data"]["choices"][0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        first.contains("jeudi 3 décembre 2026, 18:00 (Europe/Paris)"),
        "{choices}"
    );

    // A member may not create events.
    let options = sub(
        "create",
        json!([str_opt("title", "Pirate"), str_opt("when", "2026-12-10 18:00")]),
    );
    let refused = world.command("event", options, &member(32, "mallory")).await;
    assert!(is_private(&refused));
    assert!(
        readable(&refused).contains("Seuls les organisateurs"),
        "{refused}"
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_restart_and_reconnection_do_not_stop_the_bot() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Conférence 4G", 10).await;

    // A malformed dispatch, then an unknown button: the bot keeps serving.
    world
        .fake
        .dispatch_raw(
            "INTERACTION_CREATE",
            json!({ "id": "1", "type": 3, "garbage": true }),
        )
        .await;
    let stale = world
        .interact(button(
            world.id(),
            "who:knows",
            card_message(card, event),
            &member(40, "x"),
        ))
        .await;
    assert!(readable(&stale).contains("n'est plus valable"), "{stale}");
    let agenda = world.command("agenda", json!([]), &member(41, "y")).await;
    assert!(readable(&agenda).contains("Conférence 4G"), "{agenda}");

    // Restart on the same database: the old card's button still works, and
    // the unchanged definitions are not registered again.
    stop(bot).await;
    let registrations = || {
        world
            .fake
            .calls()
            .iter()
            .filter(|c| c.is("PUT", "/commands"))
            .count()
    };
    assert_eq!(registrations(), 1);
    let bot = world.start().await;
    let again = click(&world, card, event, "going", &member(42, "zed")).await;
    assert!(readable(&again).contains("vous participez"), "{again}");
    assert_eq!(registrations(), 1, "unchanged commands are not re-registered");

    // The fake drops the gateway connection: the bot comes back and answers.
    let sessions = world.fake.identify_count() + world.fake.resume_count();
    world.fake.close_gateway(4000).await;
    for _ in 0..100 {
        if world.fake.identify_count() + world.fake.resume_count() > sessions {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(world.fake.wait_ready(WAIT).await);
    let after = world.command("agenda", json!([]), &member(43, "w")).await;
    assert!(readable(&after).contains("Conférence 4G"), "{after}");
    stop(bot).await;
}
