//! The bot running in-process against the fake Discord, and helpers to
//! talk to it as members would.

use std::sync::Arc;
use std::time::Duration;

use rencontre::config::{Config, Secret};
use rencontre::state::{AppState, ManualClock};
use serde_json::{json, Value};
use tokio::sync::oneshot;

use super::database::TestDatabase;
use super::fake_discord::*;

pub const WAIT: Duration = Duration::from_secs(10);
pub const MANAGE_EVENTS: u64 = 1 << 33;
pub const ADMIN: u64 = (1 << 3) | (1 << 5);

/// The bot, running in this process against the fake.
pub struct Bot {
    pub stop: oneshot::Sender<()>,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

pub struct World {
    pub fake: FakeDiscord,
    pub url: String,
    pub clock: Arc<ManualClock>,
    _database: TestDatabase,
    next_id: std::sync::atomic::AtomicU64,
}

impl World {
    pub async fn new() -> World {
        let database = TestDatabase::new().await;
        World {
            fake: FakeDiscord::start().await,
            url: database.url.clone(),
            // Sunday 29 November 2026, 11:00 in Paris.
            clock: Arc::new(ManualClock::new(
                chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 29, 10, 0, 0).unwrap(),
            )),
            _database: database,
            next_id: std::sync::atomic::AtomicU64::new(1_000_000),
        }
    }

    pub fn id(&self) -> u64 {
        self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    pub async fn state(&self) -> AppState {
        let pool = rencontre::store::connect(&self.url).await.unwrap();
        AppState::new(pool, self.clock.clone())
    }

    pub async fn start(&self) -> Bot {
        self.start_with(|_| {}).await
    }

    /// Starts the bot with a configuration adjusted by the test.
    pub async fn start_with(&self, adjust: impl FnOnce(&mut Config)) -> Bot {
        let mut config = Config {
            token: Some(Secret::new("fake-token".into())),
            database_url: self.url.clone(),
            proxy: Some(self.fake.base_url()),
            guild: Some(FakeDiscord::GUILD_ID),
            http: None,
            public_url: None,
            metrics: None,
            welcome: false,
            shards: None,
        };
        adjust(&mut config);
        let state = self.state().await;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            rencontre::discord::serve(&config, state, async {
                let _ = stopped.await;
            })
            .await
        });
        assert!(
            self.fake.wait_ready(WAIT).await,
            "the bot connected to the fake gateway"
        );
        Bot { stop, task }
    }

    /// Sends an interaction and returns the bot's callback body.
    pub async fn interact(&self, interaction: Value) -> Value {
        let id = interaction["id"].as_str().unwrap().to_owned();
        self.fake.send_interaction(interaction).await;
        let path = format!("/interactions/{id}/");
        let call = self.fake.wait_for_call(|c| c.is("POST", &path), WAIT).await;
        call.unwrap_or_else(|| {
            panic!(
                "interaction {id} was not answered; calls: {:#?}",
                self.fake.calls()
            )
        })
        .body
    }

    pub async fn command(&self, name: &str, options: Value, member: &Member) -> Value {
        self.interact(slash_command(self.id(), name, options, member))
            .await
    }
}

pub async fn stop(bot: Bot) {
    let _ = bot.stop.send(());
    let done = tokio::time::timeout(Duration::from_secs(15), bot.task).await;
    assert!(
        matches!(done, Ok(Ok(Ok(())))),
        "the bot stopped cleanly: {done:?}"
    );
}

pub fn member(id: u64, name: &str) -> Member {
    Member::new(id, name)
}

/// A member of the "bureau" role (Manage Events on the whole server).
pub fn organizer(id: u64, name: &str) -> Member {
    Member {
        roles: vec![ROLE_ORGANIZERS],
        permissions: MEMBER_PERMISSIONS | MANAGE_EVENTS,
        ..Member::new(id, name)
    }
}

/// A member of the "admins" role (Administrator).
pub fn admin(id: u64, name: &str) -> Member {
    Member {
        roles: vec![ROLE_ADMINS],
        permissions: MEMBER_PERMISSIONS | ADMIN,
        ..Member::new(id, name)
    }
}

pub fn sub(name: &str, options: Value) -> Value {
    json!([{ "type": 1, "name": name, "options": options }])
}

pub fn str_opt(name: &str, value: &str) -> Value {
    json!({ "type": 3, "name": name, "value": value })
}

/// Everything a member reads in a callback or message body.
pub fn readable(body: &Value) -> String {
    let data = if body.get("data").is_some() {
        &body["data"]
    } else {
        body
    };
    let mut out = vec![data["content"].as_str().unwrap_or_default().to_owned()];
    for embed in data["embeds"].as_array().into_iter().flatten() {
        out.push(embed["title"].as_str().unwrap_or_default().to_owned());
        out.push(embed["description"].as_str().unwrap_or_default().to_owned());
        for field in embed["fields"].as_array().into_iter().flatten() {
            out.push(format!(
                "{}: {}",
                field["name"].as_str().unwrap_or_default(),
                field["value"].as_str().unwrap_or_default()
            ));
        }
    }
    out.join("\n")
}

pub fn is_private(body: &Value) -> bool {
    body["data"]["flags"].as_u64().unwrap_or(0) & 64 == 64
}

/// Creates an event as an organizer; returns (event id, card message id).
pub async fn create_event(world: &World, state: &AppState, title: &str, capacity: i64) -> (i64, u64) {
    let alice = organizer(10, "alice");
    let options = sub(
        "create",
        json!([str_opt("title", title), str_opt("when", "2026-12-03 18:30"), { "type": 4, "name": "capacity", "value": capacity }]),
    );
    let body = world.command("event", options, &alice).await;
    assert_eq!(body["type"], 4);
    assert!(is_private(&body));
    assert!(readable(&body).contains("créé pour le"), "{body}");
    // The card is posted in the channel (no agenda channel configured).
    let posted = world
        .fake
        .wait_for_call(
            |c| c.is("POST", "/channels/100/messages") && readable(&c.body).contains(title),
            WAIT,
        )
        .await
        .expect("the card was posted");
    assert_eq!(posted.body["allowed_mentions"]["parse"], json!([]));
    let events = rencontre::store::events::by_title(&state.pool, 1, title, world.clock.now_utc())
        .await
        .unwrap();
    let event = &events[0];
    for _ in 0..50 {
        if let Some(e) = rencontre::store::events::get(&state.pool, 1, event.id)
            .await
            .unwrap()
        {
            if let Some(card) = e.card_message_id {
                return (event.id, card);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the card's message id was not stored");
}

pub trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc>;
}

impl NowUtc for ManualClock {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        rencontre::state::Clock::now(self)
    }
}

pub fn card_message(id: u64, event: i64) -> Value {
    let buttons = json!([{ "type": 1, "components": [
        { "type": 2, "style": 3, "label": "Je participe", "custom_id": format!("rsvp:v1:{event}:going") },
        { "type": 2, "style": 2, "label": "Peut-être", "custom_id": format!("rsvp:v1:{event}:maybe") },
        { "type": 2, "style": 4, "label": "Je ne peux pas", "custom_id": format!("rsvp:v1:{event}:declined") }
    ]}]);
    message_json(id, 100, "", buttons)
}

pub async fn click(world: &World, card: u64, event: i64, choice: &str, who: &Member) -> Value {
    let custom_id = format!("rsvp:v1:{event}:{choice}");
    world
        .interact(button(world.id(), &custom_id, card_message(card, event), who))
        .await
}
