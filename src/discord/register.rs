//! Registering the command definitions with Discord, only when they changed.

use crate::store::Db;
use serenity::all::{GuildId, Http};

use crate::{definitions, store};

fn state_key(guild: Option<u64>) -> String {
    match guild {
        Some(g) => format!("registered-commands:guild:{g}"),
        None => "registered-commands:global".into(),
    }
}

/// Bulk-overwrites the commands (on one server, or globally) unless the
/// exact same definitions were registered there before: Discord allows 200
/// command creations a day per server, and restarts must not burn them.
/// Returns whether a registration was sent.
pub async fn register(http: &Http, pool: &Db, guild: Option<u64>, force: bool) -> anyhow::Result<bool> {
    let body = definitions::all();
    let text = serde_json::to_string(&body)?;
    let key = state_key(guild);
    let previous = store::bot_state::get(pool, &key).await?;
    if !force && previous.as_deref() == Some(text.as_str()) {
        tracing::info!(target_guild = ?guild, "commands unchanged since the last registration; skipped");
        return Ok(false);
    }
    let registered = match guild {
        Some(g) => {
            let id = std::num::NonZeroU64::new(g).ok_or_else(|| anyhow::anyhow!("0 is not a server id"))?;
            http.create_guild_commands(GuildId::from(id), &body).await?
        }
        None => http.create_global_commands(&body).await?,
    };
    store::bot_state::set(pool, &key, &text).await?;
    tracing::info!(target_guild = ?guild, count = registered.len(), "commands registered");
    Ok(true)
}
