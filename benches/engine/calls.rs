//! Invocations as the Discord adapter builds them, and timing them through
//! `handlers::handle`.

use std::time::Instant;

use chrono_tz::Europe::Paris;
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::reply::{Body, Effect, Reply};
use rencontre::state::AppState;

use crate::config::Config;
use crate::stats::{stats, Stats};

/// A member (or an organizer) of server `guild_id`.
pub fn ctx(guild_id: u64, user_id: u64, name: &str, organizer: bool) -> Context {
    let permissions = Permissions {
        manage_events: organizer,
        ..Default::default()
    };
    let (name, locale, roles) = (name.to_owned(), Some("en-GB".to_owned()), vec![]);
    let caller = Caller {
        user_id,
        name,
        locale,
        roles,
        permissions,
    };
    Context {
        guild_id,
        // Any channel: server ids here are 1..N, channels start far above.
        channel_id: 1_000_000 + guild_id,
        caller,
    }
}

pub fn command(command: CommandName, sub: Option<&str>, options: &[(&str, OptionValue)]) -> Invocation {
    let options = Options(options.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    Invocation::Command {
        command,
        sub: sub.map(str::to_owned),
        options,
    }
}

pub fn text(value: impl Into<String>) -> OptionValue {
    OptionValue::Str(value.into())
}

/// A reply that shows something (an embed, a file) or records an answer,
/// not a refusal.
pub fn succeeded(reply: &Reply) -> bool {
    let shows = match &reply.body {
        Body::Message(m) | Body::Update(m) => !m.embeds.is_empty() || !m.attachments.is_empty(),
        _ => false,
    };
    shows
        || reply
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RefreshCard { .. }))
}

/// Times `invocation` as `who`, after a warm-up, until `runs` or the budget.
pub async fn measure(state: &AppState, config: &Config, who: &Context, invocation: &Invocation) -> Stats {
    let mut samples = Vec::with_capacity(config.runs);
    let started = Instant::now();
    for i in 0..config.runs + 3 {
        let at = Instant::now();
        let reply = handlers::handle(state, who, invocation.clone()).await;
        if !succeeded(&reply) {
            eprintln!("FAILED: the handler refused: {reply:?}");
            std::process::exit(2);
        }
        if i >= 3 || at.elapsed() > config.budget / 50 {
            samples.push(at.elapsed());
        }
        if samples.len() >= 5 && started.elapsed() > config.budget {
            break;
        }
    }
    stats(samples)
}

/// `/event create` a week from now, by `organizer`: the new event's id.
pub async fn create_event(state: &AppState, organizer: &Context, title: &str, capacity: i64) -> i64 {
    let when = (state.now() + chrono::Duration::days(7)).with_timezone(&Paris);
    let options = [
        ("title", text(title)),
        ("when", text(when.format("%Y-%m-%d 18:30").to_string())),
        ("location", text("Nausicaá, Boulogne-sur-Mer")),
        ("capacity", OptionValue::Int(capacity)),
    ];
    let invocation = command(CommandName::Event, Some("create"), &options);
    let reply = handlers::handle(state, organizer, invocation).await;
    let created = reply.effects.iter().find_map(|e| match e {
        Effect::RefreshCard { event_id } => Some(*event_id),
        _ => None,
    });
    created.unwrap_or_else(|| panic!("the event was not created: {reply:?}"))
}
