//! Data kept only as promised, through serenity and the fake Discord:
//! `/privacy` in a DM with the bot, calendar links cut when a member leaves,
//! and a server left while the bot was offline purged like any other.

use crate::support::{self, outlet};

use std::time::Duration;

use rencontre::store;
use rencontre::store::feeds::FeedScope;
use serde_json::{json, Value};
use support::bot::*;
use support::fake_discord::*;

/// `interaction` as sent from a DM with the bot: no server, no member, the
/// user at the top level.
fn in_dm(mut interaction: Value, who: &Member) -> Value {
    let object = interaction.as_object_mut().unwrap();
    for key in ["guild_id", "member", "guild_locale", "app_permissions"] {
        object.remove(key);
    }
    if let Some(data) = object.get_mut("data").and_then(Value::as_object_mut) {
        data.remove("guild_id");
    }
    let channel = 900_000 + who.id;
    object.insert("user".into(), who.user_json());
    object.insert("channel_id".into(), json!(channel.to_string()));
    object.insert("channel".into(), json!({ "id": channel.to_string(), "type": 1 }));
    object.insert("context".into(), json!(1));
    object.insert(
        "authorizing_integration_owners".into(),
        json!({ "0": FakeDiscord::GUILD_ID.to_string() }),
    );
    interaction
}

/// The deferred reply of interaction `id`, once filled in.
async fn filled_in(world: &World, id: u64) -> Call {
    let path = format!("/webhooks/4242/{}/messages/@original", interaction_token(id));
    world
        .fake
        .wait_for_call(|c| c.is("PATCH", &path), WAIT)
        .await
        .expect("the deferred reply was filled in")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privacy_works_in_a_dm_with_the_bot_and_nothing_else_does() {
    let world = World::new().await;
    let state = world.state().await;
    // Erin answered in two servers, then left both.
    let erin = member(31, "erin");
    for guild in [1u64, 2] {
        rencontre::on_db!(&state.pool, |db| sqlx::query(
            "INSERT INTO member_prefs (guild_id, user_id, reminders_enabled, updated_at) VALUES ($1, 31, FALSE, 0)",
        )
        .bind(guild as i64)
        .execute(db)
        .await.map(drop))
        .unwrap();
        store::feeds::token(
            &state.pool,
            guild,
            31,
            FeedScope::All,
            false,
            world.clock.now_utc(),
        )
        .await
        .unwrap();
    }
    let bot = world.start().await;

    // Export from the DM: both servers' rows.
    let id = world.id();
    let body = world
        .interact(in_dm(
            slash_command(id, "privacy", sub("export", json!([])), &erin),
            &erin,
        ))
        .await;
    assert_eq!(body["type"], 5, "deferred: {body}");
    let edit = filled_in(&world, id).await;
    let (_, file) = edit
        .files
        .iter()
        .find(|(name, _)| name.ends_with(".json"))
        .expect("the export is attached");
    let export: Value = serde_json::from_slice(file).unwrap();
    let prefs = export["tables"]["member_prefs"].as_array().unwrap();
    assert_eq!(prefs.len(), 2, "{export:#}");
    assert_eq!(export["tables"]["calendar_feeds"].as_array().unwrap().len(), 2);

    // Delete from the DM: asks first, Cancel keeps everything...
    let id = world.id();
    world
        .interact(in_dm(
            slash_command(id, "privacy", sub("delete", json!([])), &erin),
            &erin,
        ))
        .await;
    let ask = filled_in(&world, id).await;
    let buttons: Vec<&str> = ask.body["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["custom_id"].as_str())
        .collect();
    assert_eq!(buttons, ["privacy:v1:delete", "privacy:v1:cancel"]);
    let dm_message = message_json(world.id(), 900_031, "", ask.body["components"].clone());
    let cancel = world
        .interact(in_dm(
            button(world.id(), "privacy:v1:cancel", dm_message.clone(), &erin),
            &erin,
        ))
        .await;
    assert!(readable(&cancel).contains("Rien n'a été supprimé"), "{cancel}");
    let left: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM member_prefs WHERE user_id = 31"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(left, 2, "Cancel erased nothing");

    // ...and the confirm button erases in every server.
    let done = world
        .interact(in_dm(
            button(world.id(), "privacy:v1:delete", dm_message, &erin),
            &erin,
        ))
        .await;
    assert!(readable(&done).contains("Vos données sont supprimées"), "{done}");
    let left: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM member_prefs WHERE user_id = 31)
              + (SELECT COUNT(*) FROM calendar_feeds WHERE user_id = 31)",
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(left, 0);

    // Any other command in a DM is refused with a word, not silence.
    let refused = world
        .interact(in_dm(
            slash_command(world.id(), "agenda", json!([]), &erin),
            &erin,
        ))
        .await;
    assert!(
        readable(&refused).contains("utilisez cette commande dans le serveur"),
        "{refused}"
    );
    assert!(is_private(&refused));
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_leaves_loses_their_calendar_links() {
    let world = World::new().await;
    let state = world.state().await;
    let now = world.clock.now_utc();
    let token = |guild: u64, user: u64, scope: FeedScope| {
        let pool = state.pool.clone();
        async move {
            store::feeds::token(&pool, guild, user, scope, false, now)
                .await
                .unwrap()
        }
    };
    let leaving = [
        token(1, 50, FeedScope::All).await,
        token(1, 50, FeedScope::Mine).await,
    ];
    let elsewhere = token(2, 50, FeedScope::All).await;
    let staying = token(1, 51, FeedScope::All).await;
    let bot = world.start_with(|c| c.welcome = true).await;

    let removed = json!({ "guild_id": "1", "user": user_json(50, "parti", false) });
    world.fake.dispatch("GUILD_MEMBER_REMOVE", removed).await;
    let mut cut = false;
    for _ in 0..100 {
        if store::feeds::resolve(&state.pool, &leaving[0])
            .await
            .unwrap()
            .is_none()
        {
            cut = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(cut, "the server feed link of the member who left still opens");
    assert_eq!(
        store::feeds::resolve(&state.pool, &leaving[1]).await.unwrap(),
        None
    );
    assert_eq!(
        store::feeds::resolve(&state.pool, &elsewhere).await.unwrap(),
        Some((2, None)),
        "their link in a server they are still in keeps working"
    );
    assert_eq!(
        store::feeds::resolve(&state.pool, &staying).await.unwrap(),
        Some((1, None))
    );
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_left_while_offline_is_purged_but_not_one_in_an_outage() {
    let world = World::new().await;
    let state = world.state().await;
    // Data in the test server, in one Discord lists as unavailable (an
    // outage), and in one the bot was removed from while it was offline.
    let (outage, removed) = (7u64, 9u64);
    for guild in [FakeDiscord::GUILD_ID, outage, removed] {
        rencontre::on_db!(&state.pool, |db| sqlx::query(
            "INSERT INTO introductions (guild_id, user_id, name, created_at, updated_at) VALUES ($1, 40, 'Erin', 0, 0)",
        )
        .bind(guild as i64)
        .execute(db)
        .await.map(drop))
        .unwrap();
    }
    world.fake.unavailable_in_ready(outage);
    let bot = world.start().await;
    let pending_purge = |guild: u64| {
        let pool = state.pool.clone();
        async move {
            rencontre::on_db!(&pool, |db| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'purge_guild' AND ref_id = $1 AND status = 'pending'",
            )
            .bind(guild as i64)
            .fetch_one(db)
            .await)
            .unwrap()
        }
    };
    let mut scheduled = false;
    for _ in 0..100 {
        if pending_purge(removed).await == 1 {
            scheduled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        scheduled,
        "no purge for the server that removed the bot while it was offline"
    );
    let due: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT due_at FROM jobs WHERE kind = 'purge_guild' AND ref_id = $1"
    )
    .bind(removed as i64)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(
        due,
        (world.clock.now_utc() + store::guilds::GRACE).timestamp(),
        "30 days from now"
    );
    assert_eq!(pending_purge(outage).await, 0, "an outage is not a removal");
    assert_eq!(pending_purge(FakeDiscord::GUILD_ID).await, 0);
    stop(bot).await;

    // 30 days later, the removed server's data is gone, the others' kept.
    world
        .clock
        .advance(store::guilds::GRACE + chrono::Duration::minutes(1));
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    let count = |guild: u64| {
        let pool = state.pool.clone();
        async move {
            rencontre::on_db!(&pool, |db| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM introductions WHERE guild_id = $1"
            )
            .bind(guild as i64)
            .fetch_one(db)
            .await)
            .unwrap()
        }
    };
    assert_eq!(count(removed).await, 0);
    assert_eq!(count(outage).await, 1);
    assert_eq!(count(FakeDiscord::GUILD_ID).await, 1);
}
