//! A date poll's card, posted once and then edited like an event's.

use super::Outlet;
use crate::state::AppState;
use crate::store;
use crate::views::poll::poll_card;

/// Renders a date poll's card again, posting it the first time, into its
/// channel only if that channel is on the poll's server.
pub(super) async fn refresh_poll(state: &AppState, outlet: &impl Outlet, poll_id: i64) -> anyhow::Result<()> {
    let pool = &state.pool;
    let Some(poll) = store::polls::get_any(pool, poll_id).await? else {
        return Ok(());
    };
    let settings = store::settings::get(pool, poll.guild_id).await?;
    let tallies = store::polls::tallies(pool, &poll).await?;
    let card = poll_card(&state.i18n, settings.language, settings.timezone, &poll, &tallies);
    match poll.message_id {
        Some(message) => outlet.edit(poll.channel_id, message, &card).await,
        None => {
            if outlet.channel_guild(poll.channel_id).await? != Some(poll.guild_id) {
                anyhow::bail!("poll {poll_id}'s channel is not on its server; not posted");
            }
            let id = outlet
                .post(poll.channel_id, &card.once(&format!("poll:{poll_id}")))
                .await?;
            store::polls::set_message(pool, poll.id, id).await?;
            Ok(())
        }
    }
}
