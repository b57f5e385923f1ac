//! Replies as plain text: embed title, description and fields, buttons as
//! `[Label]`, a `(private)` mark, Discord markup made readable.

use chrono::{DateTime, Utc};

use super::World;
use crate::domain::{when, Lang};
use crate::reply::{Choice, Message, Modal};

/// Replaces `<t:…>`, `<@…>`, `<@&…>` and `<#…>` with readable text.
pub fn markup(text: &str, world: &World, lang: Lang, now: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find('>') else {
            out.push_str(tail);
            return out;
        };
        let inner = &tail[1..end];
        match readable(inner, world, lang, now) {
            Some(text) => out.push_str(&text),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

fn readable(inner: &str, world: &World, lang: Lang, now: DateTime<Utc>) -> Option<String> {
    if let Some(ts) = inner.strip_prefix("t:") {
        let (secs, style) = ts.split_once(':').unwrap_or((ts, "f"));
        let at = DateTime::from_timestamp(secs.parse().ok()?, 0)?;
        let tz = world.timezone;
        return Some(match style {
            "R" => relative(at, now, lang),
            "t" => at.with_timezone(&tz).format("%H:%M").to_string(),
            _ => when::describe(at, tz, lang),
        });
    }
    if let Some(id) = inner.strip_prefix("@&") {
        return Some(format!("@{}", world.role_name(id.parse().ok()?)));
    }
    if let Some(id) = inner.strip_prefix('@') {
        return Some(format!(
            "@{}",
            world.user_name(id.trim_start_matches('!').parse().ok()?)
        ));
    }
    if let Some(id) = inner.strip_prefix('#') {
        return Some(format!("#{}", world.channel_name(id.parse().ok()?)));
    }
    None
}

fn relative(at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let minutes = (at - now).num_minutes();
    let (n, unit_fr, unit_en) = match minutes.abs() {
        m if m >= 2 * 24 * 60 => (m / (24 * 60), "jours", "days"),
        m if m >= 120 => (m / 60, "heures", "hours"),
        m => (m, "minutes", "minutes"),
    };
    match (lang, minutes >= 0) {
        (Lang::Fr, true) => format!("dans {n} {unit_fr}"),
        (Lang::Fr, false) => format!("il y a {n} {unit_fr}"),
        (Lang::En, true) => format!("in {n} {unit_en}"),
        (Lang::En, false) => format!("{n} {unit_en} ago"),
    }
}

pub fn message(m: &Message, world: &World, lang: Lang, now: DateTime<Utc>) -> String {
    let mut lines = Vec::new();
    if m.private {
        lines.push("(private)".to_owned());
    }
    if let Some(content) = &m.content {
        lines.push(content.clone());
    }
    for embed in &m.embeds {
        if let Some(title) = &embed.title {
            lines.push(format!("== {title} =="));
        }
        if let Some(description) = &embed.description {
            lines.push(description.clone());
        }
        for field in &embed.fields {
            lines.push(format!("{}: {}", field.name, field.value));
        }
        if let Some(footer) = &embed.footer {
            lines.push(format!("-- {footer}"));
        }
    }
    if let Some(select) = &m.select {
        lines.push(format!("▾ {}", select.placeholder));
        for option in &select.options {
            let detail = option
                .description
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            lines.push(format!("  [{}]{detail}", option.label));
        }
    }
    for row in &m.rows {
        let buttons: Vec<String> = row
            .iter()
            .map(|b| {
                if b.disabled {
                    format!("[{} (off)]", b.label)
                } else {
                    format!("[{}]", b.label)
                }
            })
            .collect();
        lines.push(buttons.join(" "));
    }
    for file in &m.attachments {
        lines.push(format!("📎 {} ({} bytes)", file.filename, file.bytes.len()));
    }
    markup(&lines.join("\n"), world, lang, now)
}

pub fn modal(m: &Modal) -> String {
    let mut lines = vec![format!("(form) {}", m.title)];
    for input in &m.inputs {
        let mark = if input.required { " *" } else { "" };
        let value = input
            .value
            .as_deref()
            .map(|v| format!(" = \"{v}\""))
            .unwrap_or_default();
        lines.push(format!(
            "  {}{mark} — {} (≤{}){value}",
            input.custom_id, input.label, input.max_length
        ));
    }
    lines.push("  → :form name:\"…\" …".into());
    lines.join("\n")
}

pub fn choices(choices: &[Choice]) -> String {
    if choices.is_empty() {
        return "(no suggestions)".into();
    }
    choices
        .iter()
        .map(|c| format!("  • {} → {}", c.name, c.value))
        .collect::<Vec<_>>()
        .join("\n")
}
