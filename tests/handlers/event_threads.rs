//! Issue 13, through the handlers: a thread per event card (`/setup
//! threads`), `/setup check`'s threads and files rows, events created
//! `from` an earlier one, and the names of who is going on cards.

use crate::support::{self, calls, outlet};

use std::sync::Arc;

use calls::*;
use chrono::Duration;
use outlet::{Recorder, Sent};
use rencontre::access::{bits, AccessProbe, BotAccess, ProbeFuture};
use rencontre::delivery::deliver;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::Reply;
use rencontre::state::AppState;

use CommandName::{Event, Setup};

mod cards;
mod threads;

/// Thursday 3 December 2026, 18:30 in Paris.
const WHEN: &str = "2026-12-03 18:30";
const POSTING: u64 = bits::VIEW_CHANNEL | bits::SEND_MESSAGES | bits::EMBED_LINKS;
const THREADS: u64 = bits::CREATE_PUBLIC_THREADS | bits::SEND_MESSAGES_IN_THREADS;

/// Reports fixed permissions, as Discord would compute them.
struct Fixed(BotAccess);

impl AccessProbe for Fixed {
    fn bot_access<'a>(&'a self, _guild_id: u64, channels: &'a [u64]) -> ProbeFuture<'a> {
        let mut access = self.0.clone();
        access.channels.retain(|(id, _)| channels.contains(id));
        Box::pin(async move { Ok(access) })
    }
}

fn bits_here(channel_bits: u64) -> Arc<Fixed> {
    Arc::new(Fixed(BotAccess {
        server: POSTING,
        channels: vec![(CHANNEL, Some(channel_bits))],
    }))
}

fn threads_on(on: bool) -> rencontre::handlers::Invocation {
    cmd(Setup, Some("threads"), &[("enabled", OptionValue::Bool(on))])
}

/// Runs and carries out the reply's effects on `out`, like a front-end.
async fn act(
    state: &AppState,
    out: &Recorder,
    ctx: &rencontre::handlers::Context,
    invocation: rencontre::handlers::Invocation,
) -> Reply {
    let reply = run(state, ctx, invocation).await;
    deliver(state, out, reply.effects.clone()).await;
    reply
}
