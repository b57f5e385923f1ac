//! Reading console lines: `/command sub key:"value" …` and `:directives`.

/// One line, split into words; `key:"quoted value"` stays one word with the
/// quotes removed. A `#` outside quotes starts a comment.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut started = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                started = true;
            }
            '\\' if in_quotes => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '#' if !in_quotes && !started => break,
            c if c.is_whitespace() && !in_quotes => {
                if started {
                    words.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if in_quotes {
        return Err("unclosed quote".into());
    }
    if started {
        words.push(current);
    }
    Ok(words)
}

/// Splits `key:value` (the value may be empty); `None` for a bare word.
pub fn key_value(word: &str) -> Option<(&str, &str)> {
    let (key, value) = word.split_once(':')?;
    (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
        .then_some((key, value))
}

/// A boolean as people type it, whatever the case (`True`, `oui`, `0`);
/// `None` for anything else, so a typo is not silently read as false.
pub fn boolean(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "true" | "yes" | "oui" | "vrai" | "on" | "1" => Some(true),
        "false" | "no" | "non" | "faux" | "off" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quoted_values_stay_whole() {
        assert_eq!(
            words(r#"/event create title:"Rencontres numériques" when:"2026-12-03 18:30" capacity:30"#)
                .unwrap(),
            [
                "/event",
                "create",
                "title:Rencontres numériques",
                "when:2026-12-03 18:30",
                "capacity:30"
            ]
        );
    }

    #[test]
    fn comments_and_escapes() {
        assert_eq!(words(":as bob   # act as bob").unwrap(), [":as", "bob"]);
        assert_eq!(words(r#"note:"say \"hi\" #1""#).unwrap(), [r#"note:say "hi" #1"#]);
        assert_eq!(words("name:\"\"").unwrap(), ["name:"]);
        assert!(words("title:\"open").is_err());
    }

    #[test]
    fn key_values() {
        assert_eq!(key_value("when:18:30"), Some(("when", "18:30")));
        assert_eq!(key_value("bob"), None);
        assert_eq!(key_value(":as"), None);
    }

    #[test]
    fn booleans_ignore_case() {
        assert_eq!(boolean("True"), Some(true));
        assert_eq!(boolean("OUI"), Some(true));
        assert_eq!(boolean("False"), Some(false));
        assert_eq!(boolean("Non"), Some(false));
        assert_eq!(boolean("peut-être"), None);
    }

    proptest! {
        #[test]
        fn never_panics(line in "\\PC{0,200}") {
            let _ = words(&line);
        }
    }
}
