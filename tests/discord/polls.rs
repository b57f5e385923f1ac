//! Date polls through serenity and the fake Discord: the card posted with
//! its buttons, many members tapping at once with exact counts and the
//! card's edits coalesced, a member refused at close, and the close that
//! posts the event's card and DMs those who could come, once each.

use crate::support;

use rencontre::store;
use serde_json::{json, Value};
use support::bot::*;
use support::fake_discord::*;

const NOT_ORGANIZER: &str = "Seuls les organisateurs peuvent faire cela";

fn dms_to(world: &World, user: u64) -> Vec<String> {
    let channel = format!("/channels/{}/messages", 900_000 + user);
    world
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", &channel))
        .map(|c| readable(&c.body))
        .collect()
}

fn labels(body: &Value) -> Vec<Vec<String>> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            row["components"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| b["label"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .collect()
}

async fn close(world: &World, poll_id: i64, who: &Member) -> Value {
    let options = sub("close", json!([str_opt("poll", &poll_id.to_string())]));
    world.command("poll", options, who).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_taps_at_once_are_counted_exactly_and_the_close_posts_the_event_card() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let alice = organizer(10, "alice");

    let options = sub(
        "create",
        json!([
            str_opt("title", "Apéro"),
            str_opt("dates", "2026-12-03 18:30; 2026-12-04 12:00")
        ]),
    );
    let body = world.command("poll", options, &alice).await;
    assert!(is_private(&body), "{body}");
    assert!(
        readable(&body).contains("Sondage « Apéro » publié dans <#100> (2 dates)."),
        "{body}"
    );
    let posted = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/100/messages") && readable(&c.body).contains("📊 Apéro"),
            WAIT,
        )
        .await
        .expect("the poll card was posted");
    assert_eq!(posted.body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(
        labels(&posted.body),
        vec![vec![
            "✅ jeu. 3/12 18h30",
            "🤷 jeu. 3/12 18h30",
            "✅ ven. 4/12 12h",
            "🤷 ven. 4/12 12h"
        ]]
    );
    let poll_id = store::polls::suggest(&state.pool, 1, "Apéro", 5).await.unwrap()[0].0;
    let mut card = None;
    for _ in 0..100 {
        card = store::polls::get(&state.pool, 1, poll_id)
            .await
            .unwrap()
            .unwrap()
            .message_id;
        if card.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let card = card.expect("the card's message id was stored");

    // 30 members tap at once: everyone ✅ on Thursday, every third also 🤷
    // on Friday.
    let message = message_json(card, 100, "", json!([]));
    let mut sent = Vec::new();
    for i in 0..30u64 {
        let who = member(2_000 + i, &format!("m{i}"));
        let mut taps = vec![format!("poll:v1:{poll_id}:0:yes")];
        if i % 3 == 0 {
            taps.push(format!("poll:v1:{poll_id}:1:if_need_be"));
        }
        for custom_id in taps {
            let id = world.id();
            world
                .fake
                .send_interaction(button(id, &custom_id, message.clone(), &who))
                .await;
            sent.push(id);
        }
    }
    for id in &sent {
        let path = format!("/interactions/{id}/");
        let answer = world
            .fake
            .wait_for_call(|c| c.is("POST", &path), WAIT)
            .await
            .unwrap_or_else(|| panic!("tap {id} was not answered"));
        assert!(is_private(&answer.body), "{}", answer.body);
        assert!(
            readable(&answer.body).contains("Vos réponses pour « Apéro » :"),
            "{}",
            answer.body
        );
    }
    let poll = store::polls::get(&state.pool, 1, poll_id).await.unwrap().unwrap();
    let tallies = store::polls::tallies(&state.pool, &poll).await.unwrap();
    assert_eq!((tallies[0].yes, tallies[0].if_need_be), (30, 0));
    assert_eq!((tallies[1].yes, tallies[1].if_need_be), (0, 10));
    let edit_path = format!("/channels/100/messages/{card}");
    world
        .fake
        .wait_for_call(
            |c| {
                let text = readable(&c.body);
                c.is("PATCH", &edit_path)
                    && text.contains("✅ 30 oui · 🤷 0 si besoin")
                    && text.contains("✅ 0 oui · 🤷 10 si besoin")
            },
            WAIT,
        )
        .await
        .expect("the card shows the exact counts");
    let edits = world
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("PATCH", &edit_path))
        .count();
    assert!(
        edits < sent.len(),
        "{edits} edits for {} taps: not coalesced",
        sent.len()
    );

    // A member cannot close it.
    let refused = close(&world, poll_id, &member(2_001, "m1")).await;
    assert!(
        readable(&refused).contains(NOT_ORGANIZER) && is_private(&refused),
        "{refused}"
    );

    // The organizer closes it: the leading date becomes an event with its
    // card, and each member who could come gets one DM with its link.
    let done = close(&world, poll_id, &alice).await;
    assert!(readable(&done).contains("Sondage « Apéro » clos"), "{done}");
    let event_card = world
        .fake
        .wait_for_call(
            |c| {
                c.is("POST", "/channels/100/messages")
                    && c.body["components"].to_string().contains("rsvp:v1:")
                    && readable(&c.body).contains("Apéro")
            },
            WAIT,
        )
        .await
        .expect("the event card was posted");
    assert!(labels(&event_card.body)[0].contains(&"Je participe".to_owned()));
    let last = format!("/channels/{}/messages", 900_000 + 2_029);
    world
        .fake
        .wait_for_call(|c| c.is("POST", &last), WAIT)
        .await
        .expect("the last member was told");
    let event = store::polls::get(&state.pool, 1, poll_id)
        .await
        .unwrap()
        .unwrap()
        .event_id
        .unwrap();
    let card_id = store::events::get(&state.pool, 1, event)
        .await
        .unwrap()
        .unwrap()
        .card_message_id
        .unwrap();
    for i in 0..30u64 {
        let dms = dms_to(&world, 2_000 + i);
        assert_eq!(dms.len(), 1, "m{i}: {dms:?}");
        assert!(
            dms[0].contains(&format!("https://discord.com/channels/1/100/{card_id}")),
            "{}",
            dms[0]
        );
    }
    stop(bot).await;
}
