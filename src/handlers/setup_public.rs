//! `/setup public enabled [slug]`: publishing the server's agenda as web
//! pages (src/http/web), and the line `/setup show` gives about it.

use super::{Call, Options};
use crate::domain::slug::{self, SlugError};
use crate::error::{AppError, AppResult};
use crate::i18n::arg;
use crate::reply::{Field, Reply};
use crate::store::public::{self, PublicAgenda};

/// Turns publishing on or off; the caller is an admin (checked by `/setup`).
pub async fn run(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let enabled = options
        .bool("enabled")
        .ok_or_else(|| AppError::user("error-bad-invocation"))?;
    let asked = options.str("slug");
    if let Some(asked) = asked {
        let shown = arg(asked.chars().take(60).collect::<String>());
        match slug::check(asked) {
            Ok(()) => {}
            Err(SlugError::Form) => {
                return Err(AppError::user_with(
                    "setup-public-slug-form",
                    vec![("slug", shown)],
                ))
            }
            Err(SlugError::Reserved) => {
                return Err(AppError::user_with(
                    "setup-public-slug-reserved",
                    vec![("slug", shown)],
                ))
            }
        }
    }
    let guild = call.ctx.guild_id;
    let name = call.state.directory.name(guild).unwrap_or_default();
    let default_slug = slug::from_name(&name);
    let saved = public::set(
        call.pool(),
        guild,
        enabled,
        asked,
        &default_slug,
        &name,
        call.now(),
    )
    .await?;
    let agenda = saved.map_err(|public::SlugTaken| {
        AppError::user_with(
            "setup-public-slug-taken",
            vec![("slug", arg(asked.unwrap_or_default()))],
        )
    })?;
    let text = if !agenda.enabled {
        call.t("setup-public-off", &[])
    } else {
        match address(call, &agenda) {
            Some(url) => call.t("setup-public-on", &[("url", arg(url))]),
            None => call.t("setup-public-on-no-server", &[("slug", arg(agenda.slug.clone()))]),
        }
    };
    Ok(Reply::private_text(text))
}

/// The `/setup show` line: the public address, or "off".
pub async fn show_field(call: &Call<'_>) -> AppResult<Field> {
    let agenda = public::get(call.pool(), call.ctx.guild_id).await?;
    let value = match agenda.filter(|a| a.enabled) {
        Some(agenda) => address(call, &agenda).unwrap_or_else(|| format!("/{}/", agenda.slug)),
        None => call.t("setup-off", &[]),
    };
    Ok(Field {
        name: call.t("setup-public", &[]),
        value,
        inline: false,
    })
}

/// `https://…/{slug}/`, when the HTTP server runs.
fn address(call: &Call<'_>, agenda: &PublicAgenda) -> Option<String> {
    let base = call.state.feed_base.as_deref()?;
    Some(format!("{base}/{}/", agenda.slug))
}
