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
                "poll-",
            ]
            .iter()
            .any(|p| literal.starts_with(p));
            // Subcommand names share the shape of message ids.
            let subcommand = ["intro-button", "card-names"].contains(&literal);
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

#[test]
fn counts_are_written_as_each_language_writes_them() {
    use rencontre::i18n::Arg;
    let i18n = I18n::load();
    let fr = i18n.t(Lang::Fr, "list-and-more", &[("count", Arg::Num(53_652))]);
    let en = i18n.t(Lang::En, "list-and-more", &[("count", Arg::Num(53_652))]);
    assert_eq!(fr, "… et 53\u{202f}652 de plus");
    assert_eq!(en, "… and 53,652 more");
    // Small counts read the same, and a year given as text is never grouped.
    let title = i18n.t(Lang::Fr, "report-title", &[("year", Arg::Str("2026".into()))]);
    assert_eq!(title, "Bilan d'activité 2026");
}

#[test]
fn no_message_shows_a_count_with_an_optional_plural() {
    for lang in [Lang::Fr, Lang::En] {
        let source = match lang {
            Lang::Fr => include_str!("../../src/i18n/fr.ftl"),
            Lang::En => include_str!("../../src/i18n/en.ftl"),
        };
        let lazy: Vec<&str> = source.lines().filter(|l| l.contains("(s)")).collect();
        assert!(lazy.is_empty(), "use a plural selector in {lazy:?}");
    }
    let i18n = I18n::load();
    use rencontre::i18n::Arg;
    for (lang, n, words) in [
        (Lang::Fr, 0, "0 résultat"),
        (Lang::Fr, 1, "1 résultat"),
        (Lang::Fr, 2, "2 résultats"),
        (Lang::En, 1, "1 result"),
        (Lang::En, 2, "2 results"),
    ] {
        let args = [
            ("page", Arg::Num(1)),
            ("pages", Arg::Num(1)),
            ("total", Arg::Num(n)),
        ];
        let footer = i18n.t(lang, "agenda-footer", &args);
        assert!(footer.ends_with(words), "{footer}");
    }
    let taken = i18n.t(Lang::Fr, "error-capacity-below-taken", &[("taken", Arg::Num(1))]);
    assert!(taken.starts_with("1 place est déjà prise"), "{taken}");
}
