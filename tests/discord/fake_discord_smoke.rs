//! The fake Discord works with a bare serenity client built the way the bot
//! builds its own, and every payload it hands serenity parses with serenity's
//! own types (serenity drops what it cannot parse without a word).

use crate::support;

use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::{
    ChannelId, Client, ClientBuilder, CommandDataOptionValue, Context, CreateActionRow, CreateAttachment,
    CreateButton, CreateCommand, CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    CreateScheduledEvent, EditInteractionResponse, EditMessage, EditScheduledEvent, EventHandler,
    GatewayIntents, GuildId, HttpBuilder, Interaction, InteractionId, MessageId, ScheduledEventType,
    Timestamp, UserId,
};
use serenity::builder::Builder;
use serenity::model::event::{Event, GatewayEvent, GuildCreateEvent};
use support::fake_discord::*;
use tokio::sync::mpsc;

mod gateway;
mod payloads;

const WAIT: Duration = Duration::from_secs(10);

/// Answers a slash command with an ephemeral message (then edits it) and a
/// click with an update; reports each outcome so the test sees serenity's errors.
struct Bot {
    outcomes: mpsc::UnboundedSender<Result<String, String>>,
}

#[serenity::async_trait]
impl EventHandler for Bot {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let outcome = match interaction {
            Interaction::Command(command) => {
                let button = CreateButton::new("smoke:again").label("Encore");
                let message = CreateInteractionResponseMessage::new()
                    .content(format!("pong {}", command.user.name))
                    .ephemeral(true)
                    .components(vec![CreateActionRow::Buttons(vec![button])]);
                match command
                    .create_response(&ctx.http, CreateInteractionResponse::Message(message))
                    .await
                {
                    Ok(()) => command
                        .edit_response(&ctx.http, EditInteractionResponse::new().content("pong, edited"))
                        .await
                        .map(|m| format!("edited {}", m.content)),
                    Err(e) => Err(e),
                }
            }
            Interaction::Component(click) => {
                let update = CreateInteractionResponseMessage::new().content("clicked");
                click
                    .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                    .await
                    .map(|()| format!("updated {}", click.data.custom_id))
            }
            _ => Ok("ignored".into()),
        };
        let _ = self.outcomes.send(outcome.map_err(|e| e.to_string()));
    }
}

fn client_http(fake: &FakeDiscord) -> serenity::http::Http {
    HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build()
}

/// A client built exactly as the bot builds its own, running in a task.
struct Running {
    outcomes: mpsc::UnboundedReceiver<Result<String, String>>,
    shards: std::sync::Arc<serenity::gateway::ShardManager>,
    task: tokio::task::JoinHandle<serenity::Result<()>>,
}

async fn start_client(fake: &FakeDiscord) -> Running {
    let (tx, outcomes) = mpsc::unbounded_channel();
    let mut client: Client = ClientBuilder::new_with_http(client_http(fake), GatewayIntents::GUILDS)
        .event_handler(Bot { outcomes: tx })
        .await
        .expect("client");
    let shards = client.shard_manager.clone();
    let task = tokio::spawn(async move { client.start().await });
    assert!(
        fake.wait_ready(WAIT).await,
        "no READY; calls: {:#?}",
        fake.calls()
    );
    Running {
        outcomes,
        shards,
        task,
    }
}

impl Running {
    /// What the handler reported for the next interaction; fails on serenity's errors.
    async fn outcome(&mut self) -> String {
        let outcome = tokio::time::timeout(WAIT, self.outcomes.recv())
            .await
            .expect("the handler ran");
        outcome
            .expect("open")
            .unwrap_or_else(|e| panic!("serenity failed on the fake's answer: {e}"))
    }

    async fn stop(self) {
        self.shards.shutdown_all().await;
        let stopped = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the client stops");
        assert!(stopped.expect("no panic").is_ok());
    }
}

/// The callback POST of interaction `id`.
async fn callback_of(fake: &FakeDiscord, id: u64) -> Call {
    let path = format!("/api/v10/interactions/{id}/{}/callback", interaction_token(id));
    fake.wait_for_call(|c| c.method == "POST" && c.path == path, WAIT)
        .await
        .unwrap_or_else(|| panic!("no callback for interaction {id}; calls: {:#?}", fake.calls()))
}
