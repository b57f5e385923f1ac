//! The real serenity client against the fake Discord on 127.0.0.1
//! (`support::fake_discord`, `support::bot`): what goes over the wire.

// Each binary uses a part of the shared support (fake Discord, console,
// databases, processes), not all of it.
#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod support;

mod agenda_answers;
mod e2e;
mod fake_discord_shards;
mod fake_discord_smoke;
mod faults;
mod messages;
mod mirror;
mod permissions;
mod polls;
mod privacy;
mod threads;
mod trust;
