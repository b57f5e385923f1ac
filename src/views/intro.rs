//! A member's introduction as posted, and the *Introduce yourself* message
//! whose button opens the form.

use crate::domain::custom_id::ComponentId;
use crate::domain::format::unmask_links;
use crate::domain::Lang;
use crate::i18n::{arg, I18n};
use crate::reply::{Button, ButtonStyle, Embed, Field, Message};
use crate::store::intros::Introduction;

/// The *Introduce yourself* message: posted by `/setup intro-button` and
/// in the welcome greeting; its button opens the `/intro` form.
pub fn intro_button_message(i18n: &I18n, lang: Lang) -> Message {
    Message {
        embeds: vec![Embed {
            title: Some(i18n.t(lang, "intro-button-title", &[])),
            description: Some(i18n.t(lang, "intro-button-text", &[])),
            ..Default::default()
        }],
        rows: vec![vec![Button {
            label: i18n.t(lang, "button-introduce-yourself", &[]),
            custom_id: ComponentId::IntroOpen.encode(),
            style: ButtonStyle::Primary,
            disabled: false,
        }]],
        ..Default::default()
    }
}

/// A member's introduction as an embed.
pub fn intro_embed(i18n: &I18n, lang: Lang, intro: &Introduction) -> Embed {
    let mut fields = Vec::new();
    let mut push = |key: &str, value: &Option<String>| {
        if let Some(value) = value {
            fields.push(Field {
                name: i18n.t(lang, key, &[]),
                value: unmask_links(value),
                inline: false,
            });
        }
    };
    push("intro-card-organization", &intro.organization);
    push("intro-card-skills", &intro.skills);
    push("intro-card-website", &intro.website);
    Embed {
        title: Some(intro.name.clone()),
        description: intro.about.as_deref().map(unmask_links),
        fields,
        footer: Some(i18n.t(
            lang,
            "intro-footer",
            &[("user", arg(format!("<@{}>", intro.user_id)))],
        )),
        colour: Some(0x38_a1_69),
        ..Default::default()
    }
}
