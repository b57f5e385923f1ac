//! Contract test for `commands/*.json`, the application-command definitions
//! pushed to Discord by `rencontre register` (one file per top-level command,
//! each the JSON body Discord expects in a bulk-overwrite PUT).
//!
//! It checks that the files match `CommandName::ALL` one-to-one, that every
//! definition respects Discord's documented limits (Discord rejects the whole
//! bulk overwrite if one command is invalid), that everything carries a French
//! localization, and a few product decisions (guild-only, `setup` reserved to
//! Manage Server). This file loads and walks the definitions; the checks are
//! in `command_definitions/`, one file per kind of rule.

use rencontre::handlers::CommandName;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod access;
mod fields;
mod limits;
mod localizations;
mod names;
mod options_read;

// ---------------------------------------------------------------------------
// Discord's limits (https://discord.com/developers/docs/interactions/application-commands)

const MAX_NAME: usize = 32;
const MAX_DESCRIPTION: usize = 100;
const MAX_OPTIONS: usize = 25;
const MAX_CHOICES: usize = 25;
const MAX_CHOICE_NAME: usize = 100;
const MAX_CHOICE_STRING_VALUE: usize = 100;
const MAX_COMMAND_CHARS: usize = 8_000;
const MAX_CHAT_INPUT_COMMANDS: usize = 100;
const MAX_USER_COMMANDS: usize = 5;
const MAX_MESSAGE_COMMANDS: usize = 5;
const MAX_STRING_LENGTH: u64 = 6_000;
/// Integer options and choices must lie within ±2^53.
const MAX_SAFE_INTEGER: i64 = 1 << 53;

const CHAT_INPUT: u64 = 1;
const USER: u64 = 2;
const MESSAGE: u64 = 3;

const SUB_COMMAND: u64 = 1;
const SUB_COMMAND_GROUP: u64 = 2;
const STRING: u64 = 3;
const INTEGER: u64 = 4;
const CHANNEL: u64 = 7;
const NUMBER: u64 = 10;
const ATTACHMENT: u64 = 11;

/// Channel types Discord accepts in `channel_types`.
const CHANNEL_TYPES: [u64; 11] = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 15];

/// Locales Discord accepts as keys of `name_localizations` / `description_localizations`.
const DISCORD_LOCALES: [&str; 32] = [
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
    "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
    "zh-TW", "ko",
];

const COMMAND_KEYS: [&str; 11] = [
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "options",
    "default_member_permissions",
    "dm_permission",
    "nsfw",
    "contexts",
    "integration_types",
];
const OPTION_KEYS: [&str; 14] = [
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "required",
    "choices",
    "options",
    "channel_types",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "autocomplete",
];
const CHOICE_KEYS: [&str; 3] = ["name", "name_localizations", "value"];

// ---------------------------------------------------------------------------
// Loading

fn commands_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("commands")
}

/// Every entry of `commands/`, by file name, in name order.
fn dir_entries() -> BTreeSet<String> {
    let dir = commands_dir();
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

/// Every `commands/*.json`, parsed, by file name.
fn load_all() -> BTreeMap<String, Value> {
    let dir = commands_dir();
    dir_entries()
        .into_iter()
        .filter(|name| name.ends_with(".json"))
        .map(|name| {
            let path = dir.join(&name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("commands/{name}: cannot read: {e}"));
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("commands/{name}: invalid JSON: {e}"));
            (name, value)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Walking a definition

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Command,
    Group,
    Subcommand,
    Option,
    Choice,
}

/// One command, subcommand group, subcommand, option or choice of a file.
struct Node<'a> {
    /// "commands/event.json › event › create › title", for messages.
    path: String,
    kind: Kind,
    /// The top-level command's `type` (1 chat input, 2 user, 3 message).
    command_type: u64,
    /// For an option: its type; for a choice: its option's type.
    option_type: u64,
    value: &'a Value,
}

impl Node<'_> {
    /// Names of chat-input commands, subcommands and options follow the
    /// lowercase name regex; context-menu names may have spaces and capitals.
    fn strict_names(&self) -> bool {
        self.command_type == CHAT_INPUT && self.kind != Kind::Choice
    }

    fn max_name(&self) -> usize {
        if self.kind == Kind::Choice {
            MAX_CHOICE_NAME
        } else {
            MAX_NAME
        }
    }

    /// Whether it carries a description (everything but choices and context menus).
    fn has_description(&self) -> bool {
        self.kind != Kind::Choice && self.command_type == CHAT_INPUT
    }

    /// Its `options` array (commands, groups and subcommands), or empty.
    fn options(&self) -> &[Value] {
        self.value
            .get("options")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

fn nodes<'a>(file: &str, command: &'a Value) -> Vec<Node<'a>> {
    let command_type = command.get("type").and_then(Value::as_u64).unwrap_or(CHAT_INPUT);
    let path = format!("commands/{file} › {}", label(command));
    let mut out = vec![Node {
        path: path.clone(),
        kind: Kind::Command,
        command_type,
        option_type: 0,
        value: command,
    }];
    walk_options(&mut out, command_type, &path, command);
    out
}

fn walk_options<'a>(out: &mut Vec<Node<'a>>, command_type: u64, parent: &str, parent_value: &'a Value) {
    let Some(options) = parent_value.get("options").and_then(Value::as_array) else {
        return;
    };
    for option in options {
        let option_type = option.get("type").and_then(Value::as_u64).unwrap_or(0);
        let kind = match option_type {
            SUB_COMMAND => Kind::Subcommand,
            SUB_COMMAND_GROUP => Kind::Group,
            _ => Kind::Option,
        };
        let path = format!("{parent} › {}", label(option));
        out.push(Node {
            path: path.clone(),
            kind,
            command_type,
            option_type,
            value: option,
        });
        if let Some(choices) = option.get("choices").and_then(Value::as_array) {
            for choice in choices {
                let value = choice.get("value").map_or("?".to_string(), Value::to_string);
                out.push(Node {
                    path: format!("{path} › choice {value}"),
                    kind: Kind::Choice,
                    command_type,
                    option_type,
                    value: choice,
                });
            }
        }
        walk_options(out, command_type, &path, option);
    }
}

fn label(value: &Value) -> String {
    match value.get("name").and_then(Value::as_str) {
        Some(name) => name.to_string(),
        None => "<no name>".to_string(),
    }
}

fn all_nodes(files: &BTreeMap<String, Value>) -> Vec<Node<'_>> {
    files
        .iter()
        .flat_map(|(file, command)| nodes(file, command))
        .collect()
}

// ---------------------------------------------------------------------------
// Rules shared by English names and their localizations

/// Discord's `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lowercase where a
/// letter has a lowercase form.
fn name_problem(name: &str, strict: bool, max: usize) -> Option<String> {
    let len = name.chars().count();
    if len == 0 || len > max {
        return Some(format!("{name:?} is {len} chars (must be 1–{max})"));
    }
    if name.trim() != name {
        return Some(format!("{name:?} has leading or trailing whitespace"));
    }
    if strict {
        for c in name.chars() {
            if !(c == '-' || c == '_' || c.is_alphanumeric()) {
                return Some(format!(
                    "{name:?} contains {c:?} (only letters, digits, '-' and '_' are allowed)"
                ));
            }
            if !c.to_lowercase().eq(std::iter::once(c)) {
                return Some(format!("{name:?} contains {c:?}, which is not lowercase"));
            }
        }
    }
    None
}

fn description_problem(description: &str) -> Option<String> {
    let len = description.chars().count();
    if len == 0 || len > MAX_DESCRIPTION {
        return Some(format!(
            "description {description:?} is {len} chars (must be 1–{MAX_DESCRIPTION})"
        ));
    }
    None
}

/// The localizations map under `key`, if present and not null.
fn localizations<'a>(value: &'a Value, key: &str) -> Option<&'a serde_json::Map<String, Value>> {
    value.get(key).and_then(Value::as_object)
}

fn french<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    localizations(value, key)
        .and_then(|map| map.get("fr"))
        .and_then(Value::as_str)
}

fn is_integer(value: &Value) -> bool {
    value
        .as_i64()
        .is_some_and(|n| (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n))
}

fn is_number(value: &Value) -> bool {
    value.as_f64().is_some_and(|n| n.abs() <= MAX_SAFE_INTEGER as f64)
}

fn check(errors: &mut Vec<String>, path: &str, problem: Option<String>) {
    if let Some(problem) = problem {
        errors.push(format!("{path}: {problem}"));
    }
}

fn assert_no_errors(what: &str, errors: Vec<String>) {
    assert!(
        errors.is_empty(),
        "{what}: {} problem(s):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
}

/// Characters Discord counts toward a command's 8,000: names, descriptions,
/// choice names and values, every localization included.
fn counted_chars(value: &Value) -> usize {
    let mut total = 0;
    if let Some(object) = value.as_object() {
        for (key, field) in object {
            match (key.as_str(), field) {
                ("name" | "description", Value::String(s)) => total += s.chars().count(),
                ("value", Value::String(s)) => total += s.chars().count(),
                ("value", Value::Number(n)) => total += n.to_string().chars().count(),
                ("name_localizations" | "description_localizations", Value::Object(map)) => {
                    total += map
                        .values()
                        .filter_map(Value::as_str)
                        .map(|s| s.chars().count())
                        .sum::<usize>()
                }
                ("options" | "choices", Value::Array(items)) => {
                    total += items.iter().map(counted_chars).sum::<usize>()
                }
                _ => {}
            }
        }
    }
    total
}
