//! The web agenda's slug: the first segment of a server's public URLs
//! (`/{slug}/`). Lowercase ASCII letters, digits and hyphens only, so a
//! slug never needs encoding and never spells a path trick; never one of
//! the paths the HTTP server itself answers.

/// Longest slug accepted.
pub const MAX_LEN: usize = 40;

/// First segments the HTTP server uses, or may: a slug cannot take them.
pub const RESERVED: &[&str] = &[
    "healthz",
    "metrics",
    "calendar",
    "feeds",
    "static",
    "assets",
    "api",
    "embed",
    "events",
    "agenda",
    "admin",
    "login",
    "setup",
    "www",
    "favicon",
    "robots",
    "sitemap",
    "well-known",
];

/// Why a slug was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    /// Empty, too long, or with something else than `a-z`, `0-9` and
    /// inner hyphens.
    Form,
    /// One of [`RESERVED`].
    Reserved,
}

/// Checks a slug typed by an admin.
pub fn check(slug: &str) -> Result<(), SlugError> {
    let well_formed = !slug.is_empty()
        && slug.len() <= MAX_LEN
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if !well_formed {
        Err(SlugError::Form)
    } else if RESERVED.contains(&slug) {
        Err(SlugError::Reserved)
    } else {
        Ok(())
    }
}

/// A readable slug from a server's name: "Les Rencontres Numériques d'Été"
/// → `les-rencontres-numeriques-d-ete`. Always passes [`check`]: a name with
/// nothing readable gives `agenda-…`, a reserved word gets `-agenda`.
pub fn from_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        match plain(c) {
            Some(letters) => slug.push_str(letters),
            None if c.is_ascii_alphanumeric() => slug.push(c),
            None => {
                if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
            }
        }
    }
    let mut slug: String = slug.chars().take(MAX_LEN - "-agenda".len()).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        return "agenda-public".to_owned();
    }
    if check(&slug).is_err() {
        slug.push_str("-agenda");
    }
    slug
}

/// Latin letters with accents, as French (and its neighbours) write them.
fn plain(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_readable_slugs() {
        assert_eq!(
            from_name("Les Rencontres Numériques d'Été"),
            "les-rencontres-numeriques-d-ete"
        );
        assert_eq!(from_name("  Cœur   de   Lyon !! "), "coeur-de-lyon");
        assert_eq!(from_name("🎉🎉"), "agenda-public");
        assert_eq!(from_name("Metrics"), "metrics-agenda");
        let long = from_name(&"association ".repeat(10));
        assert!(long.len() <= MAX_LEN && check(&long).is_ok(), "{long}");
    }

    #[test]
    fn only_lowercase_letters_digits_and_inner_hyphens() {
        assert_eq!(check("coteo-2026"), Ok(()));
        for bad in [
            "",
            "Coteo",
            "co teo",
            "../x",
            "a%2e",
            "-a",
            "a-",
            "a--b",
            "é",
            &"a".repeat(41),
        ] {
            assert_eq!(check(bad), Err(SlugError::Form), "{bad:?}");
        }
        for reserved in ["healthz", "metrics", "feeds", "calendar", "static"] {
            assert_eq!(check(reserved), Err(SlugError::Reserved));
        }
    }
}
