//! The text of an iCalendar file: a small component model and its
//! serialisation (RFC 5545 §3.1: escaping, CRLF, folding at 75 octets).
//!
//! We write the lines ourselves rather than with the icalendar crate
//! (0.17.17): its `Display` folding mixes byte offsets with character
//! indices, so a line whose last fold leaves exactly 75 octets comes out 76
//! long, and a run of accented letters followed by spaced-out text
//! ("éééé… a b c d") makes it loop forever — a member's title could hang
//! the bot. Its builders also cannot make the components a repeating event
//! needs: no VTIMEZONE, and a component of any other name (STANDARD,
//! DAYLIGHT) can only come out of its parser.

use chrono::{DateTime, Utc};

/// A component (`BEGIN:NAME` … `END:NAME`): properties in the order added,
/// then child components.
pub(crate) struct Component {
    name: &'static str,
    props: Vec<Prop>,
    children: Vec<Component>,
}

/// One property with its parameters; `value` is written as is (already
/// encoded for its value type).
pub(crate) struct Prop {
    name: &'static str,
    params: Vec<(&'static str, String)>,
    value: String,
}

impl Prop {
    pub(crate) fn new(name: &'static str, value: impl Into<String>) -> Prop {
        Prop {
            name,
            params: Vec::new(),
            value: value.into(),
        }
    }

    pub(crate) fn param(mut self, key: &'static str, value: impl Into<String>) -> Prop {
        self.params.push((key, value.into()));
        self
    }
}

impl Component {
    pub(crate) fn new(name: &'static str) -> Component {
        Component {
            name,
            props: Vec::new(),
            children: Vec::new(),
        }
    }

    /// A TEXT property (RFC 5545 §3.3.11): control characters dropped,
    /// line breaks, `\`, `;` and `,` escaped.
    pub(crate) fn text(&mut self, name: &'static str, text: &str) -> &mut Self {
        self.prop(Prop::new(name, escape_text(&ics_text(text))))
    }

    /// A property whose value needs no escaping (dates, rules, offsets).
    pub(crate) fn value(&mut self, name: &'static str, value: impl Into<String>) -> &mut Self {
        self.prop(Prop::new(name, value))
    }

    pub(crate) fn prop(&mut self, prop: Prop) -> &mut Self {
        self.props.push(prop);
        self
    }

    pub(crate) fn child(&mut self, child: Component) -> &mut Self {
        self.children.push(child);
        self
    }

    /// The whole component as RFC 5545 text.
    pub(crate) fn to_ics(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        content_line(out, &format!("BEGIN:{}", self.name));
        for prop in &self.props {
            let mut line = prop.name.to_owned();
            for (key, value) in &prop.params {
                // A DQUOTE cannot appear in a parameter value at all; a
                // quoted value may hold `:`, `;` and `,` (RFC 5545 §3.2).
                let value = value.replace('"', "");
                if value.contains([':', ';', ',']) {
                    line.push_str(&format!(";{key}=\"{value}\""));
                } else {
                    line.push_str(&format!(";{key}={value}"));
                }
            }
            line.push(':');
            line.push_str(&prop.value);
            content_line(out, &line);
        }
        for child in &self.children {
            child.write(out);
        }
        content_line(out, &format!("END:{}", self.name));
    }
}

/// A UTC DATE-TIME value (`20261203T173000Z`).
pub(crate) fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT values may not hold control characters (RFC 5545 §3.3.11) apart from
/// tab, and line breaks are written as `\n`: members paste text from
/// Windows, so a bare CR would otherwise end up raw inside a content line.
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// RFC 5545 §3.3.11: backslash first, so the escapes added next stay single.
fn escape_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Appends `line` folded as RFC 5545 §3.1 asks: at most 75 octets per
/// physical line, the leading space of a continuation included, and never
/// inside a UTF-8 sequence (clients that decode per line would show garbage).
pub(crate) fn content_line(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut budget = LIMIT;
    while rest.len() > budget {
        let mut cut = budget;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        budget = LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_holds_at_every_length_and_width() {
        for piece in ["a", "é", " é", "€", "😀 "] {
            for n in 60..200 {
                let text: String = piece.repeat(n).chars().take(n).collect();
                let mut out = String::new();
                content_line(&mut out, &text);
                let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
                assert!(physical.iter().all(|l| l.len() <= 75), "{piece:?} × {n}");
                let unfolded: String = physical
                    .iter()
                    .enumerate()
                    .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
                    .collect();
                assert_eq!(unfolded, text);
            }
        }
    }

    #[test]
    fn parameter_values_with_separators_are_quoted() {
        let mut c = Component::new("VEVENT");
        c.prop(Prop::new("X-A", "v").param("TZID", "Europe/Paris"))
            .prop(Prop::new("X-B", "v").param("CN", "Dupont, \"Jo\": A;B"));
        let ics = c.to_ics();
        assert!(ics.contains("X-A;TZID=Europe/Paris:v\r\n"), "{ics}");
        assert!(ics.contains("X-B;CN=\"Dupont, Jo: A;B\":v\r\n"), "{ics}");
    }
}
