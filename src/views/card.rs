//! The event card: the embed and buttons members RSVP with.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::timestamp;
use crate::domain::custom_id::ComponentId;
use crate::domain::event::{Counts, Event};
use crate::domain::format::{escape_markdown, number, unmask_links};
use crate::domain::rsvp::{RsvpChoice, RsvpStatus};
use crate::domain::Lang;
use crate::i18n::I18n;
use crate::i18n::{arg, num};
use crate::reply::{Button, ButtonStyle, Embed, Field, Message};

/// "12/30" or "12" when there is no limit.
pub fn seats_text(event: &Event, counts: &Counts, lang: Lang) -> String {
    let going = number(counts.going_seats, lang);
    match event.capacity {
        Some(cap) => format!("{going}/{}", number(cap, lang)),
        None => going,
    }
}

/// Start and end: "<start> (<relative>)\n→ <end>". The end shows its date
/// when it falls on another day than the start in the server's time zone,
/// so a three-day event never reads "→ 18:00" as if it lasted no time.
pub fn when_text(event: &Event, tz: Tz) -> String {
    let same_day =
        event.starts_at.with_timezone(&tz).date_naive() == event.ends_at.with_timezone(&tz).date_naive();
    format!(
        "{} ({})\n→ {}",
        timestamp(event.starts_at, 'F'),
        timestamp(event.starts_at, 'R'),
        timestamp(event.ends_at, if same_day { 't' } else { 'f' })
    )
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
/// the private `/event show`). `tz` is the server's time zone.
pub fn event_card(
    i18n: &I18n,
    lang: Lang,
    tz: Tz,
    event: &Event,
    counts: &Counts,
    now: DateTime<Utc>,
    mine: Option<(RsvpStatus, Option<i64>)>,
) -> Message {
    let t = |key: &str| i18n.t(lang, key, &[]);
    let mut fields = vec![Field {
        name: t("card-when"),
        value: when_text(event, tz),
        inline: false,
    }];
    if let Some(location) = &event.location {
        fields.push(Field {
            name: t("card-where"),
            value: unmask_links(location),
            inline: true,
        });
    }
    fields.push(Field {
        name: t("card-going"),
        value: seats_text(event, counts, lang),
        inline: true,
    });
    fields.push(Field {
        name: t("card-maybe"),
        value: number(counts.maybe, lang),
        inline: true,
    });
    if counts.waitlisted > 0 {
        fields.push(Field {
            name: t("card-waitlist"),
            value: number(counts.waitlisted, lang),
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
    let mut description = event.description.as_deref().map(unmask_links).unwrap_or_default();
    if event.cancelled {
        if let Some(reason) = &event.cancel_reason {
            description = format!(
                "{}\n\n{description}",
                i18n.t(
                    lang,
                    "card-cancel-reason",
                    &[("reason", arg(unmask_links(reason)))]
                )
            );
        }
    }
    // After the deadline only joining is closed: a going member can still
    // free their seat.
    let open = |choice| match choice {
        RsvpChoice::Going => event.takes_answers(now),
        RsvpChoice::Maybe | RsvpChoice::Declined => event.takes_withdrawals(now),
    };
    let button = |choice: RsvpChoice, key: &str, style: ButtonStyle| Button {
        label: t(key),
        custom_id: ComponentId::Rsvp {
            event_id: event.id,
            choice,
        }
        .encode(),
        style,
        disabled: !open(choice),
    };
    let mut row = vec![
        button(RsvpChoice::Going, "button-going", ButtonStyle::Success),
        button(RsvpChoice::Maybe, "button-maybe", ButtonStyle::Secondary),
        button(RsvpChoice::Declined, "button-declined", ButtonStyle::Danger),
    ];
    if event.check_in_open(now) {
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
            footer: Some(i18n.t(lang, "card-footer", &[("id", arg(event.id.to_string()))])),
            colour: Some(if event.cancelled { 0x99_99_99 } else { 0x2b_6c_b0 }),
            ..Default::default()
        }],
        rows: vec![row],
        ..Default::default()
    }
}

/// How many names a card shows at most (`/setup card-names`), the first to
/// answer; the others are counted as "+N".
pub const NAMES_SHOWN: i64 = 20;

/// Adds to a card the names of who is going, `names` being the first
/// [`NAMES_SHOWN`] of `going` members. Names are what members typed:
/// escaped, so they show as text, and inside an embed they never ping.
/// The field stays within Discord's 1,024 characters however long they are.
pub fn add_going_names(i18n: &I18n, lang: Lang, card: &mut Message, names: &[String], going: i64) {
    const FIELD_MAX: usize = 1_000;
    let Some(embed) = card.embeds.first_mut() else {
        return;
    };
    if names.is_empty() {
        return;
    }
    let mut shown = Vec::new();
    let mut used = 0;
    for name in names {
        let name = escape_markdown(name);
        // Room for the separator and a "+N" after the last name.
        if used + name.chars().count() + 12 > FIELD_MAX {
            break;
        }
        used += name.chars().count() + 2;
        shown.push(name);
    }
    let mut value = shown.join(", ");
    let more = going - shown.len() as i64;
    if more > 0 {
        value.push(' ');
        value.push_str(&i18n.t(lang, "card-names-more", &[("count", num(more))]));
    }
    embed.fields.push(Field {
        name: i18n.t(lang, "card-going-names", &[]),
        value,
        inline: false,
    });
}
