//! Which of Discord's shards this process runs, and how they connect: the
//! range given (`--shards`, `RENCONTRE_SHARDS`) or every shard Discord
//! recommends; on PostgreSQL, where several processes may share the
//! database, through the IDENTIFY gate.

use serenity::all::Client;

use super::identify_gate;
use crate::config::{Config, ShardRange};
use crate::store::{Db, Engine};

/// Refuses at start what cannot work: a shard range with SQLite, which
/// serves one process (a range is for processes sharing one database).
pub fn check(config: &Config) -> anyhow::Result<()> {
    if let Some(range) = config.shards {
        if Engine::of_url(&config.database_url) == Engine::Sqlite {
            anyhow::bail!(
                "--shards {range} runs part of the bot, for several processes sharing one database, \
                 which needs PostgreSQL: set DATABASE_URL to a postgres:// address (README, \
                 \"Running for many servers\"), or drop --shards / RENCONTRE_SHARDS to run every shard here"
            );
        }
    }
    Ok(())
}

/// Connects this process's shards and serves until they stop.
pub async fn start(client: &mut Client, config: &Config, pool: &Db) -> anyhow::Result<()> {
    let gateway = client.http.get_bot_gateway().await?;
    let recommended = gateway.shards.max(1);
    let range = config.shards.unwrap_or(ShardRange {
        first: 0,
        last: recommended - 1,
        total: recommended,
    });
    if range.total != recommended {
        tracing::info!(%range, recommended, "running a shard count other than Discord's recommendation");
    }
    if (config.shards.is_some() || range.count() > 1) && config.proxy.is_none() {
        tracing::warn!(
            %range,
            "several shards without DISCORD_PROXY: each process keeps its own REST rate limits, and \
             together they may exceed Discord's; point every process at one rate-limiting proxy \
             (README, \"Running for many servers\")"
        );
    }
    if pool.engine() == Engine::Postgres {
        let max_concurrency = u32::try_from(gateway.session_start_limit.max_concurrency).unwrap_or(1);
        let relay = identify_gate::start(gateway.url.clone(), pool.clone(), max_concurrency).await?;
        tracing::info!(%range, max_concurrency, "IDENTIFYs take turns through the database");
        *client.ws_url.lock().await = relay;
    }
    tracing::info!(%range, "starting shards");
    // serenity 0.12.5 counts the end of this range in.
    client
        .start_shard_range(range.first..range.last, range.total)
        .await?;
    Ok(())
}
