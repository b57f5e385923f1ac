//! Tokens and vocabulary for [`super`]: what members type, folded to plain ASCII.

use chrono::Weekday;

/// French and English names, French as displayed (with accents).
pub(super) const WEEKDAYS: [(&str, &str); 7] = [
    ("lundi", "monday"),
    ("mardi", "tuesday"),
    ("mercredi", "wednesday"),
    ("jeudi", "thursday"),
    ("vendredi", "friday"),
    ("samedi", "saturday"),
    ("dimanche", "sunday"),
];

pub(super) const MONTHS: [(&str, &str); 12] = [
    ("janvier", "january"),
    ("février", "february"),
    ("mars", "march"),
    ("avril", "april"),
    ("mai", "may"),
    ("juin", "june"),
    ("juillet", "july"),
    ("août", "august"),
    ("septembre", "september"),
    ("octobre", "october"),
    ("novembre", "november"),
    ("décembre", "december"),
];

/// Words that carry no meaning of their own here: "le 3 déc. à 18h", "on the 3rd",
/// "de 14h à 17h", "from 2pm", "cet après-midi", ISO's "T".
pub(super) fn is_filler(w: &str) -> bool {
    const FILLERS: &str = "le la a at on the this ce cet cette t vers around de from";
    FILLERS.split_whitespace().any(|f| f == w)
}

/// Beyond this, a number is nonsense anyway; capping keeps arithmetic overflow-free.
const NUM_CAP: u64 = 1_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// Value (capped) and digit count: "03" and "3" are the same day, but only a
    /// four-digit number is a year.
    Num(u64, usize),
    Word(String),
    Sym(char),
}

/// Lowercase, accents off, so that "Décembre", "decembre" and "DÉC" all read alike.
pub(super) fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            other => other,
        })
        // "aujourd'hui" and "aujourdhui" are both common.
        .filter(|c| !matches!(c, '\'' | '’'))
        .collect()
}

pub(super) fn tokenize(input: &str) -> Vec<Tok> {
    let chars: Vec<char> = fold(input).chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if let Some(mut v) = c.to_digit(10).map(u64::from) {
            i += 1;
            while let Some(digit) = chars.get(i).and_then(|c| c.to_digit(10)) {
                v = (v * 10 + u64::from(digit)).min(NUM_CAP);
                i += 1;
            }
            toks.push(Tok::Num(v, i - start));
            continue;
        }
        if c.is_ascii_lowercase() {
            while chars.get(i).is_some_and(char::is_ascii_lowercase) {
                i += 1;
            }
            toks.push(Tok::Word(chars[start..i].iter().collect()));
            continue;
        }
        i += 1;
        // "après-demain" is two words; "2026-12-03" and "-2h" keep their dash.
        let between_letters =
            |k: Option<usize>| k.and_then(|k| chars.get(k)).is_some_and(char::is_ascii_lowercase);
        let joins_words = c == '-' && between_letters(start.checked_sub(1)) && between_letters(Some(i));
        if !c.is_whitespace() && !joins_words {
            toks.push(Tok::Sym(c));
        }
    }
    toks
}

/// Duration units, ordered so that "1h30" (hours then minutes) can be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
}

impl Unit {
    pub(super) fn minutes(self) -> i64 {
        match self {
            Unit::Minute => 1,
            Unit::Hour => 60,
            Unit::Day => 24 * 60,
            Unit::Week => 7 * 24 * 60,
        }
    }
}

pub(super) fn unit(w: &str) -> Option<Unit> {
    Some(match w {
        "m" | "mn" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" | "heure" | "heures" => Unit::Hour,
        "d" | "j" | "day" | "days" | "jour" | "jours" => Unit::Day,
        "w" | "wk" | "week" | "weeks" | "sem" | "semaine" | "semaines" => Unit::Week,
        _ => return None,
    })
}

/// Index of the one name that `w` abbreviates (at least 3 letters, French or English):
/// "dec", "déc", "sept", "juil", "thu". "jui" (juin or juillet) is nobody's.
fn lookup(w: &str, names: &[(&str, &str)]) -> Option<usize> {
    if w.len() < 3 {
        return None;
    }
    let mut found = None;
    for (k, (fr, en)) in names.iter().enumerate() {
        if fold(fr).starts_with(w) || en.starts_with(w) {
            if found.is_some() {
                return None;
            }
            found = Some(k);
        }
    }
    found
}

/// Month number 1–12.
pub(super) fn month(w: &str) -> Option<u64> {
    lookup(w, &MONTHS).map(|k| k as u64 + 1)
}

pub(super) fn weekday(w: &str) -> Option<Weekday> {
    use Weekday::*;
    lookup(w, &WEEKDAYS).map(|k| [Mon, Tue, Wed, Thu, Fri, Sat, Sun][k])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let w = |s: &str| Tok::Word(s.to_string());
        assert_eq!(
            tokenize("Après-Demain 18h30"),
            vec![w("apres"), w("demain"), Tok::Num(18, 2), w("h"), Tok::Num(30, 2)]
        );
        assert_eq!(
            tokenize("2026-12-03"),
            vec![
                Tok::Num(2026, 4),
                Tok::Sym('-'),
                Tok::Num(12, 2),
                Tok::Sym('-'),
                Tok::Num(3, 2)
            ]
        );
        assert_eq!(tokenize("aujourd’hui"), vec![w("aujourdhui")]);
        assert_eq!(tokenize("99999999999999999999"), vec![Tok::Num(NUM_CAP, 20)]);
    }

    #[test]
    fn names() {
        assert_eq!(month("dec"), Some(12));
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("juil"), Some(7));
        assert_eq!(month("jun"), Some(6));
        assert_eq!(month("jui"), None);
        assert_eq!(month("mar"), Some(3));
        assert_eq!(weekday("mar"), Some(Weekday::Tue));
        assert_eq!(weekday("thu"), Some(Weekday::Thu));
        assert_eq!(weekday("dimanche"), Some(Weekday::Sun));
        assert_eq!(weekday("the"), None);
    }
}
