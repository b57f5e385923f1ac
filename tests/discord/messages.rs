//! What the bot sends besides answers, through serenity and the fake
//! Discord: announcements that ping only the chosen role, closed DMs, the
//! welcome, deferred files, reminders and scheduled posts across restarts,
//! and the real binary configured from the environment.

use crate::support;

use std::time::Duration;

use chrono::TimeZone;
use serde_json::json;
use support::bot::*;
use support::fake_discord::*;

fn dms_to(world: &World, user: u64) -> usize {
    let channel = format!("/channels/{}/messages", 900_000 + user);
    world
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", &channel))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_ping_only_the_chosen_role_and_closed_dms_are_noted() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let alice = organizer(10, "alice");

    let options = json!([{ "type": 8, "name": "ping", "value": "10" }]);
    let interaction = with_resolved(
        slash_command(world.id(), "announce", options, &alice),
        json!({ "roles": { "10": role_json(10, "organizers", 0, 1) } }),
    );
    let form = world.interact(interaction).await;
    assert_eq!(form["type"], 9, "{form}");
    let custom_id = form["data"]["custom_id"].as_str().unwrap().to_owned();
    let fields = [
        ("title", "Assemblée générale"),
        ("message", "@everyone le bilan est prêt <@&99>"),
    ];
    let done = world
        .interact(modal_submit(world.id(), &custom_id, &fields, &alice))
        .await;
    assert!(readable(&done).contains("Annonce publiée"), "{done}");
    let post = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/100/messages") && readable(&c.body).contains("Assemblée"),
            WAIT,
        )
        .await
        .expect("announcement posted");
    assert_eq!(post.body["content"], "<@&10>");
    assert_eq!(post.body["allowed_mentions"]["roles"], json!(["10"]));
    assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));

    // A member with closed DMs is noted once and not retried in a loop.
    let (event, card) = create_event(&world, &state, "Café numérique", 1).await;
    let (bob, dave) = (member(21, "bob"), member(23, "dave"));
    world.fake.close_dms_of(23);
    click(&world, card, event, "going", &bob).await;
    click(&world, card, event, "going", &dave).await;
    click(&world, card, event, "declined", &bob).await;
    let dm_attempt = world
        .fake
        .wait_for_call(|c| c.is("POST", "/channels/900023/messages"), WAIT)
        .await;
    assert!(dm_attempt.is_some(), "the promotion DM was attempted");
    let mut noted = None;
    for _ in 0..50 {
        noted = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar::<_, Option<i64>>(
            "SELECT dms_closed_at FROM member_prefs WHERE user_id = 23"
        )
        .fetch_optional(db)
        .await)
        .unwrap()
        .flatten();
        if noted.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(noted.is_some(), "closed DMs recorded");
    assert_eq!(dms_to(&world, 23), 1, "not retried");
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_welcome_greets_newcomers_and_reports_arrive_deferred_with_files() {
    let world = World::new().await;
    let bot = world.start_with(|c| c.welcome = true).await;
    let identify = &world.fake.identifies()[0];
    let intents = identify["d"]["intents"]
        .as_u64()
        .unwrap_or(identify["intents"].as_u64().unwrap_or(0));
    assert_eq!(
        intents & (1 << 1),
        1 << 1,
        "Server Members intent asked for with the welcome on: {identify}"
    );

    let root = admin(1, "root");
    let options = sub(
        "channels",
        json!([{ "type": 7, "name": "introductions", "value": "102" }]),
    );
    world.command("setup", options, &root).await;
    let newcomer = member(50, "nouveau");
    let mut joined = newcomer.member_json();
    joined["guild_id"] = json!("1");
    world.fake.dispatch("GUILD_MEMBER_ADD", joined).await;
    let greeting = world
        .fake
        .wait_for_call(|c| c.is("POST", "/channels/102/messages"), WAIT)
        .await
        .expect("greeting posted");
    assert!(
        readable(&greeting.body).contains("Bienvenue <@50>"),
        "{}",
        greeting.body
    );
    assert_eq!(
        greeting.body["components"][0]["components"][0]["custom_id"],
        "intro:v1:open"
    );
    assert_eq!(greeting.body["allowed_mentions"]["parse"], json!([]));

    // /report: "thinking…" first, then the report with its files.
    let id = world.id();
    world
        .fake
        .send_interaction(slash_command(id, "report", json!([]), &organizer(10, "alice")))
        .await;
    let callback = world
        .fake
        .wait_for_call(|c| c.is("POST", &format!("/interactions/{id}/")), WAIT)
        .await
        .unwrap();
    assert_eq!(callback.body["type"], 5, "deferred");
    let edit = world
        .fake
        .wait_for_call(
            |c| {
                c.is(
                    "PATCH",
                    &format!("/webhooks/4242/{}/messages/@original", interaction_token(id)),
                )
            },
            WAIT,
        )
        .await
        .expect("the deferred reply was filled in");
    let names: Vec<&str> = edit.files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.contains(&"bilan-2026.md") && names.contains(&"bilan-2026.csv"),
        "{names:?}"
    );
    let chart = edit
        .files
        .iter()
        .find(|(name, _)| name == "bilan-2026.png")
        .expect("the chart is attached");
    assert!(chart.1.starts_with(b"\x89PNG"), "a PNG");
    stop(bot).await;

    // Without the welcome, the privileged intent is not requested.
    let world = World::new().await;
    let bot = world.start().await;
    let identify = &world.fake.identifies()[0];
    let intents = identify["d"]["intents"]
        .as_u64()
        .unwrap_or(identify["intents"].as_u64().unwrap_or(0));
    assert_eq!(intents & (1 << 1), 0, "{identify}");
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_is_sent_once_across_restarts_and_a_scheduled_post_on_time() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Rencontres numériques", 10).await;
    click(&world, card, event, "going", &member(21, "bob")).await;
    let alice = organizer(10, "alice");
    let options = json!([{ "type": 3, "name": "at", "value": "2026-12-01 09:00" }]);
    let form = world.command("announce", options, &alice).await;
    let custom_id = form["data"]["custom_id"].as_str().unwrap().to_owned();
    let fields = [
        ("title", "Inscriptions ouvertes"),
        ("message", "Pour le salon Entrepreneurs Expo"),
    ];
    let done = world
        .interact(modal_submit(world.id(), &custom_id, &fields, &alice))
        .await;
    assert!(readable(&done).contains("programmée"), "{done}");
    stop(bot).await;

    // The bot was down over the announcement time and the 24 h reminder.
    world
        .clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 18, 0, 0).unwrap());
    let bot = world.start().await;
    let posted = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/100/messages") && readable(&c.body).contains("Inscriptions ouvertes"),
            WAIT,
        )
        .await;
    assert!(
        posted.is_some(),
        "the scheduled announcement was posted after the restart"
    );
    let reminder = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/900021/messages") && readable(&c.body).contains("Rappel"),
            WAIT,
        )
        .await
        .expect("the reminder DM was sent");
    assert!(readable(&reminder.body).contains(&format!(
        "<t:{}:F>",
        chrono::Utc
            .with_ymd_and_hms(2026, 12, 3, 17, 30, 0)
            .unwrap()
            .timestamp()
    )));
    stop(bot).await;

    // Another restart: nothing is sent twice.
    let bot = world.start().await;
    world.command("agenda", json!([]), &member(22, "carol")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(dms_to(&world, 21), 1);
    let posts = world
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", "/channels/100/messages") && readable(&c.body).contains("Inscriptions"))
        .count();
    assert_eq!(posts, 1);
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_from_the_environment_and_stops_on_sigterm_without_leaking_the_token() {
    use std::process::{Command, Stdio};
    let world = World::new().await;
    let token = "MTIzNDU2.secret-token-value.xyz";
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .arg("run")
        .env("DISCORD_TOKEN", token)
        .env("DISCORD_PROXY", world.fake.base_url())
        .env("DATABASE_URL", &world.url)
        .env("RENCONTRE_GUILD", "1")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Trace logs are plentiful: drain them as they come, or the child blocks.
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    assert!(
        world.fake.wait_ready(WAIT).await,
        "the binary connected through DISCORD_PROXY"
    );
    let put = world
        .fake
        .wait_for_call(|c| c.is("PUT", "/guilds/1/commands"), WAIT)
        .await;
    assert!(put.is_some(), "registered on RENCONTRE_GUILD");
    let answer = world.command("agenda", json!([]), &member(21, "bob")).await;
    assert!(readable(&answer).contains("Agenda"), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    let logs = logs.join().unwrap();
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
    assert!(
        logs.contains("shutting down"),
        "{}",
        &logs[logs.len().saturating_sub(2000)..]
    );
    assert!(
        !logs.contains("secret-token-value"),
        "the token leaked into the logs"
    );
}

/// Issue 14, bug 3: an announcement carrying an event's buttons showed
/// "0/1" and live buttons for good; it is now refreshed with the card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announcements_copy_of_the_buttons_is_refreshed_with_the_card() {
    let world = World::new().await;
    let bot = world.start().await;
    let state = world.state().await;
    let (event, card) = create_event(&world, &state, "Atelier fibre", 1).await;
    let alice = organizer(10, "alice");
    let options = json!([
        str_opt("event", &event.to_string()),
        { "type": 8, "name": "ping", "value": "10" }
    ]);
    let interaction = with_resolved(
        slash_command(world.id(), "announce", options, &alice),
        json!({ "roles": { "10": role_json(10, "organizers", 0, 1) } }),
    );
    let form = world.interact(interaction).await;
    let custom_id = form["data"]["custom_id"].as_str().unwrap().to_owned();
    let fields = [("title", "Venez nombreux"), ("message", "Il reste une place")];
    world
        .interact(modal_submit(world.id(), &custom_id, &fields, &alice))
        .await;
    let posted = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/100/messages") && readable(&c.body).contains("Venez nombreux"),
            WAIT,
        )
        .await
        .expect("announcement posted");
    assert!(readable(&posted.body).contains("0/1"), "{}", posted.body);
    let mut copy = None;
    for _ in 0..50 {
        copy = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar::<_, Option<i64>>(
            "SELECT message_id FROM announcements"
        )
        .fetch_one(db)
        .await)
        .unwrap();
        if copy.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let copy = format!(
        "/channels/100/messages/{}",
        copy.expect("the announcement's id was stored")
    );

    // Bob takes the only seat on the card: the announcement shows it too,
    // without pinging the role again.
    click(&world, card, event, "going", &member(21, "bob")).await;
    let edit = world
        .fake
        .wait_for_call(
            |c| c.is("PATCH", &copy) && readable(&c.body).contains("1/1"),
            WAIT,
        )
        .await
        .expect("the announcement was edited with the new count");
    assert!(readable(&edit.body).contains("Venez nombreux"), "{}", edit.body);
    let roles = &edit.body["allowed_mentions"]["roles"];
    assert!(roles.as_array().is_none_or(|r| r.is_empty()), "{}", edit.body);

    // The event is cancelled: the announcement's buttons are disabled.
    let options = sub("cancel", json!([str_opt("event", &event.to_string())]));
    world.command("event", options, &alice).await;
    let edit = world
        .fake
        .wait_for_call(
            |c| {
                c.is("PATCH", &copy)
                    && c.body["components"][0]["components"]
                        .as_array()
                        .is_some_and(|b| !b.is_empty() && b.iter().all(|b| b["disabled"] == true))
            },
            WAIT,
        )
        .await;
    assert!(edit.is_some(), "the announcement's buttons were disabled");
    stop(bot).await;
}
