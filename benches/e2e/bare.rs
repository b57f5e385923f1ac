//! The ceiling: serenity with an event handler that answers every command
//! and button with the same private text, nothing else (this bench's binary,
//! re-executed with `RENCONTRE_BENCH_BARE_BOT` set to the fake's URL).

use std::process::ExitCode;

/// The baseline: serenity with an event handler that answers every
/// command and button with the same private text, nothing else.
pub fn run_bare_bot(proxy: &str) -> ExitCode {
    use serenity::all::{
        ClientBuilder, Context, CreateInteractionResponse, CreateInteractionResponseMessage, EventHandler,
        GatewayIntents, Interaction,
    };
    struct Bare;
    #[serenity::async_trait]
    impl EventHandler for Bare {
        async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
            let answer = CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new()
                    .content("Réponse enregistrée")
                    .ephemeral(true),
            );
            let _ = match interaction {
                Interaction::Component(i) => i.create_response(&ctx.http, answer).await,
                Interaction::Command(i) => i.create_response(&ctx.http, answer).await,
                _ => Ok(()),
            };
        }
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let token = rencontre::config::Secret::new("bench-token".into());
        let http = rencontre::discord::http_client(&token, Some(proxy));
        let Ok(mut client) = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
            .event_handler(Bare)
            .await
        else {
            return ExitCode::FAILURE;
        };
        match client.start().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        }
    })
}
