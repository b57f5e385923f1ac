//! `/intro`: the introduction form and its submission (the posted card is
//! drawn by `views::intro`).

use super::{fields, Call};
use crate::domain::custom_id::ComponentId;
use crate::domain::limits::*;
use crate::error::{AppError, AppResult};
use crate::i18n::arg;
use crate::reply::{Body, Button, ButtonStyle, Effect, Message, Modal, Reply, TextInput};
use crate::store::{self, intros::Introduction};

/// The form, filled in with what the member typed last time it was refused
/// (see [`super::intro_draft`]), else with their saved introduction.
pub async fn open_form(call: &Call<'_>) -> AppResult<Reply> {
    let (guild, user) = (call.ctx.guild_id, call.ctx.caller.user_id);
    let current = match call.state.intro_drafts.get(guild, user, call.now()) {
        Some(draft) => {
            let typed = |id: &str| {
                draft
                    .iter()
                    .find(|(k, _)| k == id)
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.trim().is_empty())
            };
            Some(Introduction {
                user_id: user,
                name: typed("name").unwrap_or_default(),
                organization: typed("organization"),
                about: typed("about"),
                skills: typed("skills"),
                website: typed("website"),
                ..Default::default()
            })
        }
        None => store::intros::get(call.pool(), guild, user).await?,
    };
    let value = |f: fn(&Introduction) -> Option<String>| current.as_ref().and_then(f);
    let input = |id: &str, max: usize, paragraph: bool, required: bool, current: Option<String>| TextInput {
        custom_id: id.into(),
        label: call.t(&format!("intro-label-{id}"), &[]),
        paragraph,
        required,
        min_length: None,
        max_length: max as u16,
        value: current,
        placeholder: Some(call.t(&format!("intro-placeholder-{id}"), &[])),
    };
    let name = value(|i| Some(i.name.clone()).filter(|n| !n.is_empty()))
        .or_else(|| Some(call.ctx.caller.name.clone()));
    Ok(Reply {
        body: Body::Modal(Modal {
            custom_id: ComponentId::IntroForm.encode(),
            title: call.t("intro-form-title", &[]),
            inputs: vec![
                input("name", INTRO_NAME_MAX, false, true, name),
                input(
                    "organization",
                    INTRO_ORGANIZATION_MAX,
                    false,
                    false,
                    value(|i| i.organization.clone()),
                ),
                input("about", INTRO_ABOUT_MAX, true, false, value(|i| i.about.clone())),
                input(
                    "skills",
                    INTRO_SKILLS_MAX,
                    false,
                    false,
                    value(|i| i.skills.clone()),
                ),
                input(
                    "website",
                    INTRO_WEBSITE_MAX,
                    false,
                    false,
                    value(|i| i.website.clone()),
                ),
            ],
        }),
        effects: Vec::new(),
    })
}

/// Skills as the member typed them, tidied: each trimmed, empty ones
/// dropped, casing kept ("formation,  ingénierie ,, ,IA" becomes
/// "formation, ingénierie, IA"); `None` when nothing is left.
pub fn skills(typed: &str) -> Option<String> {
    let list: Vec<&str> = typed
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// A website as typed: `example.fr` becomes `https://example.fr`; anything
/// that is not a plain http(s) address is refused.
pub fn website(text: &str) -> Option<String> {
    let url = if text.starts_with("http://") || text.starts_with("https://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    let host = url.split("://").nth(1)?.split(['/', '?', '#']).next()?;
    let valid = host.contains('.')
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    valid.then_some(url)
}

/// Saves the form; a refusal keeps what was typed and offers to reopen the
/// form with it, since a form cannot reopen itself.
pub async fn submit(call: &Call<'_>, form: &[(String, String)]) -> AppResult<Reply> {
    let (guild, user) = (call.ctx.guild_id, call.ctx.caller.user_id);
    match save(call, form).await {
        Ok(reply) => {
            call.state.intro_drafts.forget(guild, user);
            Ok(reply)
        }
        Err(AppError::User { key, args }) => {
            call.state.intro_drafts.keep(guild, user, form, call.now());
            let text = format!("{}\n{}", call.t(key, &args), call.t("intro-draft-kept", &[]));
            let mut message = Message::text(text).private();
            message.rows.push(vec![Button {
                label: call.t("button-fix-intro", &[]),
                custom_id: ComponentId::IntroOpen.encode(),
                style: ButtonStyle::Primary,
                disabled: false,
            }]);
            Ok(Reply::message(message))
        }
        Err(error) => Err(error),
    }
}

async fn save(call: &Call<'_>, form: &[(String, String)]) -> AppResult<Reply> {
    let get = |id: &str| form.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str());
    let name = fields::required_text(call, get("name"), "intro-label-name", INTRO_NAME_MAX)?;
    let website = match fields::text(
        call,
        get("website"),
        "intro-label-website",
        INTRO_WEBSITE_MAX,
        false,
    )? {
        Some(text) => Some(website(&text).ok_or_else(|| AppError::user("error-bad-website"))?),
        None => None,
    };
    let intro = Introduction {
        user_id: call.ctx.caller.user_id,
        name,
        organization: fields::text(
            call,
            get("organization"),
            "intro-label-organization",
            INTRO_ORGANIZATION_MAX,
            false,
        )?,
        about: fields::text(call, get("about"), "intro-label-about", INTRO_ABOUT_MAX, true)?,
        skills: fields::text(call, get("skills"), "intro-label-skills", INTRO_SKILLS_MAX, false)?
            .and_then(|typed| skills(&typed)),
        website,
        ..Default::default()
    };
    store::intros::upsert(call.pool(), call.ctx.guild_id, &intro, call.now()).await?;
    let text = match call.settings.intro_channel {
        Some(channel) => call.t("intro-saved-posted", &[("channel", arg(format!("<#{channel}>")))]),
        None => call.t("intro-saved", &[]),
    };
    Ok(Reply::private_text(text).with_effects([Effect::PublishIntro {
        guild_id: call.ctx.guild_id,
        user_id: call.ctx.caller.user_id,
    }]))
}

#[cfg(test)]
mod tests {
    use super::{skills, website};

    #[test]
    fn websites_are_normalised_or_refused() {
        assert_eq!(website("coteo.fr").as_deref(), Some("https://coteo.fr"));
        assert_eq!(
            website("http://eilco.univ-littoral.fr/x").as_deref(),
            Some("http://eilco.univ-littoral.fr/x")
        );
        assert_eq!(website("javascript:alert(1)"), None);
        assert_eq!(website("not a site"), None);
        assert_eq!(website("<@everyone>.fr"), None);
    }

    #[test]
    fn skills_are_trimmed_without_empties_and_keep_their_case() {
        assert_eq!(
            skills("formation,  ingénierie ,, ,IA").as_deref(),
            Some("formation, ingénierie, IA")
        );
        assert_eq!(skills(" , ,"), None);
        assert_eq!(skills("SEO").as_deref(), Some("SEO"));
    }
}
