//! `/setup threads` and `/setup card-names`: what each event card carries
//! besides its buttons. Threads are only turned on where the bot may open
//! them, so an admin learns now, not at the first event, what is missing.

use super::setup_check::{missing_in_channel, THREADS};
use super::{Call, Options};
use crate::error::{AppError, AppResult};
use crate::i18n::arg;
use crate::reply::Reply;
use crate::store::settings::{self, Change};

/// Where new cards go when no event names its own channel.
fn cards_channel(call: &Call<'_>) -> u64 {
    call.settings.agenda_channel.unwrap_or(call.ctx.channel_id)
}

pub async fn threads(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let on = options
        .bool("enabled")
        .ok_or_else(|| AppError::user("error-bad-invocation"))?;
    if on {
        let channel = cards_channel(call);
        // Without a probe (no front-end to ask) Discord's refusal at run
        // time is still caught and told; here nothing can be said.
        if let Some(probe) = &call.state.access {
            let access = probe.bot_access(call.ctx.guild_id, &[channel]).await?;
            if let Some(missing) = missing_in_channel(call, &access, channel, THREADS) {
                return Err(AppError::user_with(
                    "setup-threads-missing",
                    vec![
                        ("channel", arg(format!("<#{channel}>"))),
                        ("missing", arg(missing)),
                    ],
                ));
            }
        }
    }
    let change = Change::Threads {
        on,
        admin: call.ctx.caller.user_id,
    };
    save(
        call,
        change,
        if on {
            "setup-threads-on"
        } else {
            "setup-threads-off"
        },
    )
    .await
}

pub async fn card_names(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let on = options
        .bool("enabled")
        .ok_or_else(|| AppError::user("error-bad-invocation"))?;
    let key = if on {
        "setup-card-names-on"
    } else {
        "setup-card-names-off"
    };
    save(call, Change::CardNames(on), key).await
}

async fn save(call: &Call<'_>, change: Change, key: &str) -> AppResult<Reply> {
    settings::update(call.pool(), call.ctx.guild_id, change, call.now()).await?;
    call.state.settings.forget(call.ctx.guild_id);
    let channel = format!("<#{}>", cards_channel(call));
    Ok(Reply::private_text(call.t(key, &[("channel", arg(channel))])))
}
