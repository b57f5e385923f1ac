//! The gateway: a serenity client connects, answers, survives reconnects
//! and invalid sessions; a dispatch it would drop fails loudly.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serenity_client_connects_answers_and_survives_reconnects() {
    let fake = FakeDiscord::start().await;
    let mut bot = start_client(&fake).await;
    let asked = fake.calls().iter().any(|c| c.is("GET", "/api/v10/gateway"));
    assert!(
        asked,
        "the client asked the fake, not discord.com, for the gateway"
    );
    assert_eq!(fake.identify_count(), 1);
    assert_eq!(
        fake.identifies()[0]["intents"],
        json!(GatewayIntents::GUILDS.bits())
    );

    let alice = Member::new(20, "alice");
    fake.send_interaction(slash_command(1001, "ping", json!([]), &alice))
        .await;
    let answered = callback_of(&fake, 1001).await;
    assert_eq!(answered.body["type"], 4, "{:#}", answered.body);
    assert_eq!(answered.body["data"]["flags"], 64, "{:#}", answered.body);
    assert_eq!(answered.body["data"]["content"], "pong alice");
    assert_eq!(bot.outcome().await, "edited pong, edited");

    let row = json!([{ "type": 1, "components": [{ "type": 2, "style": 1, "custom_id": "smoke:again" }] }]);
    let card = message_json(555, 101, "Soirée jeux", row);
    fake.send_interaction(button(1002, "smoke:again", card, &alice))
        .await;
    let updated = callback_of(&fake, 1002).await;
    assert_eq!(updated.body["type"], 7, "{:#}", updated.body);
    assert_eq!(bot.outcome().await, "updated smoke:again");
    let card = fake.message(555).expect("the card");
    assert_eq!(card["content"], "clicked", "an update edits the clicked message");

    // A resumable close (with an event to replay), an abnormal drop and a
    // Reconnect request: serenity resumes each time and still answers.
    let missed = slash_command(1100, "ping", json!([]), &alice);
    fake.replay_on_resume(vec![("INTERACTION_CREATE".into(), missed)]);
    for (id, disruption) in [(1003, "close 4000"), (1004, "drop"), (1005, "op 7")] {
        let resumes = fake.resume_count();
        match disruption {
            "close 4000" => fake.close_gateway(4000).await,
            "drop" => fake.close_gateway(1006).await,
            _ => fake.send_op(7, Value::Null).await,
        }
        assert!(fake.wait_ready(WAIT).await, "no session after {disruption}");
        assert_eq!(
            fake.resume_count(),
            resumes + 1,
            "serenity resumes after {disruption}"
        );
        if disruption == "close 4000" {
            assert_eq!(
                callback_of(&fake, 1100).await.body["type"],
                4,
                "the replayed event is handled"
            );
            bot.outcome().await;
        }
        fake.send_interaction(slash_command(id, "ping", json!([]), &alice))
            .await;
        assert_eq!(
            callback_of(&fake, id).await.body["type"],
            4,
            "answered after {disruption}"
        );
        bot.outcome().await;
    }
    assert_eq!(fake.identify_count(), 1, "resumes, not new sessions");
    bot.stop().await;
}

/// Takes about 5 s: serenity's shard queuer waits that long between two IDENTIFYs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_invalid_session_serenity_identifies_again() {
    let fake = FakeDiscord::start().await;
    let mut bot = start_client(&fake).await;
    fake.send_op(9, json!(false)).await;
    assert!(fake.wait_ready(WAIT).await, "no session after op 9");
    assert_eq!((fake.identify_count(), fake.resume_count()), (2, 0));
    fake.send_interaction(slash_command(1, "ping", json!([]), &Member::new(20, "alice")))
        .await;
    assert_eq!(
        callback_of(&fake, 1).await.body["type"],
        4,
        "answered after a new IDENTIFY"
    );
    bot.outcome().await;
    bot.stop().await;
}

#[tokio::test]
#[should_panic(expected = "would drop this INTERACTION_CREATE")]
async fn a_dispatch_serenity_would_drop_fails_loudly() {
    let fake = FakeDiscord::start().await;
    let mut broken = slash_command(1, "agenda", json!([]), &Member::new(20, "alice"));
    broken.as_object_mut().unwrap().remove("attachment_size_limit");
    fake.send_interaction(broken).await;
}
