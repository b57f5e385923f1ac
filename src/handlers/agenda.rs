//! `/agenda`: upcoming events, soonest first, paged with ◀ ▶.

use chrono::{DateTime, Duration, Utc};

use super::{Call, Options};
use crate::domain::custom_id::{ComponentId, Period, ANSWER_MENU};
use crate::domain::event::Event;
use crate::domain::format::{escape_markdown, unmask_links};
use crate::domain::rsvp::RsvpChoice;
use crate::domain::when;
use crate::error::AppResult;
use crate::i18n::{arg, num};
use crate::reply::{Body, Button, ButtonStyle, Embed, Message, Reply, Select, SelectOption};
use crate::store;
use crate::views::card::{seats_text, status_text};
use crate::views::timestamp;

/// Five events a page: readable on a phone.
pub const PAGE_SIZE: i64 = 5;

pub async fn run(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let period = options
        .str("period")
        .and_then(Period::parse)
        .unwrap_or(Period::All);
    Ok(Reply::message(render(call, period, 0).await?))
}

pub async fn page(call: &Call<'_>, period: Period, page: u32) -> AppResult<Reply> {
    Ok(Reply {
        body: Body::Update(render(call, period, page).await?),
        effects: Vec::new(),
    })
}

fn until(period: Period, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match period {
        Period::Week => Some(now + Duration::days(7)),
        Period::Month => Some(now + Duration::days(31)),
        Period::All => None,
    }
}

async fn render(call: &Call<'_>, period: Period, page: u32) -> AppResult<Message> {
    let now = call.now();
    let pool = call.pool();
    let (events, total) = store::events::upcoming(
        pool,
        call.ctx.guild_id,
        now,
        until(period, now),
        PAGE_SIZE,
        i64::from(page) * PAGE_SIZE,
    )
    .await?;
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let counts = store::events::counts(pool, &ids).await?;
    let mine = store::rsvps::mine(pool, &ids, call.ctx.caller.user_id).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);

    let mut lines = Vec::new();
    for event in &events {
        let count = counts
            .iter()
            .find(|(id, _)| *id == event.id)
            .map(|(_, c)| *c)
            .unwrap_or_default();
        let mut title = escape_markdown(&event.title);
        // One tap from the agenda to the card, where the conversation is.
        if let (Some(channel), Some(message)) = (event.card_channel_id, event.card_message_id) {
            title = format!(
                "[{title}](https://discord.com/channels/{}/{channel}/{message})",
                event.guild_id
            );
        }
        let mut line = if event.cancelled {
            call.t("agenda-line-cancelled", &[("title", arg(title))])
        } else {
            format!("**{title}**")
        };
        line.push_str(&format!(
            "\n{} ({})",
            timestamp(event.starts_at, 'F'),
            timestamp(event.starts_at, 'R')
        ));
        if let Some(location) = &event.location {
            line.push_str(&format!(" · 📍 {}", unmask_links(location)));
        }
        line.push_str(&format!(" · 👥 {}", seats_text(event, &count, call.lang)));
        if let Some(role) = event.restricted_role {
            // A role mention in an embed shows the role's name, never pings.
            line.push_str(&format!(" · 🔒 {} <@&{role}>", call.t("card-restricted", &[])));
        }
        if let Some((_, status, position)) = mine.iter().find(|(id, _, _)| *id == event.id) {
            line.push_str(&format!(
                " · {}",
                status_text(&call.state.i18n, call.lang, *status, *position)
            ));
        }
        lines.push(line);
    }
    let description = if lines.is_empty() {
        call.t("agenda-empty", &[])
    } else {
        lines.join("\n\n")
    };
    let period_key = match period {
        Period::Week => "agenda-title-week",
        Period::Month => "agenda-title-month",
        Period::All => "agenda-title-all",
    };
    let mut rows = Vec::new();
    if pages > 1 {
        let nav = |label: &str, target: u32, disabled: bool| Button {
            label: label.into(),
            custom_id: ComponentId::AgendaPage { period, page: target }.encode(),
            style: ButtonStyle::Secondary,
            disabled,
        };
        let last = (pages - 1) as u32;
        rows.push(vec![
            nav("◀", page.saturating_sub(1), page == 0),
            nav("▶", (page + 1).min(last), page >= last),
        ]);
    }
    Ok(Message {
        embeds: vec![Embed {
            title: Some(call.t(period_key, &[])),
            description: Some(description),
            footer: Some(call.t(
                "agenda-footer",
                &[
                    ("page", num(i64::from(page) + 1)),
                    ("pages", num(pages)),
                    ("total", num(total)),
                ],
            )),
            colour: Some(0x2b_6c_b0),
            ..Default::default()
        }],
        rows,
        select: answer_menu(call, &events),
        private: true,
        ..Default::default()
    })
}

/// "Answer for…": each answer to each event of the page that still takes
/// one, a tap away. An option stands for the card's button (its value is
/// the button's id), so picking it answers exactly like the card.
fn answer_menu(call: &Call<'_>, events: &[Event]) -> Option<Select> {
    let now = call.now();
    let cut = |text: String| text.chars().take(100).collect::<String>();
    let mut options = Vec::new();
    for event in events.iter().filter(|e| e.takes_withdrawals(now)) {
        // Reserved to a role the caller lacks: the card says so, the menu
        // offers nothing that would only be refused.
        let barred = event
            .restricted_role
            .is_some_and(|role| !call.ctx.caller.roles.contains(&role) && !call.is_organizer());
        if barred {
            continue;
        }
        let title: String = event.title.chars().take(60).collect();
        let date = when::describe(event.starts_at, call.settings.timezone, call.lang);
        for (choice, key) in [
            (RsvpChoice::Going, "button-going"),
            (RsvpChoice::Maybe, "button-maybe"),
            (RsvpChoice::Declined, "button-declined"),
        ] {
            if choice == RsvpChoice::Going && !event.takes_answers(now) {
                continue;
            }
            options.push(SelectOption {
                label: cut(format!("{} · {title}", call.t(key, &[]))),
                value: ComponentId::Rsvp {
                    event_id: event.id,
                    choice,
                }
                .encode(),
                description: Some(cut(date.clone())),
            });
        }
    }
    (!options.is_empty()).then(|| Select {
        custom_id: ANSWER_MENU.into(),
        placeholder: call.t("agenda-answer-for", &[]),
        options,
    })
}
