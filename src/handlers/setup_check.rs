//! `/setup check`: what the bot can and cannot do in each configured
//! channel and feature, in plain words, with the fix for each gap.

use super::Call;
use crate::access::{bits, BotAccess};
use crate::error::AppResult;
use crate::i18n::arg;
use crate::reply::{Embed, Field, Message, Reply};

/// What a feature needs: (permission bit, i18n key of the ability).
const POSTS_CARDS: &[(u64, &str)] = &[
    (bits::VIEW_CHANNEL, "check-view"),
    (bits::SEND_MESSAGES, "check-send"),
    (bits::EMBED_LINKS, "check-embed"),
];
/// Introductions, plus pinning the *Introduce yourself* button there.
const INTRODUCTIONS: &[(u64, &str)] = &[
    (bits::VIEW_CHANNEL, "check-view"),
    (bits::SEND_MESSAGES, "check-send"),
    (bits::EMBED_LINKS, "check-embed"),
    (bits::PIN_MESSAGES, "check-pin"),
];
/// A thread on each card (`/setup threads`), in the channel cards go to.
pub const THREADS: &[(u64, &str)] = &[
    (bits::CREATE_PUBLIC_THREADS, "check-threads-create"),
    (bits::SEND_MESSAGES_IN_THREADS, "check-threads-send"),
];
/// Files in answers (reports, CSV lists, calendars), checked in the agenda
/// channel, where members use the bot.
const FILES: &[(u64, &str)] = &[(bits::ATTACH_FILES, "check-attach")];

pub async fn run(call: &Call<'_>) -> AppResult<Reply> {
    let s = &call.settings;
    // Cards go to the current channel while no agenda channel is set.
    let cards = s.agenda_channel.unwrap_or(call.ctx.channel_id);
    let channels: Vec<u64> = [Some(cards), s.intro_channel, s.announce_channel]
        .into_iter()
        .flatten()
        .collect();
    let access = match &call.state.access {
        Some(probe) => probe.bot_access(call.ctx.guild_id, &channels).await?,
        // No front-end to ask: nothing can be said, rather than guess.
        None => return Ok(Reply::private_text(call.t("check-unavailable", &[]))),
    };
    Ok(render(call, &access))
}

/// The check's answer for `access` (public for the handler tests).
pub fn render(call: &Call<'_>, access: &BotAccess) -> Reply {
    let s = &call.settings;
    let mut fields = vec![
        channel_field(
            call,
            access,
            "setup-agenda-channel",
            s.agenda_channel,
            POSTS_CARDS,
        ),
        channel_field(
            call,
            access,
            "setup-intro-channel",
            s.intro_channel,
            INTRODUCTIONS,
        ),
        channel_field(
            call,
            access,
            "setup-announce-channel",
            s.announce_channel,
            POSTS_CARDS,
        ),
    ];
    let mirror = if !s.mirror_events {
        call.t("setup-off", &[])
    } else if access.server & bits::CREATE_EVENTS != 0 {
        call.t("check-all-good", &[])
    } else {
        format!(
            "{}\n{}",
            call.t(
                "check-cannot",
                &[("what", arg(call.t("check-create-events", &[])))]
            ),
            call.t(
                "check-fix-server",
                &[("permissions", arg(call.t("perm-create-events", &[])))]
            )
        )
    };
    fields.push(Field {
        name: call.t("setup-mirror", &[]),
        value: mirror,
        inline: false,
    });
    let cards = s.agenda_channel.unwrap_or(call.ctx.channel_id);
    let threads = if s.threads {
        feature_value(call, access, cards, THREADS)
    } else {
        call.t("setup-off", &[])
    };
    fields.push(Field {
        name: call.t("setup-threads", &[]),
        value: threads,
        inline: false,
    });
    fields.push(Field {
        name: call.t("check-files", &[]),
        value: feature_value(call, access, cards, FILES),
        inline: false,
    });
    Reply::message(Message {
        embeds: vec![Embed {
            title: Some(call.t("check-title", &[])),
            description: Some(call.t("check-intro", &[])),
            fields,
            ..Default::default()
        }],
        private: true,
        ..Default::default()
    })
}

fn channel_field(
    call: &Call<'_>,
    access: &BotAccess,
    name: &str,
    channel: Option<u64>,
    needs: &[(u64, &str)],
) -> Field {
    let value = match channel {
        None => call.t("check-not-set", &[]),
        Some(channel) => feature_value(call, access, channel, needs),
    };
    Field {
        name: call.t(name, &[]),
        value,
        inline: false,
    }
}

/// "<#channel>: all good", or what cannot be done there and the fix.
fn feature_value(call: &Call<'_>, access: &BotAccess, channel: u64, needs: &[(u64, &str)]) -> String {
    let place = format!("<#{channel}>");
    match missing_in_channel(call, access, channel, needs) {
        None => format!("{place}: {}", call.t("check-all-good", &[])),
        Some(missing) => format!("{place}: {missing}"),
    }
}

/// What the bot cannot do in `channel` of what `needs` lists, in plain
/// words with the fix; `None` when it may do it all.
pub fn missing_in_channel(
    call: &Call<'_>,
    access: &BotAccess,
    channel: u64,
    needs: &[(u64, &str)],
) -> Option<String> {
    let have = access.in_channel(channel);
    let missing: Vec<&(u64, &str)> = needs.iter().filter(|(bit, _)| have & bit == 0).collect();
    if missing.is_empty() {
        return None;
    }
    let what: Vec<String> = missing.iter().map(|(_, key)| call.t(key, &[])).collect();
    let permissions: Vec<String> = missing
        .iter()
        .map(|(bit, _)| call.t(permission_key(*bit), &[]))
        .collect();
    Some(format!(
        "{}\n{}",
        call.t("check-cannot", &[("what", arg(what.join(", ")))]),
        call.t(
            "check-fix-channel",
            &[("permissions", arg(permissions.join(", ")))]
        )
    ))
}

/// The name Discord's settings show for a permission.
fn permission_key(bit: u64) -> &'static str {
    match bit {
        bits::VIEW_CHANNEL => "perm-view-channel",
        bits::SEND_MESSAGES => "perm-send-messages",
        bits::EMBED_LINKS => "perm-embed-links",
        bits::PIN_MESSAGES => "perm-pin-messages",
        bits::ATTACH_FILES => "perm-attach-files",
        bits::CREATE_PUBLIC_THREADS => "perm-create-public-threads",
        bits::SEND_MESSAGES_IN_THREADS => "perm-send-in-threads",
        _ => "perm-create-events",
    }
}
