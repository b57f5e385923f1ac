//! Through serenity and the fake Discord: what comes from a client is not
//! trusted. Forms cannot post into another server, a forged scheduled
//! announcement does not stop the job runner, and organizers are known
//! from the server's roles, never from one channel's permissions.

use crate::support;

use std::time::Duration;

use rencontre::store::announcements::{self, Announcement};
use serde_json::json;
use support::bot::*;
use support::fake_discord::*;

const ELSEWHERE: &str = "Ce salon ou ce rôle n'appartient pas à ce serveur.";
const NOT_ORGANIZER: &str = "Seuls les organisateurs peuvent faire cela";

fn channel_option(id: u64) -> serde_json::Value {
    json!([{ "type": 7, "name": "channel", "value": id.to_string() }])
}

/// No message was posted in that channel, at all.
fn nothing_posted_in(world: &World, channel: u64) -> bool {
    let path = format!("/channels/{channel}/messages");
    !world.fake.calls().iter().any(|c| c.is("POST", &path))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announce_forms_cannot_post_into_another_server() {
    let world = World::new().await;
    let bot = world.start().await;
    let alice = organizer(10, "alice");
    // The bot is in another server too (anyone can invite it to theirs).
    world.fake.dispatch("GUILD_CREATE", other_guild_json()).await;

    // Its channel, or its role, named in /announce: refused at once. The
    // gateway's GUILD_CREATE is handled in its own task: ask until it is in.
    let mut reply = json!(null);
    for _ in 0..50 {
        reply = world
            .command("announce", channel_option(OTHER_CHANNEL), &alice)
            .await;
        if readable(&reply).contains(ELSEWHERE) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        readable(&reply).contains(ELSEWHERE) && is_private(&reply),
        "{reply}"
    );
    let ping = json!([{ "type": 8, "name": "ping", "value": OTHER_ROLE.to_string() }]);
    let reply = world.command("announce", ping, &alice).await;
    assert!(readable(&reply).contains(ELSEWHERE), "{reply}");

    // An old-style form id carrying the channel straight from the client.
    let fields = [("title", "Piège"), ("message", "@everyone venez")];
    let forged = format!("announce:v1:{OTHER_CHANNEL}:-:{OTHER_ROLE}:-");
    let done = world
        .interact(modal_submit(world.id(), &forged, &fields, &alice))
        .await;
    assert!(readable(&done).contains("n'est plus valable"), "{done}");

    // A channel the bot has not heard of yet: Discord is asked when posting,
    // says it is the other server's, and nothing is posted.
    let unknown = OTHER_CHANNEL + 50;
    let form = world.command("announce", channel_option(unknown), &alice).await;
    assert_eq!(form["type"], 9, "{form}");
    let custom_id = form["data"]["custom_id"].as_str().unwrap().to_owned();
    world
        .interact(modal_submit(world.id(), &custom_id, &fields, &alice))
        .await;
    let path = format!("/channels/{unknown}");
    let asked = world
        .fake
        .wait_for_call(|c| c.method == "GET" && c.path.ends_with(&path), WAIT)
        .await;
    assert!(asked.is_some(), "Discord was asked where the channel is");
    // The refusal is recorded before anything could be posted.
    let state = world.state().await;
    let mut failed = false;
    for _ in 0..100 {
        let status: Option<String> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
            "SELECT status FROM announcements WHERE title = 'Piège'"
        )
        .fetch_optional(db)
        .await)
        .unwrap();
        if status.as_deref() == Some("failed") {
            failed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(failed, "the announcement was set aside");
    stop(bot).await;
    for channel in [OTHER_CHANNEL, unknown] {
        assert!(nothing_posted_in(&world, channel), "posted into {channel}");
    }
}

/// A scheduled announcement row aimed at channel 0 (which serenity cannot
/// even represent) is set aside; the runner goes on and posts the next one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_scheduled_announcement_does_not_stop_the_runner() {
    let world = World::new().await;
    let state = world.state().await;
    let now = world.clock.now_utc();
    for (channel, title, minutes) in [(0, "Canal zéro", 1), (103, "Assemblée générale", 2)] {
        let announcement = Announcement {
            id: 0,
            guild_id: FakeDiscord::GUILD_ID,
            channel_id: channel,
            author_id: 10,
            title: title.into(),
            message: "Venez nombreux".into(),
            event_id: None,
            ping_role: None,
            post_at: Some(now + chrono::Duration::minutes(minutes)),
        };
        announcements::insert(&state.pool, &announcement, now)
            .await
            .unwrap();
    }
    world.clock.advance(chrono::Duration::minutes(3));
    let bot = world.start().await;
    let posted = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/103/messages") && readable(&c.body).contains("Assemblée générale"),
            WAIT,
        )
        .await;
    assert!(posted.is_some(), "the later announcement was posted");
    // And the runner is still alive: a new scheduled one is posted too.
    let later = Announcement {
        id: 0,
        guild_id: FakeDiscord::GUILD_ID,
        channel_id: 101,
        author_id: 10,
        title: "Encore une".into(),
        message: "Toujours là".into(),
        event_id: None,
        ping_role: None,
        post_at: Some(world.clock.now_utc() - chrono::Duration::seconds(1)),
    };
    announcements::insert(&state.pool, &later, world.clock.now_utc())
        .await
        .unwrap();
    // The runner wakes at least every 30 s; a command wakes it at once.
    world.command("agenda", json!([]), &member(21, "bob")).await;
    let posted = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/101/messages") && readable(&c.body).contains("Encore une"),
            Duration::from_secs(40),
        )
        .await;
    assert!(posted.is_some(), "the runner still runs");
    let status: String = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT status FROM jobs WHERE ref_id = 1 AND kind = 'announcement'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(status, "dropped");
    stop(bot).await;
}

/// Discord's `member.permissions` are the member's in the interaction's
/// channel: Manage Events granted on that one channel makes no organizer.
/// The server's roles do; *Create Events* alone creates events.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizers_come_from_server_roles_not_one_channels_permissions() {
    let world = World::new().await;
    let bot = world.start().await;
    let create = |title: &str| {
        sub(
            "create",
            json!([str_opt("title", title), str_opt("when", "2026-12-03 18:30")]),
        )
    };
    // Manage Events through this channel's overwrites only.
    let channel_only = Member {
        permissions: MEMBER_PERMISSIONS | MANAGE_EVENTS,
        ..Member::new(30, "chloé")
    };
    let reply = world
        .command("event", create("Soirée pirate"), &channel_only)
        .await;
    assert!(readable(&reply).contains(NOT_ORGANIZER), "{reply}");
    let reply = world.command("announce", json!([]), &channel_only).await;
    assert!(readable(&reply).contains(NOT_ORGANIZER), "{reply}");

    // The bureau role (Manage Events server-wide), and Create Events alone.
    let maker = Member {
        roles: vec![ROLE_EVENT_MAKERS],
        ..Member::new(31, "marc")
    };
    for (who, title) in [(organizer(10, "alice"), "Conseil"), (maker.clone(), "Atelier")] {
        let reply = world.command("event", create(title), &who).await;
        assert!(readable(&reply).contains("créé pour le"), "{title}: {reply}");
    }
    let reply = world.command("announce", json!([]), &maker).await;
    assert!(readable(&reply).contains(NOT_ORGANIZER), "{reply}");
    stop(bot).await;
}
