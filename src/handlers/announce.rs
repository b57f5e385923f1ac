//! `/announce`: a form, then an announcement embed posted now or later.

use chrono::{DateTime, Utc};

use super::{fields, Call, Options};
use crate::domain::custom_id::ComponentId;
use crate::domain::format::escape_markdown;
use crate::domain::limits::{ANNOUNCE_MESSAGE_MAX, ANNOUNCE_TITLE_MAX};
use crate::error::{AppError, AppResult};
use crate::i18n::arg;
use crate::reply::{Body, Effect, Embed, Message, Modal, Reply, TextInput};
use crate::store::announce_forms::{self, AnnounceForm};
use crate::store::announcements::{self, Announcement};
use crate::views::timestamp;

pub async fn open_form(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_organizer()?;
    if let Some(id) = options.str("cancel") {
        return cancel_pending(call, id).await;
    }
    if options.bool("pending") == Some(true) {
        return list_pending(call).await;
    }
    let channel_id = options
        .channel("channel")
        .or(call.settings.announce_channel)
        .unwrap_or(call.ctx.channel_id);
    let event_id = match options.str("event") {
        Some(text) => Some(call.event(text).await?.id),
        None => None,
    };
    let post_at = match options.str("at") {
        Some(text) => Some(fields::future_date(call, text)?.timestamp()),
        None => None,
    };
    let form = AnnounceForm {
        channel_id,
        event_id,
        ping_role: options.role("ping"),
        post_at,
    };
    check_server(call, &form)?;
    let token = announce_forms::open(
        call.pool(),
        call.ctx.guild_id,
        call.ctx.caller.user_id,
        &form,
        call.now(),
    )
    .await?;
    let input = |id: &str, max: usize, paragraph: bool| TextInput {
        custom_id: id.into(),
        label: call.t(&format!("announce-label-{id}"), &[]),
        paragraph,
        required: true,
        min_length: Some(1),
        max_length: max as u16,
        value: None,
        placeholder: None,
    };
    Ok(Reply {
        body: Body::Modal(Modal {
            custom_id: ComponentId::AnnounceForm { token }.encode(),
            title: call.t("announce-form-title", &[]),
            inputs: vec![
                input("title", ANNOUNCE_TITLE_MAX, false),
                input("message", ANNOUNCE_MESSAGE_MAX, true),
            ],
        }),
        effects: Vec::new(),
    })
}

/// Refuses a channel or role that belongs to another server. The directory
/// knows every server the bot is in (the only ones it could post to); what
/// it does not know is checked again with Discord when posting.
fn check_server(call: &Call<'_>, form: &AnnounceForm) -> AppResult<()> {
    let directory = &call.state.directory;
    let here = call.ctx.guild_id;
    let foreign_channel = directory
        .channel_guild(form.channel_id)
        .is_some_and(|guild| guild != here);
    let foreign_role = form
        .ping_role
        .and_then(|role| directory.role_guild(role))
        .is_some_and(|guild| guild != here);
    if form.channel_id == 0 || form.ping_role == Some(0) || foreign_channel || foreign_role {
        tracing::warn!(?form, "announcement aimed outside the server; refused");
        return Err(AppError::user("error-announce-elsewhere"));
    }
    Ok(())
}

pub async fn submit(call: &Call<'_>, token: &str, fields: &[(String, String)]) -> AppResult<Reply> {
    // The form's id came back from the client: only its token is used, and
    // the options it names are checked again.
    call.require_organizer()?;
    let Some(AnnounceForm {
        channel_id,
        event_id,
        ping_role,
        post_at,
    }) = announce_forms::get(
        call.pool(),
        token,
        call.ctx.guild_id,
        call.ctx.caller.user_id,
        call.now(),
    )
    .await?
    else {
        return Err(AppError::user("error-announce-form-expired"));
    };
    check_server(
        call,
        &AnnounceForm {
            channel_id,
            event_id,
            ping_role,
            post_at,
        },
    )?;
    let form = fields;
    let get = |id: &str| form.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str());
    let title = fields::required_text(call, get("title"), "announce-label-title", ANNOUNCE_TITLE_MAX)?;
    let message = fields::text(
        call,
        get("message"),
        "announce-label-message",
        ANNOUNCE_MESSAGE_MAX,
        true,
    )?
    .ok_or_else(|| {
        AppError::user_with(
            "error-required",
            vec![("field", arg(call.t("announce-label-message", &[])))],
        )
    })?;
    // Announcing a cancelled event may be on purpose (to spread the news),
    // but the organizer is told its buttons are off.
    let cancelled_event = match event_id {
        Some(id) => Some(call.event_by_id(id).await?).filter(|e| e.cancelled),
        None => None,
    };
    let post_at: Option<DateTime<Utc>> = post_at.and_then(|ts| DateTime::from_timestamp(ts, 0));
    if post_at.is_some_and(|at| at <= call.now()) {
        return Err(AppError::user("error-announce-too-late"));
    }
    if !announce_forms::close(call.pool(), token).await? {
        // Submitted twice at once: the first one posts.
        return Err(AppError::user("error-announce-form-expired"));
    }
    let announcement = Announcement {
        id: 0,
        guild_id: call.ctx.guild_id,
        channel_id,
        author_id: call.ctx.caller.user_id,
        title,
        message,
        event_id,
        ping_role,
        post_at,
    };
    let id = announcements::insert(call.pool(), &announcement, call.now()).await?;
    let channel = arg(format!("<#{channel_id}>"));
    let mut text = match post_at {
        Some(at) => call.t(
            "announce-scheduled",
            &[("channel", channel), ("when", arg(timestamp(at, 'F')))],
        ),
        None => call.t("announce-posted", &[("channel", channel)]),
    };
    if let Some(event) = cancelled_event {
        text.push('\n');
        text.push_str(&call.t("announce-event-cancelled", &[("title", arg(event.title))]));
    }
    let reply = Reply::private_text(text);
    Ok(match post_at {
        Some(_) => reply,
        None => reply.with_effects([Effect::PublishAnnouncement { announcement_id: id }]),
    })
}

/// The scheduled announcements of this server, soonest first.
async fn list_pending(call: &Call<'_>) -> AppResult<Reply> {
    let pending = announcements::pending(call.pool(), call.ctx.guild_id).await?;
    if pending.is_empty() {
        return Ok(Reply::private_text(call.t("announce-none-pending", &[])));
    }
    let lines: Vec<String> = pending
        .iter()
        .map(|a| {
            let when = a.post_at.map(|at| timestamp(at, 'F')).unwrap_or_default();
            let number = call.t("announce-pending-number", &[("id", arg(a.id.to_string()))]);
            format!(
                "**{}** — {when} → <#{}> ({number})",
                escape_markdown(&a.title),
                a.channel_id
            )
        })
        .collect();
    Ok(Reply::message(Message {
        embeds: vec![Embed {
            title: Some(call.t("announce-pending-title", &[])),
            description: Some(lines.join("\n")),
            footer: Some(call.t("announce-pending-footer", &[])),
            ..Default::default()
        }],
        private: true,
        ..Default::default()
    }))
}

async fn cancel_pending(call: &Call<'_>, text: &str) -> AppResult<Reply> {
    let id = text.trim().trim_start_matches("n°").trim().parse::<i64>().ok();
    let cancelled = match id {
        Some(id) => announcements::cancel(call.pool(), call.ctx.guild_id, id).await?,
        None => None,
    };
    match cancelled {
        Some(title) => Ok(Reply::private_text(
            call.t("announce-cancelled", &[("title", arg(title))]),
        )),
        None => Err(AppError::user("error-unknown-announcement")),
    }
}
