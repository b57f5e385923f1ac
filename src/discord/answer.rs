//! Answering one interaction: run its handler, reply at once or defer
//! ("thinking…") and edit later, then hand the reply's effects on — card
//! refreshes to the coalescing refresher, the rest to delivery now.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{CreateInteractionResponse, CreateInteractionResponseMessage, Http, Interaction};

use super::outlet::DiscordOutlet;
use super::refresher::CardRefresher;
use super::{build, convert, servers};
use crate::delivery;
use crate::domain::Lang;
use crate::handlers;
use crate::reply::{Body, Effect, Message};
use crate::state::AppState;

/// Past this, a reply is deferred ("thinking…") and sent when ready, well
/// within Discord's 3-second deadline.
const DEFER_AFTER: Duration = Duration::from_millis(1_500);

/// The private reply for interactions outside a server (every command but
/// `/privacy` is guild-only, but a forged or stale one may still arrive).
fn outside_guild(state: &AppState, interaction: &Interaction) -> Option<CreateInteractionResponse> {
    let locale = match interaction {
        Interaction::Command(c) => &c.locale,
        Interaction::Component(c) => &c.locale,
        Interaction::Modal(m) => &m.locale,
        _ => return None,
    };
    let text = state.i18n.t(Lang::from_locale(locale), "error-guild-only", &[]);
    Some(CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true),
    ))
}

pub(super) async fn answer(
    state: AppState,
    http: Arc<Http>,
    refresher: Arc<CardRefresher>,
    interaction: Interaction,
) {
    let Some((mut ctx, invocation)) = convert::invocation(&interaction) else {
        tracing::warn!(kind = ?interaction.kind(), "interaction not handled");
        if let Some(response) = outside_guild(&state, &interaction) {
            if let Err(error) = respond(&http, &interaction, response).await {
                tracing::warn!(error = ?error, "could not answer an unhandled interaction");
            }
        }
        return;
    };
    let bits = servers::permissions(&state, &http, &ctx).await;
    ctx.caller.permissions = handlers::Permissions::from_bits(bits);
    // Modals and autocomplete cannot be deferred: they must answer at once.
    let can_defer = matches!(
        interaction,
        Interaction::Command(_) | Interaction::Modal(_) | Interaction::Component(_)
    );
    // Files are built from the whole year or everything held about a member:
    // say "thinking…" at once rather than race the 3-second deadline.
    let defer_at_once = matches!(&interaction, Interaction::Command(c) if handlers::CommandName::from_name(&c.data.name).is_some_and(handlers::CommandName::defers_at_once));
    let task_state = state.clone();
    let mut task = tokio::spawn(async move { handlers::handle(&task_state, &ctx, invocation).await });
    let quick = if defer_at_once || !can_defer {
        None
    } else {
        tokio::time::timeout(DEFER_AFTER, &mut task).await.ok()
    };
    let deferred = quick.is_none() && can_defer;
    if deferred {
        let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
        if let Err(error) = respond(&http, &interaction, defer).await {
            tracing::error!(error = ?error, "could not defer");
        }
    }
    let reply = match quick {
        Some(done) => done,
        None => task.await,
    };
    let reply = match reply {
        Ok(reply) => reply,
        Err(error) => {
            tracing::error!(error = ?error, "handler task failed");
            return;
        }
    };
    let sent = match (&reply.body, deferred) {
        (Body::Message(message) | Body::Update(message), true) => {
            edit_deferred(&http, &interaction, message).await
        }
        (body, _) => respond(&http, &interaction, build::response(body)).await,
    };
    if let Err(error) = sent {
        tracing::error!(error = ?error, "could not answer the interaction");
    }
    deliver(&state, &http, &refresher, reply.effects).await;
}

async fn respond(
    http: &Http,
    interaction: &Interaction,
    response: CreateInteractionResponse,
) -> serenity::Result<()> {
    match interaction {
        Interaction::Command(i) | Interaction::Autocomplete(i) => i.create_response(http, response).await,
        Interaction::Component(i) => i.create_response(http, response).await,
        Interaction::Modal(i) => i.create_response(http, response).await,
        _ => Ok(()),
    }
}

async fn edit_deferred(http: &Http, interaction: &Interaction, message: &Message) -> serenity::Result<()> {
    let edit = build::edit_response(message);
    match interaction {
        Interaction::Command(i) => i.edit_response(http, edit).await.map(drop),
        Interaction::Component(i) => i.edit_response(http, edit).await.map(drop),
        Interaction::Modal(i) => i.edit_response(http, edit).await.map(drop),
        _ => Ok(()),
    }
}

/// Card refreshes go to the coalescing refresher; everything else is sent
/// now. A card that a mirror will link to (a created or edited event) is
/// rendered at once, so the link exists.
async fn deliver(state: &AppState, http: &Arc<Http>, refresher: &CardRefresher, effects: Vec<Effect>) {
    let mirrored: Vec<i64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::MirrorEvent { event_id } => Some(*event_id),
            _ => None,
        })
        .collect();
    let mut now = Vec::new();
    for effect in effects {
        match effect {
            Effect::RefreshCard { event_id } if !mirrored.contains(&event_id) => {
                refresher.mark(delivery::Card::Event(event_id)).await
            }
            Effect::RefreshPoll { poll_id } => refresher.mark(delivery::Card::Poll(poll_id)).await,
            other => now.push(other),
        }
    }
    if !now.is_empty() {
        let outlet = DiscordOutlet {
            http: http.clone(),
            directory: state.directory.clone(),
        };
        delivery::deliver(state, &outlet, now).await;
    }
}
