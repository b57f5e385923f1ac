//! An announcement as posted.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::card::event_card;
use crate::domain::event::{Counts, Event};
use crate::domain::Lang;
use crate::i18n::I18n;
use crate::reply::{Embed, Message};
use crate::store::announcements::Announcement;

/// The announcement as posted: an embed, the chosen role pinged in the
/// content (the only ping Rencontre ever sends), and the event's RSVP
/// buttons when it is about an event.
pub fn announcement_message(
    i18n: &I18n,
    lang: Lang,
    tz: Tz,
    announcement: &Announcement,
    event: Option<(&Event, &Counts)>,
    now: DateTime<Utc>,
) -> Message {
    let mut embeds = vec![Embed {
        title: Some(announcement.title.clone()),
        description: Some(announcement.message.clone()),
        colour: Some(0xd6_9e_2e),
        ..Default::default()
    }];
    let mut rows = Vec::new();
    if let Some((event, counts)) = event {
        let card = event_card(i18n, lang, tz, event, counts, now, None);
        embeds.extend(card.embeds);
        rows = card.rows;
    }
    Message {
        content: announcement.ping_role.map(|role| format!("<@&{role}>")),
        embeds,
        rows,
        ping_role: announcement.ping_role,
        ..Default::default()
    }
}
