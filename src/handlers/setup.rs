//! `/setup …` for admins, and `/reminders on|off` for everyone.

use chrono::Duration;
use chrono_tz::Tz;

use super::{Call, Options, RemindersSub, SetupSub};
use crate::domain::{when, Lang};
use crate::error::{AppError, AppResult};
use crate::i18n::arg;
use crate::reply::{Effect, Embed, Field, Message, Reply};
use crate::store::settings::{self, Change};

pub async fn run(call: &Call<'_>, sub: SetupSub, options: &Options) -> AppResult<Reply> {
    call.require_admin()?;
    let change = match sub {
        SetupSub::Channels => {
            let (agenda, intro, announce) = (
                options.channel("agenda"),
                options.channel("introductions"),
                options.channel("announcements"),
            );
            if agenda.is_none() && intro.is_none() && announce.is_none() {
                return Err(AppError::user("setup-channels-none"));
            }
            Change::Channels {
                agenda,
                intro,
                announce,
            }
        }
        SetupSub::Organizers => Change::OrganizerRole(
            options
                .role("role")
                .ok_or_else(|| AppError::user("error-bad-invocation"))?,
        ),
        SetupSub::Timezone => {
            let text = options.str("zone").unwrap_or_default();
            let tz: Tz = text.parse().map_err(|_| {
                AppError::user_with(
                    "error-bad-timezone",
                    vec![("zone", arg(text.chars().take(60).collect::<String>()))],
                )
            })?;
            Change::Timezone(tz)
        }
        SetupSub::Language => match options.str("language") {
            Some("fr") => Change::Language(Lang::Fr),
            Some("en") => Change::Language(Lang::En),
            _ => return Err(AppError::user("error-bad-invocation")),
        },
        SetupSub::Reminders => {
            let text = options.str("offsets").unwrap_or_default();
            let offsets = when::parse_offsets(text)
                .filter(|o| o.iter().all(|d| *d <= Duration::days(14)))
                .ok_or_else(|| {
                    AppError::user_with(
                        "error-bad-offsets",
                        vec![("text", arg(text.chars().take(50).collect::<String>()))],
                    )
                })?;
            Change::ReminderOffsets(offsets.iter().map(|d| d.num_minutes()).collect())
        }
        SetupSub::Mirror => Change::Mirror(options.str("state") == Some("on")),
        SetupSub::IntroButton => {
            let channel_id = options
                .channel("channel")
                .or(call.settings.intro_channel)
                .unwrap_or(call.ctx.channel_id);
            return Ok(Reply::private_text(call.t(
                "setup-intro-button-posted",
                &[("channel", arg(format!("<#{channel_id}>")))],
            ))
            .with_effects([Effect::PostIntroButton {
                guild_id: call.ctx.guild_id,
                channel_id,
                admin: call.ctx.caller.user_id,
            }]));
        }
        SetupSub::Public => return super::setup_public::run(call, options).await,
        SetupSub::Show => return show(call).await,
        SetupSub::Check => return super::setup_check::run(call).await,
        SetupSub::Threads => return super::setup_threads::threads(call, options).await,
        SetupSub::CardNames => return super::setup_threads::card_names(call, options).await,
    };
    settings::update(call.pool(), call.ctx.guild_id, change, call.now()).await?;
    call.state.settings.forget(call.ctx.guild_id);
    let updated = settings::get(call.pool(), call.ctx.guild_id).await?;
    let fresh = Call::new(call.state, call.ctx, updated);
    let mut reply = show(&fresh).await?;
    if let crate::reply::Body::Message(message) = &mut reply.body {
        message.content = Some(fresh.t("setup-saved", &[]));
    }
    Ok(reply)
}

async fn show(call: &Call<'_>) -> AppResult<Reply> {
    let public = super::setup_public::show_field(call).await?;
    let s = &call.settings;
    let none = call.t("setup-not-set", &[]);
    let channel = |c: Option<u64>| c.map(|c| format!("<#{c}>")).unwrap_or_else(|| none.clone());
    let offsets: Vec<Duration> = s.reminder_offsets.iter().map(|m| Duration::minutes(*m)).collect();
    let field = |key: &str, value: String| Field {
        name: call.t(key, &[]),
        value,
        inline: true,
    };
    Ok(Reply::message(Message {
        embeds: vec![Embed {
            title: Some(call.t("setup-title", &[])),
            fields: vec![
                field("setup-agenda-channel", channel(s.agenda_channel)),
                field("setup-intro-channel", channel(s.intro_channel)),
                field("setup-announce-channel", channel(s.announce_channel)),
                field(
                    "setup-organizer-role",
                    s.organizer_role
                        .map(|r| format!("<@&{r}>"))
                        .unwrap_or_else(|| none.clone()),
                ),
                field("setup-timezone", s.timezone.name().to_owned()),
                field(
                    "setup-language",
                    call.t(&format!("language-{}", s.language.code()), &[]),
                ),
                field(
                    "setup-reminders",
                    crate::domain::format::offsets(&offsets, call.lang),
                ),
                field("setup-mirror", call.t(mirror_state(s), &[])),
                field("setup-threads", call.t(on_off(s.threads), &[])),
                public,
            ],
            ..Default::default()
        }],
        private: true,
        ..Default::default()
    }))
}

/// `/reminders on|off`.
pub async fn reminders_pref(call: &Call<'_>, sub: RemindersSub) -> AppResult<Reply> {
    let enabled = sub == RemindersSub::On;
    crate::store::prefs::set_reminders(
        call.pool(),
        call.ctx.guild_id,
        call.ctx.caller.user_id,
        enabled,
        call.now(),
    )
    .await?;
    Ok(Reply::private_text(
        call.t(if enabled { "reminders-on" } else { "reminders-off" }, &[]),
    ))
}

fn on_off(on: bool) -> &'static str {
    if on {
        "setup-on"
    } else {
        "setup-off"
    }
}

fn mirror_state(s: &crate::store::settings::Settings) -> &'static str {
    match (s.mirror_events, s.mirror_blocked) {
        (true, true) => "setup-mirror-blocked",
        (true, false) => "setup-on",
        (false, _) => "setup-off",
    }
}
