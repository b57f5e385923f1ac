//! `/event create|show|attendees` (`edit` and `cancel` are in `event_change`,
//! `check-in` in `rsvp`).

use chrono::Duration;

use super::{fields, Call, Options};
use crate::domain::event::{Counts, Event, EventFields};
use crate::domain::export::{attendees_csv, AttendeeRow};
use crate::domain::format::escape_markdown;
use crate::domain::limits::*;
use crate::domain::rsvp::RsvpStatus;
use crate::domain::when;
use crate::error::{AppError, AppResult};
use crate::i18n::{arg, num};
use crate::reply::{Attachment, Effect, Embed, Field, Message, Reply};
use crate::store::{self, rsvps};
use crate::views::card::{event_card, seats_text, status_text};
use crate::views::timestamp;

fn duration(text: &str) -> AppResult<Duration> {
    when::parse_duration(text)
        .filter(|d| *d > Duration::zero() && *d <= Duration::minutes(DURATION_MAX_MINUTES))
        .ok_or_else(|| {
            AppError::user_with(
                "error-bad-duration",
                vec![("text", arg(text.chars().take(40).collect::<String>()))],
            )
        })
}

/// `when` was a range whose length `said` differs from the `duration` option.
fn duration_conflict(when: &str, said: Duration, text: &str) -> AppError {
    AppError::user_with(
        "error-duration-conflict",
        vec![
            ("when", arg(when.chars().take(60).collect::<String>())),
            ("range", arg(when::format_offsets(&[said]))),
            ("duration", arg(text.chars().take(40).collect::<String>())),
        ],
    )
}

fn repeat(options: &Options) -> AppResult<Option<String>> {
    match options.str("repeat") {
        None => Ok(None),
        Some(r @ ("weekly" | "biweekly" | "monthly")) => Ok(Some(r.to_owned())),
        Some(_) => Err(AppError::user("error-bad-invocation")),
    }
}

/// Reads the fields an organizer may set, over `base` (the event being
/// edited) or from scratch.
pub(super) fn read_fields(
    call: &Call<'_>,
    options: &Options,
    base: Option<&Event>,
) -> AppResult<EventFields> {
    let title = match (
        fields::text(call, options.str("title"), "field-title", TITLE_MAX, false)?,
        base,
    ) {
        (Some(t), _) => t,
        (None, Some(e)) => e.title.clone(),
        (None, None) => {
            return Err(AppError::user_with(
                "error-required",
                vec![("field", arg(call.t("field-title", &[])))],
            ))
        }
    };
    let (starts_at, said_length) = match (options.str("when"), base) {
        (Some(text), _) => {
            let span = fields::future_span(call, text)?;
            (span.start, span.duration)
        }
        (None, Some(e)) => (e.starts_at, None),
        (None, None) => {
            return Err(AppError::user_with(
                "error-required",
                vec![("field", arg(call.t("field-when", &[])))],
            ))
        }
    };
    // A range in `when` ("18h-20h") sets the length; a `duration` saying the same
    // is fine, one saying otherwise is refused rather than one silently winning.
    let length = match (options.str("duration"), said_length, base) {
        (Some(text), Some(said), _) if duration(text)? != said => {
            let when = options.str("when").unwrap_or_default();
            return Err(duration_conflict(when, said, text));
        }
        (_, Some(said), _) => said,
        (Some(text), None, _) => duration(text)?,
        (None, None, Some(e)) => e.ends_at - e.starts_at,
        (None, None, None) => Duration::minutes(crate::domain::event::DEFAULT_DURATION_MINUTES),
    };
    let location = match options.str("location") {
        Some(_) => fields::text(
            call,
            options.str("location"),
            "field-location",
            LOCATION_MAX,
            false,
        )?,
        None => base.and_then(|e| e.location.clone()),
    };
    let description = match options.str("description") {
        Some(_) => fields::text(
            call,
            options.str("description"),
            "field-description",
            DESCRIPTION_MAX,
            true,
        )?,
        None => base.and_then(|e| e.description.clone()),
    };
    // When editing, 0 takes the limit away (back to unlimited): an option
    // left out keeps the current capacity, so removing one needs a value.
    let min = if base.is_some() { 0 } else { CAPACITY_MIN };
    let capacity = match fields::int_in(call, options, "capacity", "field-capacity", min, CAPACITY_MAX)? {
        Some(0) => None,
        Some(c) => Some(c),
        None => base.and_then(|e| e.capacity),
    };
    let rsvp_deadline = match options.str("deadline") {
        Some(text) => Some(fields::future_date(call, text)?),
        None => base.and_then(|e| e.rsvp_deadline),
    };
    if rsvp_deadline.is_some_and(|d| d > starts_at) {
        return Err(AppError::user("error-deadline-after-start"));
    }
    Ok(EventFields {
        title,
        description,
        location,
        starts_at,
        ends_at: starts_at + length,
        capacity,
        rsvp_deadline,
        restricted_role: options
            .role("restricted_to")
            .or(base.and_then(|e| e.restricted_role)),
        channel_id: options.channel("channel").or(base.and_then(|e| e.channel_id)),
        repeat: base.map_or_else(|| repeat(options), |e| Ok(e.repeat.clone()))?,
    })
}

pub(super) async fn create(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_event_creator()?;
    let template = super::event_from::template(call, options).await?;
    let mut fields = read_fields(call, options, template.as_ref())?;
    if template.is_some() {
        // A template's own repetition was left behind; the option decides.
        fields.repeat = repeat(options)?;
    }
    // The card goes to the chosen channel, else the agenda channel, else here.
    let channel = fields
        .channel_id
        .or(call.settings.agenda_channel)
        .unwrap_or(call.ctx.channel_id);
    fields.channel_id = Some(channel);
    let ids = store::series::insert_series(
        call.pool(),
        call.ctx.guild_id,
        call.settings.timezone,
        &fields,
        &call.settings.reminder_offsets,
        call.ctx.caller.user_id,
        call.now(),
    )
    .await?;
    let first = fields.starts_at;
    let mut text = call.t(
        "event-created",
        &[
            ("title", arg(fields.title.clone())),
            ("when", arg(timestamp(first, 'F'))),
            ("channel", arg(format!("<#{channel}>"))),
        ],
    );
    if ids.len() > 1 {
        text.push('\n');
        text.push_str(&call.t("event-series-created", &[("count", num(ids.len() as i64))]));
    }
    Ok(Reply::private_text(text).with_effects(Effect::for_new_events(call.settings.mirror_events, ids)))
}

pub(super) async fn show(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let event = call.event(options.str("event").unwrap_or_default()).await?;
    let counts = store::events::counts_one(call.pool(), event.id).await?;
    let mine = rsvps::mine(call.pool(), &[event.id], call.ctx.caller.user_id)
        .await?
        .into_iter()
        .next()
        .map(|(_, status, position)| (status, position));
    let mut card = event_card(
        &call.state.i18n,
        call.lang,
        call.settings.timezone,
        &event,
        &counts,
        call.now(),
        mine,
    );
    // A member without the event's role sees it, but its buttons would only
    // answer "reserved": show them off, as the card's "Reserved for" says.
    let barred = event
        .restricted_role
        .is_some_and(|role| !call.ctx.caller.roles.contains(&role) && !call.is_organizer());
    if barred {
        for button in card.rows.iter_mut().flatten() {
            button.disabled = true;
        }
    }
    Ok(Reply::message(card.private()))
}

/// The characters of a field's value Discord shows (it allows 1,024).
const LIST_CHARS: usize = 1_000;

/// Joins the first of `total` names into a field value within Discord's
/// 1,024 characters, ending with "… and N more" when they do not all fit.
/// `lines` may hold only the head of the list: a line is at least a name,
/// and all but the first follow a line break, so once the names read and
/// one break each pass `LIST_CHARS + 1` characters
/// ([`rsvps::attendees::heads`]) the field is full before the next name.
fn name_list(call: &Call<'_>, lines: &[String], total: usize) -> String {
    if total == 0 {
        return "—".into();
    }
    let mut out = String::new();
    let mut used = 0;
    for i in 0..total {
        let more = call.t("list-and-more", &[("count", num((total - i) as i64))]);
        let fits = lines
            .get(i)
            .filter(|name| used + name.chars().count() + more.chars().count() + 2 <= LIST_CHARS);
        let Some(name) = fits else {
            out.push_str(&more);
            break;
        };
        if !out.is_empty() {
            out.push('\n');
            used += 1;
        }
        out.push_str(name);
        used += name.chars().count();
    }
    out
}

/// How a member appears in the list: waitlist place, guests, checked in,
/// and for organizers the note they left. Names and notes are typed by
/// members: shown as text, never as formatting.
fn attendee_line(r: &rsvps::Rsvp, with_note: bool) -> String {
    let name = escape_markdown(&r.user_name);
    let mut line = match r.waitlist_position {
        Some(p) => format!("{p}. {name}"),
        None => name,
    };
    if r.guests > 0 {
        line.push_str(&format!(" (+{})", r.guests));
    }
    if r.checked_in_at.is_some() {
        line.push_str(" ✔");
    }
    if let Some(note) = r.note.as_deref().filter(|n| with_note && !n.trim().is_empty()) {
        line.push_str(&format!(" — « {} »", escape_markdown(note.trim())));
    }
    line
}

/// Members read only the heads of the lists and their sizes; organizers,
/// whose CSV lists everyone, read every answer once and count from it.
pub(super) async fn attendees(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let event = call.event(options.str("event").unwrap_or_default()).await?;
    let organizer = call.is_organizer();
    let (list, counts) = if organizer {
        let list = rsvps::attendees::all(call.pool(), event.id).await?;
        let counts = counts_of(&list);
        (list, counts)
    } else {
        let counts = store::events::counts_one(call.pool(), event.id).await?;
        let heads = rsvps::attendees::heads(call.pool(), event.id, LIST_CHARS + 1).await?;
        (heads, counts)
    };
    let field = |key: &str, status: RsvpStatus, total: i64| {
        let lines: Vec<String> = list
            .iter()
            .filter(|r| r.status == status)
            .map(|r| attendee_line(r, organizer))
            .collect();
        Field {
            name: call.t(key, &[("count", num(total))]),
            value: name_list(call, &lines, total.max(0) as usize),
            inline: false,
        }
    };
    let mut message = Message {
        embeds: vec![Embed {
            title: Some(call.t("attendees-title", &[("title", arg(event.title.clone()))])),
            description: Some(call.t(
                "attendees-summary",
                &[
                    ("seats", arg(seats_text(&event, &counts, call.lang))),
                    ("when", arg(timestamp(event.starts_at, 'F'))),
                ],
            )),
            fields: vec![
                field("attendees-going", RsvpStatus::Going, counts.going_members),
                field("attendees-maybe", RsvpStatus::Maybe, counts.maybe),
                field("attendees-waitlist", RsvpStatus::Waitlisted, counts.waitlisted),
            ],
            ..Default::default()
        }],
        private: true,
        ..Default::default()
    };
    if organizer {
        // Organizers plan with who cannot come too (members see only counts
        // of those who come).
        let declined = list.iter().filter(|r| r.status == RsvpStatus::Declined).count() as i64;
        message.embeds[0]
            .fields
            .push(field("attendees-declined", RsvpStatus::Declined, declined));
        // Who came without answering: only organizers read every answer.
        let walk_ins = list.iter().filter(|r| r.status == RsvpStatus::WalkIn).count() as i64;
        if walk_ins > 0 {
            let walk_ins = field("attendees-walk-ins", RsvpStatus::WalkIn, walk_ins);
            message.embeds[0].fields.push(walk_ins);
        }
        message.attachments.push(Attachment {
            filename: format!(
                "{}.csv",
                call.t("attendees-file-name", &[("id", arg(event.id.to_string()))])
            ),
            content_type: "text/csv; charset=utf-8".into(),
            bytes: attendees_file(call, list).into_bytes(),
        });
    }
    Ok(Reply::message(message))
}

/// The figures [`store::events::counts_one`] gives, from every answer.
fn counts_of(list: &[rsvps::Rsvp]) -> Counts {
    let mut counts = Counts::default();
    for r in list {
        match r.status {
            RsvpStatus::Going => {
                counts.going_members += 1;
                counts.going_seats += 1 + r.guests;
            }
            RsvpStatus::Maybe => counts.maybe += 1,
            RsvpStatus::Waitlisted => counts.waitlisted += 1,
            RsvpStatus::Declined | RsvpStatus::WalkIn => {}
        }
        counts.checked_in += i64::from(r.checked_in_at.is_some());
    }
    counts
}

/// The organizers' CSV of everyone. The status words are translated once,
/// not per row; only waitlist places differ from row to row.
fn attendees_file(call: &Call<'_>, list: Vec<rsvps::Rsvp>) -> String {
    let headers = [
        "csv-name",
        "csv-user-id",
        "csv-status",
        "csv-guests",
        "csv-waitlist",
        "csv-note",
        "csv-responded",
        "csv-checked-in",
    ]
    .map(|k| call.t(k, &[]));
    let header_refs: [&str; 8] = std::array::from_fn(|i| headers[i].as_str());
    let word = |status| status_text(&call.state.i18n, call.lang, status, None);
    let [going, maybe, declined] = [RsvpStatus::Going, RsvpStatus::Maybe, RsvpStatus::Declined].map(word);
    let rows: Vec<AttendeeRow> = list
        .into_iter()
        .map(|r| AttendeeRow {
            status: match r.status {
                RsvpStatus::Going => going.clone(),
                RsvpStatus::Maybe => maybe.clone(),
                RsvpStatus::Declined => declined.clone(),
                RsvpStatus::WalkIn => status_text(&call.state.i18n, call.lang, r.status, None),
                RsvpStatus::Waitlisted => {
                    status_text(&call.state.i18n, call.lang, r.status, r.waitlist_position)
                }
            },
            name: r.user_name,
            user_id: r.user_id,
            guests: r.guests,
            waitlist_position: r.waitlist_position,
            note: r.note,
            responded_at: r.responded_at,
            checked_in_at: r.checked_in_at,
        })
        .collect();
    attendees_csv(&header_refs, &rows)
}
