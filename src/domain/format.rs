//! How numbers, durations and typed text are written into messages: each
//! language's way with numbers, and typed text that cannot turn into
//! Discord formatting.

use chrono::Duration;

use super::Lang;

/// French groups thousands with a narrow no-break space (U+202F), which
/// also keeps "53 652" on one line.
const FRENCH_GROUP: char = '\u{202f}';

/// A count as the reader's language writes it: "53 652" in French,
/// "53,652" in English. Below a thousand both read the same.
pub fn number(n: i64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Fr => FRENCH_GROUP,
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Reminder offsets for display, longest first as stored, in the reader's
/// units: "2j,2h,30min" in French, "2d,2h,30min" in English. Both read back
/// with `when::parse_offsets`. Whole days are written in days only from
/// 48 h on, so the default stays "24h,1h".
pub fn offsets(offsets: &[Duration], lang: Lang) -> String {
    let day = match lang {
        Lang::Fr => "j",
        Lang::En => "d",
    };
    let one = |d: &Duration| {
        let m = d.num_minutes();
        if m >= 2 * 1440 && m % 1440 == 0 {
            format!("{}{day}", m / 1440)
        } else if m % 60 == 0 {
            format!("{}h", m / 60)
        } else if m < 60 {
            format!("{m}min")
        } else {
            format!("{}h{:02}", m / 60, m % 60)
        }
    };
    offsets.iter().map(one).collect::<Vec<_>>().join(",")
}

/// Typed text placed inside Discord formatting (`**title**`, `~~title~~`)
/// or in a list line: every character Discord's Markdown reads as markup is
/// escaped, so `Soirée *VIP` stays bold and shows its star. Line breaks
/// become spaces: one line stays one line.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        // Headings, quotes and lists only start a line.
        let line_start = out.trim().is_empty() && matches!(c, '#' | '>' | '-' | '+');
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ if line_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Typed text shown as a block (an introduction's "about", an event's
/// description): its own emphasis may stay, but a masked link
/// `[Docs officielles](https://evil.example)` is shown as the text it is,
/// so nobody can dress a link up as something else. Bare addresses stay
/// visible as addresses.
pub fn unmask_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_as_each_language_does() {
        assert_eq!(number(53_652, Lang::Fr), "53\u{202f}652");
        assert_eq!(number(53_652, Lang::En), "53,652");
        assert_eq!(number(1_234_567, Lang::En), "1,234,567");
        assert_eq!(number(999, Lang::Fr), "999");
        assert_eq!(number(0, Lang::En), "0");
        assert_eq!(number(-1_000, Lang::En), "-1,000");
        assert_eq!(number(100_000, Lang::Fr), "100\u{202f}000");
    }

    #[test]
    fn offsets_use_the_readers_units_and_read_back() {
        let m = Duration::minutes;
        assert_eq!(offsets(&[m(2880), m(120), m(30)], Lang::Fr), "2j,2h,30min");
        assert_eq!(offsets(&[m(2880), m(120), m(30)], Lang::En), "2d,2h,30min");
        assert_eq!(offsets(&[m(1440), m(60)], Lang::Fr), "24h,1h");
        assert_eq!(offsets(&[m(90), m(65)], Lang::En), "1h30,1h05");
        for lang in [Lang::Fr, Lang::En] {
            let shown = offsets(&[m(4320), m(1500), m(45)], lang);
            let back = crate::domain::when::parse_offsets(&shown).unwrap();
            assert_eq!(back, vec![m(4320), m(1500), m(45)], "{shown}");
        }
    }

    #[test]
    fn markdown_in_typed_text_is_shown_not_applied() {
        assert_eq!(escape_markdown("Soirée *VIP"), "Soirée \\*VIP");
        assert_eq!(
            escape_markdown("a_b ~~c~~ `d` ||e||"),
            "a\\_b \\~\\~c\\~\\~ \\`d\\` \\|\\|e\\|\\|"
        );
        assert_eq!(escape_markdown("[x](https://e.fr)"), "\\[x\\](https://e.fr)");
        assert_eq!(escape_markdown("# Grand-Est > Nord"), "\\# Grand-Est > Nord");
        assert_eq!(escape_markdown("one\ntwo"), "one two");
        assert_eq!(
            unmask_links("voir [doc](https://e.fr) **ici**"),
            "voir \\[doc\\](https://e.fr) **ici**"
        );
    }
}
