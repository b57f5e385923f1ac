//! Registering the command definitions with Discord, only when they changed.

use crate::store::Db;
use serenity::all::{GuildId, Http};

use crate::{definitions, store};

/// How long the process that registers may take: others starting meanwhile
/// (every process of a deployment restarted at once) skip it. Given back
/// once done, so a deployment soon after registers its new definitions.
const REGISTRATION_LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// At start: registers the definitions if they changed, in one process of
/// those sharing the database — the one that takes the lease.
pub async fn register_once(http: &Http, state: &crate::state::AppState, guild: Option<u64>) {
    let holder = store::runners::runner_id();
    match store::gateway::lease(
        &state.pool,
        "register-commands",
        holder,
        state.now(),
        REGISTRATION_LEASE,
    )
    .await
    {
        Ok(true) => {
            if let Err(error) = register(http, &state.pool, guild, false).await {
                tracing::error!(error = ?error, "command registration failed");
            }
            if let Err(error) = store::gateway::release(&state.pool, "register-commands", holder).await {
                tracing::warn!(error = ?error, "could not give back the registration lease");
            }
        }
        Ok(false) => tracing::info!("another process registers the commands"),
        Err(error) => {
            tracing::error!(error = ?error, "could not take the registration lease; not registering")
        }
    }
}

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
