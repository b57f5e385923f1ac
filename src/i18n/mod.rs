//! Translations: every user-visible string comes from `fr.ftl` / `en.ftl`.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::domain::{format, Lang};

const FR: &str = include_str!("fr.ftl");
const EN: &str = include_str!("en.ftl");

/// A value placed in a message: text, or a number (plural forms select on
/// it, and it is written with the language's thousands separator: pass ids
/// and years as text).
/// Our own type rather than `FluentValue`, so that errors carrying arguments
/// stay `Send + Sync`.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

/// Arguments to a message: `&[("count", 3.into())]`.
pub type Args<'a> = [(&'a str, Arg)];

pub struct I18n {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

/// Fluent writes numbers as Rust does ("53652"); every count in a message
/// is written as its language writes it instead. Plural selectors still
/// select on the number itself.
fn grouped(value: &FluentValue, lang: Lang) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(format::number(n.value as i64, lang))
        }
        _ => None,
    }
}

fn french_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    grouped(value, Lang::Fr)
}

fn english_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    grouped(value, Lang::En)
}

fn bundle(lang: Lang, source: &'static str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_formatter(Some(match lang {
        Lang::Fr => french_numbers,
        Lang::En => english_numbers,
    }));
    // Unicode isolation marks would show up as stray characters in the
    // console and in copied text; our arguments never mix scripts.
    bundle.set_use_isolating(false);
    // The .ftl files are compiled in and checked by a test, so a syntax error
    // cannot reach a running bot; keep whatever parsed rather than panic.
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            tracing::error!(?errors, lang = lang.code(), "translation file has errors");
            resource
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            ?errors,
            lang = lang.code(),
            "translation file has duplicate messages"
        );
    }
    bundle
}

impl I18n {
    pub fn load() -> Self {
        I18n {
            fr: bundle(Lang::Fr, FR),
            en: bundle(Lang::En, EN),
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// Whether `key` exists in `lang` (used by the completeness test).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message `key` in `lang`; a missing key is logged and shown as is,
    /// so a gap in a translation never breaks a reply.
    pub fn t(&self, lang: Lang, key: &str, args: &Args<'_>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing translation");
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.as_str()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation formatting errors");
        }
        text.into_owned()
    }

    /// All message ids of one language, for the completeness test.
    pub fn keys(lang: Lang) -> Vec<String> {
        let source = match lang {
            Lang::Fr => FR,
            Lang::En => EN,
        };
        source
            .lines()
            .filter_map(|line| {
                let (id, _) = line.split_once(" =")?;
                let starts_ok = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                (starts_ok && !id.contains(' ')).then(|| id.to_owned())
            })
            .collect()
    }
}

/// A string argument for a translated message.
pub fn arg(value: impl Into<String>) -> Arg {
    Arg::Str(value.into())
}

/// A number argument (plural forms select on it).
pub fn num(value: i64) -> Arg {
    Arg::Num(value)
}
