//! What members are told when something happens to an event: its thread's
//! notices of a change or cancellation, and the DMs (reminder, a freed
//! seat, a moved or cancelled date, the date a poll chose). Typed text
//! shows as text; times are Discord timestamps each reader sees in their
//! own zone.

use super::timestamp;
use crate::domain::event::{Event, EventFields};
use crate::domain::format::{escape_markdown, unmask_links};
use crate::domain::Lang;
use crate::i18n::{arg, num, Args, I18n};
use crate::reply::Message;

/// The place as shown, or "place to be announced".
fn place(i18n: &I18n, lang: Lang, location: Option<&str>) -> String {
    match location {
        Some(place) => unmask_links(place),
        None => i18n.t(lang, "card-no-location", &[]),
    }
}

/// What the event's thread is told of a new time or place.
pub fn thread_changed(i18n: &I18n, lang: Lang, new: &EventFields) -> Message {
    Message::text(i18n.t(
        lang,
        "thread-changed",
        &[
            ("title", arg(escape_markdown(&new.title))),
            ("when", arg(timestamp(new.starts_at, 'F'))),
            ("where", arg(place(i18n, lang, new.location.as_deref()))),
        ],
    ))
}

/// What the event's thread is told of its cancellation.
pub fn thread_cancelled(i18n: &I18n, lang: Lang, event: &Event, reason: Option<&str>) -> Message {
    let title = ("title", arg(escape_markdown(&event.title)));
    Message::text(match reason {
        Some(reason) => i18n.t(
            lang,
            "thread-cancelled-reason",
            &[title, ("reason", arg(unmask_links(reason)))],
        ),
        None => i18n.t(lang, "thread-cancelled", &[title]),
    })
}

/// The reminder DM before an event.
pub fn reminder(i18n: &I18n, lang: Lang, event: &Event) -> Message {
    Message::text(i18n.t(
        lang,
        "dm-reminder",
        &[
            ("title", arg(escape_markdown(&event.title))),
            ("when", arg(timestamp(event.starts_at, 'F'))),
            ("relative", arg(timestamp(event.starts_at, 'R'))),
            ("where", arg(place(i18n, lang, event.location.as_deref()))),
        ],
    ))
}

/// The DM telling a waiting member a seat freed up for them.
pub fn promoted(i18n: &I18n, lang: Lang, event: &Event) -> Message {
    Message::text(i18n.t(
        lang,
        "dm-promoted",
        &[
            ("title", arg(escape_markdown(&event.title))),
            ("when", arg(timestamp(event.starts_at, 'F'))),
        ],
    ))
}

/// The DM telling a member that the dates they answered moved or changed
/// place (`cancelled` false), or are cancelled: about one date, or a list
/// of the dates of a series. `dates` is not empty.
pub fn dates_changed(i18n: &I18n, lang: Lang, cancelled: bool, dates: &[&Event]) -> Message {
    let first = dates[0];
    let reason = first.cancel_reason.clone().filter(|r| !r.trim().is_empty());
    let key = match (cancelled, dates.len() > 1, reason.is_some()) {
        (false, false, _) => "dm-event-changed",
        (false, true, _) => "dm-series-changed",
        (true, false, false) => "dm-event-cancelled",
        (true, false, true) => "dm-event-cancelled-reason",
        (true, true, false) => "dm-series-cancelled",
        (true, true, true) => "dm-series-cancelled-reason",
    };
    let list = dates
        .iter()
        .map(|e| timestamp(e.starts_at, 'F'))
        .collect::<Vec<_>>()
        .join(", ");
    let args: &Args<'_> = &[
        ("title", arg(escape_markdown(&first.title))),
        ("when", arg(timestamp(first.starts_at, 'F'))),
        ("where", arg(place(i18n, lang, first.location.as_deref()))),
        ("count", num(dates.len() as i64)),
        ("dates", arg(list)),
        (
            "reason",
            arg(reason.as_deref().map(unmask_links).unwrap_or_default()),
        ),
    ];
    Message::text(i18n.t(lang, key, args))
}

/// The DM telling a member who could come which date a poll chose, with a
/// link to the new event's card.
pub fn poll_closed(i18n: &I18n, lang: Lang, title: &str, event: &Event, link: &str) -> Message {
    Message::text(i18n.t(
        lang,
        "dm-poll-closed",
        &[
            ("title", arg(escape_markdown(title))),
            ("when", arg(timestamp(event.starts_at, 'F'))),
            ("link", arg(link.to_owned())),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn event(location: &str) -> Event {
        let starts_at = Utc.with_ymd_and_hms(2026, 12, 10, 17, 30, 0).unwrap();
        Event {
            id: 1,
            guild_id: 1,
            title: "Rencontre numérique".into(),
            description: None,
            location: Some(location.into()),
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(2),
            capacity: None,
            rsvp_deadline: None,
            restricted_role: None,
            channel_id: None,
            card_channel_id: None,
            card_message_id: None,
            cancelled: false,
            cancel_reason: None,
            repeat: None,
            series_id: None,
            native_event_id: None,
            created_by: 1,
            updated_at: starts_at,
        }
    }

    /// Text an organizer typed (the title, the place, a cancellation's
    /// reason) cannot dress a link up as something else, in the DMs as in
    /// the thread: members read the brackets and where the link leads.
    #[test]
    fn a_masked_link_shows_where_it_leads_in_every_dm() {
        let i18n = I18n::load();
        let mut event = event("[Salle Jean Moulin](https://evil.example/place)");
        event.title = "[Rencontre](https://evil.example/title)".into();
        let mut cancelled = event.clone();
        cancelled.cancel_reason = Some("[Nouvelle date](https://evil.example/reason)".into());
        let texts = [
            reminder(&i18n, Lang::Fr, &event).content,
            promoted(&i18n, Lang::Fr, &event).content,
            dates_changed(&i18n, Lang::Fr, false, &[&event]).content,
            dates_changed(&i18n, Lang::En, false, &[&event, &event]).content,
            dates_changed(&i18n, Lang::Fr, true, &[&cancelled]).content,
            poll_closed(
                &i18n,
                Lang::Fr,
                &event.title,
                &event,
                "https://discord.com/channels/1/2/3",
            )
            .content,
        ];
        for text in texts {
            let text = text.unwrap_or_default();
            // Escaped brackets: Discord shows them, and the address, as typed.
            assert!(
                text.contains(r"\[Rencontre\](https://evil.example/title)"),
                "{text}"
            );
        }
        let reminded = reminder(&i18n, Lang::Fr, &event).content.unwrap_or_default();
        assert!(
            reminded.contains(r"\[Salle Jean Moulin\](https://evil.example/place)"),
            "{reminded}"
        );
        let told = dates_changed(&i18n, Lang::Fr, true, &[&cancelled])
            .content
            .unwrap_or_default();
        assert!(
            told.contains(r"\[Nouvelle date\](https://evil.example/reason)"),
            "{told}"
        );
    }
}
