//! An event's card and its mirror among Discord's scheduled events: posted
//! or edited from the database's latest state, with the announcements that
//! carry its buttons.

use super::{deliver_one, threads, MirrorError, NativeEvent, Outlet};
use crate::reply::{Effect, Message};
use crate::state::AppState;
use crate::store;
use crate::views::announcement::announcement_message;
use crate::views::card::{add_going_names, event_card, NAMES_SHOWN};

/// Renders an event's card again, posting it if it was never posted, and
/// every announcement that carries its buttons: they show the same counts
/// and must not keep live buttons on a full or cancelled event. Called for
/// each coalesced refresh, so the copies are edited as seldom as the card.
pub(super) async fn refresh_card(
    state: &AppState,
    outlet: &impl Outlet,
    event_id: i64,
) -> anyhow::Result<()> {
    let pool = &state.pool;
    let Some(event) = store::events::get_any(pool, event_id).await? else {
        return Ok(());
    };
    let settings = store::settings::get(pool, event.guild_id).await?;
    let counts = store::events::counts_one(pool, event.id).await?;
    let mut card = event_card(
        &state.i18n,
        settings.language,
        settings.timezone,
        &event,
        &counts,
        state.now(),
        None,
    );
    if settings.card_names {
        let going = store::rsvps::attendees::going_names(pool, event.id, NAMES_SHOWN).await?;
        add_going_names(
            &state.i18n,
            settings.language,
            &mut card,
            &going,
            counts.going_members,
        );
    }
    let card_done = match (event.card_channel_id, event.card_message_id) {
        (Some(channel), Some(message)) => outlet.edit(channel, message, &card).await,
        _ => match event.channel_id.or(settings.agenda_channel) {
            None => Ok(()),
            Some(channel) => {
                // Posted once per event: if a crash comes before the
                // id is stored, the next try is the same message.
                let once = format!("card:{}:{}", event.id, event.starts_at.timestamp());
                match outlet.post(channel, &card.once(&once)).await {
                    Ok(message) => {
                        let stored = store::events::set_card(pool, event.id, channel, message).await;
                        if stored.is_ok() && settings.threads && !event.cancelled {
                            threads::open(state, outlet, &event, &settings, channel, message).await;
                        }
                        stored.map_err(anyhow::Error::from)
                    }
                    Err(error) => Err(error),
                }
            }
        },
    };
    // A copy that cannot be edited (deleted by hand, say) does not keep the
    // others or the card stale.
    for (announcement, message_id) in store::announcements::posted_with_event(pool, event.id).await? {
        let mut copy = announcement_message(
            &state.i18n,
            settings.language,
            settings.timezone,
            &announcement,
            Some((&event, &counts)),
            state.now(),
        );
        // Its role was pinged when it was posted; an edit pings nobody.
        copy.ping_role = None;
        if let Err(error) = outlet.edit(announcement.channel_id, message_id, &copy).await {
            tracing::warn!(announcement = announcement.id, error = ?error, "could not refresh an announcement's copy of a card");
        }
    }
    card_done
}

/// Native event limits: name 100, description 1,000, location 100.
pub(super) fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Mirrors an event to Discord's scheduled events, pointing at its card
/// (their "Interested" is not an RSVP). A refusal for lack of permission
/// pauses mirroring and tells the organizer, instead of failing every time.
pub(super) async fn mirror(state: &AppState, outlet: &impl Outlet, event_id: i64) -> anyhow::Result<()> {
    let pool = &state.pool;
    let Some(event) = store::events::get_any(pool, event_id).await? else {
        return Ok(());
    };
    let settings = store::settings::get(pool, event.guild_id).await?;
    if !settings.mirror_events || settings.mirror_blocked {
        return Ok(());
    }
    if event.native_event_id.is_none() && (event.cancelled || event.starts_at <= state.now()) {
        return Ok(());
    }
    let t = |key: &str| state.i18n.t(settings.language, key, &[]);
    let link = match (event.card_channel_id, event.card_message_id) {
        (Some(channel), Some(message)) => {
            format!(
                "https://discord.com/channels/{}/{channel}/{message}",
                event.guild_id
            )
        }
        _ => String::new(),
    };
    let rsvp_note = format!("{} {link}", t("mirror-rsvp-on-card"));
    let description = match &event.description {
        Some(d) => format!("{}\n\n{rsvp_note}", cut(d, 1_000 - rsvp_note.chars().count() - 2)),
        None => rsvp_note,
    };
    let native = NativeEvent {
        name: cut(&event.title, 100),
        description: cut(&description, 1_000),
        location: cut(
            &event.location.clone().unwrap_or_else(|| t("card-no-location")),
            100,
        ),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        cancelled: event.cancelled,
    };
    match outlet
        .mirror(event.guild_id, event.native_event_id, &native)
        .await
    {
        Ok(Some(id)) if Some(id) != event.native_event_id => {
            store::events::set_native_event(pool, event.id, id).await?;
        }
        Ok(_) => {}
        Err(MirrorError::MissingPermission) => {
            tracing::warn!(
                guild = event.guild_id,
                "mirror refused: missing Create Events; paused"
            );
            store::settings::block_mirror(pool, event.guild_id).await?;
            state.settings.forget(event.guild_id);
            // An erased creator's id is 0: nobody to tell.
            if event.created_by == 0 {
                return Ok(());
            }
            let text = state.i18n.t(settings.language, "dm-mirror-blocked", &[]);
            let dm = Effect::Dm {
                guild_id: event.guild_id,
                user_id: event.created_by,
                message: Message::text(text),
            };
            Box::pin(deliver_one(state, outlet, &dm)).await?;
        }
        Err(MirrorError::Other(error)) => return Err(error),
    }
    Ok(())
}
