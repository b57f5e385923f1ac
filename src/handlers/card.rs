//! The event card: the embed and buttons members RSVP with.

use chrono::{DateTime, Duration, Utc};

use super::call::{arg, num};
use crate::domain::custom_id::ComponentId;
use crate::domain::rsvp::{RsvpChoice, RsvpStatus};
use crate::domain::Lang;
use crate::i18n::I18n;
use crate::reply::{Button, ButtonStyle, Embed, Field, Message};
use crate::store::events::{Counts, Event};

/// Discord shows `<t:…>` in each reader's own time zone and language.
pub fn timestamp(at: DateTime<Utc>, style: char) -> String {
    format!("<t:{}:{style}>", at.timestamp())
}

/// The check-in window: from 30 minutes before the start until the end.
pub fn check_in_open(event: &Event, now: DateTime<Utc>) -> bool {
    !event.cancelled && now >= event.starts_at - Duration::minutes(30) && now < event.ends_at
}

/// How long after the end an organizer may still record who came (the
/// list is often written up the next morning).
pub const LATE_CHECK_IN_HOURS: i64 = 24;

/// The organizers' check-in window: from 30 minutes before the start until
/// a day after the end.
pub fn organizer_check_in_open(event: &Event, now: DateTime<Utc>) -> bool {
    !event.cancelled
        && now >= event.starts_at - Duration::minutes(30)
        && now < event.ends_at + Duration::hours(LATE_CHECK_IN_HOURS)
}

/// "12/30" or "12" when there is no limit.
pub fn seats_text(event: &Event, counts: &Counts) -> String {
    match event.capacity {
        Some(cap) => format!("{}/{cap}", counts.going_seats),
        None => counts.going_seats.to_string(),
    }
}

pub fn status_text(i18n: &I18n, lang: Lang, status: RsvpStatus, position: Option<i64>) -> String {
    match status {
        RsvpStatus::Going => i18n.t(lang, "rsvp-mine-going", &[]),
        RsvpStatus::Maybe => i18n.t(lang, "rsvp-mine-maybe", &[]),
        RsvpStatus::Declined => i18n.t(lang, "rsvp-mine-declined", &[]),
        RsvpStatus::WalkIn => i18n.t(lang, "rsvp-mine-walk-in", &[]),
        RsvpStatus::Waitlisted => i18n.t(
            lang,
            "rsvp-mine-waitlisted",
            &[("position", num(position.unwrap_or(0)))],
        ),
    }
}

/// The card as everyone sees it; `mine` adds the reader's own answer (for
/// the private `/event show`).
pub fn event_card(
    i18n: &I18n,
    lang: Lang,
    event: &Event,
    counts: &Counts,
    now: DateTime<Utc>,
    mine: Option<(RsvpStatus, Option<i64>)>,
) -> Message {
    let t = |key: &str| i18n.t(lang, key, &[]);
    let mut fields = vec![Field {
        name: t("card-when"),
        value: format!(
            "{} ({})\n→ {}",
            timestamp(event.starts_at, 'F'),
            timestamp(event.starts_at, 'R'),
            timestamp(event.ends_at, 't')
        ),
        inline: false,
    }];
    if let Some(location) = &event.location {
        fields.push(Field {
            name: t("card-where"),
            value: location.clone(),
            inline: true,
        });
    }
    fields.push(Field {
        name: t("card-going"),
        value: seats_text(event, counts),
        inline: true,
    });
    fields.push(Field {
        name: t("card-maybe"),
        value: counts.maybe.to_string(),
        inline: true,
    });
    if counts.waitlisted > 0 {
        fields.push(Field {
            name: t("card-waitlist"),
            value: counts.waitlisted.to_string(),
            inline: true,
        });
    }
    if let Some(deadline) = event.rsvp_deadline {
        fields.push(Field {
            name: t("card-deadline"),
            value: timestamp(deadline, 'f'),
            inline: true,
        });
    }
    if let Some(role) = event.restricted_role {
        fields.push(Field {
            name: t("card-restricted"),
            // In an embed a role mention renders but never pings.
            value: format!("<@&{role}>"),
            inline: true,
        });
    }
    if let Some((status, position)) = mine {
        fields.push(Field {
            name: t("card-yours"),
            value: status_text(i18n, lang, status, position),
            inline: false,
        });
    }
    let title = if event.cancelled {
        i18n.t(
            lang,
            "card-cancelled-title",
            &[("title", arg(event.title.clone()))],
        )
    } else {
        event.title.clone()
    };
    let mut description = event.description.clone().unwrap_or_default();
    if event.cancelled {
        if let Some(reason) = &event.cancel_reason {
            description = format!(
                "{}\n\n{description}",
                i18n.t(lang, "card-cancel-reason", &[("reason", arg(reason.clone()))])
            );
        }
    }
    let open = event.takes_answers(now);
    let button = |choice: RsvpChoice, key: &str, style: ButtonStyle| Button {
        label: t(key),
        custom_id: ComponentId::Rsvp {
            event_id: event.id,
            choice,
        }
        .encode(),
        style,
        disabled: !open,
    };
    let mut row = vec![
        button(RsvpChoice::Going, "button-going", ButtonStyle::Success),
        button(RsvpChoice::Maybe, "button-maybe", ButtonStyle::Secondary),
        button(RsvpChoice::Declined, "button-declined", ButtonStyle::Danger),
    ];
    if check_in_open(event, now) {
        row.push(Button {
            label: t("button-check-in"),
            custom_id: ComponentId::CheckIn { event_id: event.id }.encode(),
            style: ButtonStyle::Primary,
            disabled: false,
        });
    }
    Message {
        embeds: vec![Embed {
            title: Some(title),
            description: (!description.is_empty()).then_some(description),
            fields,
            footer: Some(i18n.t(lang, "card-footer", &[("id", num(event.id))])),
            colour: Some(if event.cancelled { 0x99_99_99 } else { 0x2b_6c_b0 }),
            ..Default::default()
        }],
        rows: vec![row],
        ..Default::default()
    }
}
