//! A date poll's card (embed and ✅ / 🤷 buttons) and the texts that show a
//! poll's answers.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use super::timestamp;
use crate::domain::custom_id::ComponentId;
use crate::domain::format::escape_markdown;
use crate::domain::poll::Poll;
use crate::domain::poll::{leading, Answer, Tally, BUTTONS_PER_ROW};
use crate::domain::when;
use crate::domain::Lang;
use crate::i18n::I18n;
use crate::i18n::{arg, num};
use crate::reply::{Button, ButtonStyle, Embed, Field, Message};

/// A date as short as a button label allows and a thumb needs: "jeu. 3/12
/// 18h30", "Thu 3/12 18:30" (day first in both languages, as the dates
/// members type), in the server's time zone.
pub fn short_date(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    let day: String = when::weekday_name(local.weekday(), lang)
        .chars()
        .take(3)
        .collect();
    let (d, m) = (local.day(), local.month());
    match lang {
        Lang::Fr if local.minute() == 0 => format!("{day}. {d}/{m} {}h", local.hour()),
        Lang::Fr => format!("{day}. {d}/{m} {}h{:02}", local.hour(), local.minute()),
        Lang::En => format!("{day} {d}/{m} {}", local.format("%H:%M")),
    }
}

/// "✅ 3 yes · 🤷 1 if need be".
pub fn tally_text(i18n: &I18n, lang: Lang, tally: Tally) -> String {
    i18n.t(
        lang,
        "poll-tally",
        &[("yes", num(tally.yes)), ("maybe", num(tally.if_need_be))],
    )
}

/// The mark before a date: ✔ the chosen one of a closed poll, ★ the
/// leading one of an open poll.
fn mark(poll: &Poll, leader: Option<usize>, i: usize) -> &'static str {
    match (poll.closed_at.is_some(), poll.chosen, leader) {
        (true, Some(c), _) if c == i => "✔ ",
        (false, _, Some(l)) if l == i => "★ ",
        _ => "",
    }
}

/// One field per date: its number, short date and mark; its local time for
/// each reader and, in `values`, what was answered.
fn date_fields(lang: Lang, tz: Tz, poll: &Poll, tallies: &[Tally], values: &[String]) -> Vec<Field> {
    let leader = leading(tallies);
    poll.dates
        .iter()
        .enumerate()
        .map(|(i, date)| Field {
            name: format!(
                "{}{}. {}",
                mark(poll, leader, i),
                i + 1,
                short_date(date.starts_at, tz, lang)
            ),
            value: format!(
                "{}\n{}",
                timestamp(date.starts_at, 'F'),
                values.get(i).cloned().unwrap_or_default()
            ),
            inline: false,
        })
        .collect()
}

/// What the card and `/poll show` say about the poll's state.
fn state_text(i18n: &I18n, lang: Lang, poll: &Poll) -> String {
    match (poll.closed_at, poll.chosen.and_then(|c| poll.dates.get(c))) {
        (None, _) => {
            let mut text = i18n.t(lang, "poll-card-how", &[]);
            if let Some(deadline) = poll.deadline {
                text.push('\n');
                text.push_str(&i18n.t(
                    lang,
                    "poll-card-deadline",
                    &[("when", arg(timestamp(deadline, 'f')))],
                ));
            }
            text
        }
        (Some(_), Some(date)) => i18n.t(
            lang,
            "poll-card-chosen",
            &[("when", arg(timestamp(date.starts_at, 'F')))],
        ),
        (Some(_), None) => i18n.t(lang, "poll-card-no-event", &[]),
    }
}

fn embed(i18n: &I18n, lang: Lang, poll: &Poll, fields: Vec<Field>) -> Embed {
    let mut description = poll.description.clone().unwrap_or_default();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&state_text(i18n, lang, poll));
    Embed {
        title: Some(i18n.t(lang, "poll-card-title", &[("title", arg(poll.title.clone()))])),
        description: Some(description),
        fields,
        footer: Some(i18n.t(lang, "poll-card-footer", &[("id", arg(poll.id.to_string()))])),
        colour: Some(if poll.closed_at.is_some() {
            0x80_80_80
        } else {
            0x8e_44_ad
        }),
        ..Default::default()
    }
}

/// The card everyone sees, in the server's language: per date the counts
/// and two buttons, ✅ and 🤷, labelled with the short date. Each date's
/// pair sits side by side, two dates a row (ten dates, five rows). A
/// closed poll keeps its counts and greys its buttons.
pub fn poll_card(i18n: &I18n, lang: Lang, tz: Tz, poll: &Poll, tallies: &[Tally]) -> Message {
    let values: Vec<String> = tallies.iter().map(|t| tally_text(i18n, lang, *t)).collect();
    let fields = date_fields(lang, tz, poll, tallies, &values);
    let closed = poll.closed_at.is_some();
    let buttons: Vec<Button> = poll
        .dates
        .iter()
        .enumerate()
        .flat_map(|(i, date)| {
            let label = short_date(date.starts_at, tz, lang);
            [
                (Answer::Yes, ButtonStyle::Success),
                (Answer::IfNeedBe, ButtonStyle::Secondary),
            ]
            .map(|(answer, style)| Button {
                label: format!("{} {label}", answer.emoji()),
                custom_id: ComponentId::PollAnswer {
                    poll_id: poll.id,
                    position: i as u8,
                    answer,
                }
                .encode(),
                style,
                disabled: closed,
            })
        })
        .collect();
    Message {
        embeds: vec![embed(i18n, lang, poll, fields)],
        rows: buttons.chunks(BUTTONS_PER_ROW).map(<[Button]>::to_vec).collect(),
        ..Default::default()
    }
}

/// Up to Discord's 1,024 characters of names, then "… and N more".
fn names(i18n: &I18n, lang: Lang, list: &[String]) -> String {
    let mut out = String::new();
    for (i, name) in list.iter().enumerate() {
        let more = i18n.t(lang, "list-and-more", &[("count", num((list.len() - i) as i64))]);
        if out.chars().count() + name.chars().count() + more.chars().count() + 3 > 1_000 {
            out.push(' ');
            out.push_str(&more);
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
    }
    out
}

/// `/poll show`: the card's counts for everyone, with under each date the
/// names of who answered for organizers (`answers`: position, answer,
/// name), and the caller's own answers.
pub fn poll_details(
    i18n: &I18n,
    lang: Lang,
    tz: Tz,
    poll: &Poll,
    tallies: &[Tally],
    answers: Option<&[(usize, Answer, String)]>,
    mine: &[Option<Answer>],
) -> Message {
    let values: Vec<String> = tallies
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut value = tally_text(i18n, lang, *t);
            if let Some(answers) = answers {
                for answer in [Answer::Yes, Answer::IfNeedBe] {
                    let who: Vec<String> = answers
                        .iter()
                        .filter(|(p, a, _)| *p == i && *a == answer)
                        .map(|(_, _, name)| escape_markdown(name))
                        .collect();
                    if !who.is_empty() {
                        value.push_str(&format!("\n{} {}", answer.emoji(), names(i18n, lang, &who)));
                    }
                }
            }
            value
        })
        .collect();
    let mut fields = date_fields(lang, tz, poll, tallies, &values);
    fields.push(Field {
        name: i18n.t(lang, "card-yours", &[]),
        value: my_answers(i18n, lang, tz, poll, mine),
        inline: false,
    });
    Message {
        embeds: vec![embed(i18n, lang, poll, fields)],
        private: true,
        ..Default::default()
    }
}

/// One line per date: "✅ jeu. 3/12 18h30 — oui".
pub fn my_answers(i18n: &I18n, lang: Lang, tz: Tz, poll: &Poll, mine: &[Option<Answer>]) -> String {
    poll.dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let (emoji, key) = match mine.get(i).copied().flatten() {
                Some(Answer::Yes) => ("✅", "poll-answer-yes"),
                Some(Answer::IfNeedBe) => ("🤷", "poll-answer-if-need-be"),
                None => ("✖️", "poll-answer-no"),
            };
            format!(
                "{emoji} {} — {}",
                short_date(date.starts_at, tz, lang),
                i18n.t(lang, key, &[])
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A closed poll's result, for a tap that came too late: "closed", the
/// chosen date, the counts per date.
pub fn closed_text(i18n: &I18n, lang: Lang, tz: Tz, poll: &Poll, tallies: &[Tally]) -> String {
    let mut lines = vec![
        i18n.t(lang, "error-poll-closed", &[]),
        state_text(i18n, lang, poll),
    ];
    for (i, (date, tally)) in poll.dates.iter().zip(tallies).enumerate() {
        lines.push(format!(
            "{}{}. {} — {}",
            mark(poll, None, i),
            i + 1,
            short_date(date.starts_at, tz, lang),
            tally_text(i18n, lang, *tally)
        ));
    }
    lines.join("\n")
}
