//! Which servers and members are still there: a server missing from READY
//! was left while the bot was offline, a member who leaves loses their
//! calendar links.

use serenity::all::Ready;

use crate::state::AppState;
use crate::store;

/// Every server READY lists is the bot's, unavailable or not (an outage at
/// Discord is not a removal); a server of this shard that the database
/// holds data for and READY does not list is purged after the grace period.
pub async fn compare_with_ready(state: &AppState, ready: &Ready) {
    let listed: Vec<u64> = ready.guilds.iter().map(|g| g.id.get()).collect();
    let shard = ready
        .shard
        .map_or((0, 1), |s| (u64::from(s.id.0), u64::from(s.total)));
    match store::guilds::left_while_offline(&state.pool, &listed, shard, state.now()).await {
        Ok(gone) if !gone.is_empty() => tracing::info!(
            servers = ?gone,
            "removed from servers while offline; their data will be purged after the grace period"
        ),
        Ok(_) => {}
        Err(error) => tracing::error!(error = ?error, "could not compare READY's servers with the database"),
    }
}

/// A member left the server (known only with the privileged Server Members
/// intent): their links to its calendar feeds stop working.
pub async fn member_left(state: &AppState, guild_id: u64, user_id: u64) {
    match store::feeds::revoke_member(&state.pool, guild_id, user_id).await {
        Ok(0) => {}
        Ok(links) => tracing::info!(
            guild = guild_id,
            links,
            "a member left; their calendar links are cut"
        ),
        Err(error) => {
            tracing::error!(error = ?error, "could not cut the calendar links of a member who left")
        }
    }
}
