//! Every user-visible string exists in French and English, and every key the
//! code asks for exists.

use std::collections::BTreeSet;
use std::path::Path;

use rencontre::domain::Lang;
use rencontre::i18n::I18n;

#[test]
fn french_and_english_have_the_same_messages() {
    let fr: BTreeSet<String> = I18n::keys(Lang::Fr).into_iter().collect();
    let en: BTreeSet<String> = I18n::keys(Lang::En).into_iter().collect();
    let only_fr: Vec<_> = fr.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&fr).collect();
    assert!(
        only_fr.is_empty() && only_en.is_empty(),
        "only in fr: {only_fr:?}; only in en: {only_en:?}"
    );
    assert!(fr.len() > 100, "suspiciously few messages: {}", fr.len());
}

/// Collects string literals that look like message ids (`word-word…`) from
/// the handlers and delivery code, and checks each exists in both languages.
#[test]
fn every_key_used_in_the_code_is_translated() {
    let i18n = I18n::load();
    let mut missing = Vec::new();
    let mut files = Vec::new();
    for dir in ["src/handlers", "src/console", "src"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        for literal in source.split('"').skip(1).step_by(2) {
            let looks_like_key = literal.contains('-')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && literal.starts_with(|c: char| c.is_ascii_lowercase())
                && !literal.ends_with('-');
            let known_prefix = [
                "error-",
                "field-",
                "button-",
                "card-",
                "rsvp-",
                "event-",
                "dm-",
                "attendees-",
                "csv-",
                "agenda-",
                "intro-",
                "member-",
                "announce-",
                "calendar-",
                "privacy-",
                "reminders-",
                "setup-",
                "autocomplete-",
                "example-",
                "report-",
                "list-",
                "check-in-",
                "month-",
                "language-",
            ]
            .iter()
            .any(|p| literal.starts_with(p));
            // Subcommand names share the shape of message ids.
            let subcommand = ["intro-button"].contains(&literal);
            if looks_like_key && known_prefix && !subcommand {
                checked += 1;
                for lang in [Lang::Fr, Lang::En] {
                    if !i18n.has(lang, literal) {
                        missing.push(format!("{} ({:?}) in {}", literal, lang, path.display()));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "the scan found only {checked} keys");
    assert!(missing.is_empty(), "missing translations: {missing:#?}");
}

#[test]
fn plurals_follow_the_number() {
    use rencontre::i18n::Arg;
    let i18n = I18n::load();
    let one = i18n.t(Lang::Fr, "error-guests-do-not-fit", &[("free", Arg::Num(1))]);
    let many = i18n.t(Lang::En, "error-guests-do-not-fit", &[("free", Arg::Num(3))]);
    assert!(one.contains("un invité"), "{one}");
    assert!(many.contains("3 guests"), "{many}");
}
