//! What the tests of the real binary share besides [`super::storm`]'s
//! process guard: the database it runs on opened from outside, an event
//! seeded through the handlers with its card known to the fake Discord, and
//! free loopback addresses for its `/metrics`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rencontre::handlers::{CommandName, Context, OptionValue};
use rencontre::state::{AppState, ManualClock};
use rencontre::store::Db;

use super::bot::card_message;
use super::calls::{admin, cmd, in_guild, refreshed, run, s};
use super::fake_discord::FakeDiscord;
use super::outlet::Recorder;

/// The bot's database, opened beside it.
pub async fn open(url: &str) -> Db {
    rencontre::store::connect(url).await.expect("open the database")
}

/// SQLite's `PRAGMA integrity_check` of the database at `url` ("ok" when
/// sound); "ok" on PostgreSQL, whose recovery after a kill is its own.
pub async fn integrity(url: &str) -> String {
    let pool = open(url).await;
    let result: String = match &pool {
        Db::Sqlite(sqlite) => sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(sqlite)
            .await
            .unwrap(),
        Db::Postgres(_) => "ok".to_owned(),
    };
    pool.close().await;
    result
}

/// "YYYY-MM-DD HH:MM" in UTC, as typed in a server set to UTC.
pub fn typed(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// A loopback address nobody listens on (for a child's `RENCONTRE_METRICS`).
pub fn free_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// An event written through the handlers into the database at `url`, before
/// any bot runs on it: `/setup SUB OPTION:VALUE` for each of `setup` (as an
/// admin of `who`'s server), then `/event create` as `who` with these
/// options; its card is posted and made known to the fake Discord, so the
/// bots' edits of it succeed. Returns (event, card message).
pub async fn event_with_card(
    url: &str,
    fake: &FakeDiscord,
    who: &Context,
    setup: &[(&str, &str, &str)],
    options: &[(&str, OptionValue)],
) -> (i64, u64) {
    let pool = rencontre::store::connect(url).await.expect("create the database");
    let state = AppState::new(pool, Arc::new(ManualClock::new(Utc::now())));
    let boss = in_guild(admin(1, "admin"), who.guild_id);
    for (sub, option, value) in setup {
        run(
            &state,
            &boss,
            cmd(CommandName::Setup, Some(sub), &[(option, s(value))]),
        )
        .await;
    }
    let reply = run(&state, who, cmd(CommandName::Event, Some("create"), options)).await;
    rencontre::delivery::deliver(&state, &Recorder::default(), reply.effects.clone()).await;
    let event = refreshed(&reply)[0];
    let card: Option<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT card_message_id FROM events WHERE id = $1"
    )
    .bind(event)
    .fetch_one(db)
    .await)
    .unwrap();
    let card = card.expect("the card was posted") as u64;
    fake.seed_message(card_message(card, event));
    state.pool.close().await;
    (event, card)
}
