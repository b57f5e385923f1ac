//! Contract test for `commands/*.json`, the application-command definitions
//! pushed to Discord by `rencontre register` (one file per top-level command,
//! each the JSON body Discord expects in a bulk-overwrite PUT).
//!
//! It checks that the files match `CommandName::ALL` one-to-one, that every
//! definition respects Discord's documented limits (Discord rejects the whole
//! bulk overwrite if one command is invalid), that everything carries a French
//! localization, and a few product decisions (guild-only, `setup` reserved to
//! Manage Server).

use rencontre::handlers::CommandName;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

// ---------------------------------------------------------------------------
// 1. Files ↔ CommandName::ALL

#[test]
fn command_files_match_command_names_one_to_one() {
    let entries = dir_entries();
    let mut errors = Vec::new();
    let mut expected = BTreeSet::new();

    for command in CommandName::ALL {
        let name = command.as_str();
        let file = format!("{}.json", name.to_lowercase());
        if !expected.insert(file.clone()) {
            errors.push(format!(
                "CommandName::{command:?}: another variant also maps to commands/{file}"
            ));
            continue;
        }
        if !entries.contains(&file) {
            errors.push(format!("CommandName::{command:?}: commands/{file} is missing"));
            continue;
        }
        let text = std::fs::read_to_string(commands_dir().join(&file))
            .unwrap_or_else(|e| panic!("commands/{file}: cannot read: {e}"));
        match serde_json::from_str::<Value>(&text) {
            Err(e) => errors.push(format!("commands/{file}: invalid JSON: {e}")),
            Ok(value) => match value.get("name").and_then(Value::as_str) {
                Some(found) if found == name => {}
                found => errors.push(format!(
                    "commands/{file}: \"name\" is {found:?}, expected {name:?} (CommandName::{command:?}.as_str())"
                )),
            },
        }
    }
    for entry in entries.difference(&expected) {
        errors.push(format!(
            "commands/{entry}: no CommandName variant matches it (expected exactly {expected:?})"
        ));
    }
    assert_no_errors("commands/ does not match CommandName::ALL", errors);
}

/// The subcommands each file registers are exactly those the handlers
/// dispatch on (`CommandName::subcommands`, from the typed enums), in both
/// directions: a registered subcommand nobody handles would answer "bad
/// invocation" to every member who picks it.
#[test]
fn subcommands_match_the_typed_enums_one_to_one() {
    let files = load_all();
    let mut errors = Vec::new();
    for command in CommandName::ALL {
        let file = format!("{}.json", command.as_str().to_lowercase());
        let Some(definition) = files.get(&file) else {
            continue; // reported by command_files_match_command_names_one_to_one
        };
        let registered: BTreeSet<&str> = definition
            .get("options")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|option| option.get("type").and_then(Value::as_u64) == Some(1))
            .filter_map(|option| option.get("name").and_then(Value::as_str))
            .collect();
        let handled: BTreeSet<&str> = command.subcommands().into_iter().collect();
        for missing in handled.difference(&registered) {
            errors.push(format!(
                "commands/{file}: no subcommand {missing:?}, which the handlers dispatch on"
            ));
        }
        for extra in registered.difference(&handled) {
            errors.push(format!(
                "commands/{file}: subcommand {extra:?} has no variant in its typed enum"
            ));
        }
    }
    assert_no_errors("subcommands do not match the typed enums", errors);
}

// ---------------------------------------------------------------------------
// 2. Discord's limits

#[test]
fn definitions_respect_discord_limits() {
    let files = load_all();
    let mut errors = Vec::new();

    // Per-application limits, and uniqueness of (type, name).
    let mut per_type: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (file, command) in &files {
        if !command.is_object() {
            errors.push(format!("commands/{file}: must be one JSON object (one command)"));
            continue;
        }
        let command_type = command.get("type").and_then(Value::as_u64).unwrap_or(0);
        let names = per_type.entry(command_type).or_default();
        names.push(label(command));
        // Localized command names must not collide either.
        if let Some(map) = localizations(command, "name_localizations") {
            for (locale, name) in map {
                if let Some(name) = name.as_str() {
                    names.push(format!("{locale}:{name}"));
                }
            }
        }
    }
    for (command_type, names) in &per_type {
        let max = match *command_type {
            CHAT_INPUT => MAX_CHAT_INPUT_COMMANDS,
            USER => MAX_USER_COMMANDS,
            MESSAGE => MAX_MESSAGE_COMMANDS,
            _ => 0,
        };
        let count = names.iter().filter(|n| !n.contains(':')).count();
        if count > max {
            errors.push(format!("{count} commands of type {command_type} (max {max})"));
        }
        let unique: BTreeSet<_> = names.iter().collect();
        if unique.len() != names.len() {
            errors.push(format!(
                "duplicate command names among type {command_type}: {names:?}"
            ));
        }
    }

    for (file, command) in &files {
        if !command.is_object() {
            continue;
        }
        let chars = counted_chars(command);
        if chars > MAX_COMMAND_CHARS {
            errors.push(format!(
                "commands/{file}: {chars} characters in names, descriptions and choices (max {MAX_COMMAND_CHARS})"
            ));
        }
        for node in nodes(file, command) {
            check_node_limits(&mut errors, &node);
        }
    }
    assert_no_errors("definitions break Discord's limits", errors);
}

fn check_node_limits(errors: &mut Vec<String>, node: &Node<'_>) {
    let path = node.path.as_str();
    let value = node.value;
    let Some(object) = value.as_object() else {
        errors.push(format!("{path}: must be a JSON object"));
        return;
    };

    // Only fields Discord knows (a typo such as "name_localisations" would be ignored silently).
    let known: &[&str] = match node.kind {
        Kind::Command => &COMMAND_KEYS,
        Kind::Choice => &CHOICE_KEYS,
        _ => &OPTION_KEYS,
    };
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            errors.push(format!("{path}: unknown field {key:?}"));
        }
    }

    // Name.
    match value.get("name").and_then(Value::as_str) {
        Some(name) => check(
            errors,
            path,
            name_problem(name, node.strict_names(), node.max_name()),
        ),
        None => errors.push(format!("{path}: \"name\" must be a string")),
    }

    // Localization maps: known locales, string values.
    for key in ["name_localizations", "description_localizations"] {
        match value.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (locale, text) in map {
                    if !DISCORD_LOCALES.contains(&locale.as_str()) {
                        errors.push(format!("{path}: {key} has unknown locale {locale:?}"));
                    }
                    if !text.is_string() {
                        errors.push(format!("{path}: {key}.{locale} must be a string"));
                    }
                }
            }
            Some(_) => errors.push(format!("{path}: {key} must be an object")),
        }
    }

    // Description.
    if node.kind != Kind::Choice {
        let description = value.get("description");
        if node.has_description() {
            match description.and_then(Value::as_str) {
                Some(text) => check(errors, path, description_problem(text)),
                None => errors.push(format!("{path}: \"description\" must be a string")),
            }
        } else {
            // Context menus: description empty or absent, and no localized descriptions.
            if !matches!(description, None | Some(Value::Null))
                && description.and_then(Value::as_str) != Some("")
            {
                errors.push(format!(
                    "{path}: a context-menu command must have an empty description"
                ));
            }
            if let Some(map) = localizations(value, "description_localizations") {
                if map.values().any(|v| v.as_str() != Some("")) {
                    errors.push(format!(
                        "{path}: a context-menu command cannot have localized descriptions"
                    ));
                }
            }
        }
    }

    match node.kind {
        Kind::Command => check_command_fields(errors, node),
        Kind::Group | Kind::Subcommand | Kind::Option => check_option_fields(errors, node),
        Kind::Choice => check_choice_fields(errors, node),
    }

    if matches!(node.kind, Kind::Command | Kind::Group | Kind::Subcommand) {
        check_level(errors, node);
    }
}

fn check_command_fields(errors: &mut Vec<String>, node: &Node<'_>) {
    let path = node.path.as_str();
    let value = node.value;
    match value.get("type").and_then(Value::as_u64) {
        Some(CHAT_INPUT | USER | MESSAGE) => {}
        other => errors.push(format!("{path}: \"type\" is {other:?}, must be 1, 2 or 3")),
    }
    if node.command_type != CHAT_INPUT && !node.options().is_empty() {
        errors.push(format!("{path}: a context-menu command cannot have options"));
    }
    match value.get("default_member_permissions") {
        None | Some(Value::Null) => {}
        Some(Value::String(bits)) if !bits.is_empty() && bits.chars().all(|c| c.is_ascii_digit()) => {}
        Some(other) => errors.push(format!(
            "{path}: default_member_permissions {other} must be a string of decimal digits"
        )),
    }
    for key in ["dm_permission", "nsfw"] {
        if !matches!(value.get(key), None | Some(Value::Null) | Some(Value::Bool(_))) {
            errors.push(format!("{path}: {key} must be a boolean"));
        }
    }
    if let Some(contexts) = value.get("contexts").filter(|v| !v.is_null()) {
        let ok = contexts
            .as_array()
            .is_some_and(|a| a.iter().all(|c| matches!(c.as_u64(), Some(0..=2))));
        if !ok {
            errors.push(format!("{path}: contexts must be an array of 0, 1, 2"));
        }
    }
    if let Some(types) = value.get("integration_types").filter(|v| !v.is_null()) {
        let ok = types
            .as_array()
            .is_some_and(|a| a.iter().all(|c| matches!(c.as_u64(), Some(0..=1))));
        if !ok {
            errors.push(format!("{path}: integration_types must be an array of 0, 1"));
        }
    }
}

fn check_option_fields(errors: &mut Vec<String>, node: &Node<'_>) {
    let path = node.path.as_str();
    let value = node.value;
    let option_type = node.option_type;
    if !(SUB_COMMAND..=ATTACHMENT).contains(&option_type) {
        errors.push(format!("{path}: option \"type\" must be 1–11"));
    }
    let has = |key: &str| !matches!(value.get(key), None | Some(Value::Null));
    let is_structural = matches!(node.kind, Kind::Group | Kind::Subcommand);

    if has("required") && (is_structural || !value["required"].is_boolean()) {
        errors.push(format!(
            "{path}: \"required\" must be a boolean, and only on plain options"
        ));
    }
    if has("options") && !is_structural {
        errors.push(format!("{path}: only subcommands and groups can have options"));
    }

    // Choices.
    if let Some(choices) = value.get("choices").filter(|v| !v.is_null()) {
        if !matches!(option_type, STRING | INTEGER | NUMBER) {
            errors.push(format!(
                "{path}: choices are only allowed on STRING, INTEGER and NUMBER options"
            ));
        }
        match choices.as_array() {
            None => errors.push(format!("{path}: choices must be an array")),
            Some(choices) => {
                if choices.is_empty() || choices.len() > MAX_CHOICES {
                    errors.push(format!(
                        "{path}: {} choices (must be 1–{MAX_CHOICES})",
                        choices.len()
                    ));
                }
                let values: Vec<String> = choices
                    .iter()
                    .filter_map(|c| c.get("value"))
                    .map(Value::to_string)
                    .collect();
                let unique: BTreeSet<_> = values.iter().collect();
                if unique.len() != values.len() {
                    errors.push(format!("{path}: duplicate choice values {values:?}"));
                }
                let names: Vec<&str> = choices
                    .iter()
                    .filter_map(|c| c.get("name"))
                    .filter_map(Value::as_str)
                    .collect();
                let unique: BTreeSet<_> = names.iter().collect();
                if unique.len() != names.len() {
                    errors.push(format!("{path}: duplicate choice names {names:?}"));
                }
            }
        }
    }

    // Autocomplete.
    match value.get("autocomplete") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            if !matches!(option_type, STRING | INTEGER | NUMBER) {
                errors.push(format!(
                    "{path}: autocomplete is only allowed on STRING, INTEGER and NUMBER options"
                ));
            }
            if value
                .get("choices")
                .and_then(Value::as_array)
                .is_some_and(|c| !c.is_empty())
            {
                errors.push(format!("{path}: autocomplete cannot be combined with choices"));
            }
        }
        Some(_) => errors.push(format!("{path}: autocomplete must be a boolean")),
    }

    // Numeric bounds.
    let numeric = |key: &str| value.get(key).filter(|v| !v.is_null());
    let (min_value, max_value) = (numeric("min_value"), numeric("max_value"));
    for (key, bound) in [("min_value", min_value), ("max_value", max_value)] {
        if let Some(bound) = bound {
            match option_type {
                INTEGER if is_integer(bound) => {}
                NUMBER if is_number(bound) => {}
                INTEGER | NUMBER => errors.push(format!(
                    "{path}: {key} {bound} is not a valid value for this option type"
                )),
                _ => errors.push(format!(
                    "{path}: {key} is only allowed on INTEGER and NUMBER options"
                )),
            }
        }
    }
    if let (Some(min), Some(max)) = (
        min_value.and_then(Value::as_f64),
        max_value.and_then(Value::as_f64),
    ) {
        if min > max {
            errors.push(format!("{path}: min_value {min} is above max_value {max}"));
        }
    }

    // String lengths.
    let (min_length, max_length) = (numeric("min_length"), numeric("max_length"));
    for (key, bound, lowest) in [("min_length", min_length, 0), ("max_length", max_length, 1)] {
        if let Some(bound) = bound {
            if option_type != STRING {
                errors.push(format!("{path}: {key} is only allowed on STRING options"));
            }
            if !bound
                .as_u64()
                .is_some_and(|n| (lowest..=MAX_STRING_LENGTH).contains(&n))
            {
                errors.push(format!(
                    "{path}: {key} {bound} must be {lowest}–{MAX_STRING_LENGTH}"
                ));
            }
        }
    }
    if let (Some(min), Some(max)) = (
        min_length.and_then(Value::as_u64),
        max_length.and_then(Value::as_u64),
    ) {
        if min > max {
            errors.push(format!("{path}: min_length {min} is above max_length {max}"));
        }
    }

    // Channel types.
    if let Some(types) = value.get("channel_types").filter(|v| !v.is_null()) {
        if option_type != CHANNEL {
            errors.push(format!(
                "{path}: channel_types is only allowed on CHANNEL options"
            ));
        }
        let ok = types.as_array().is_some_and(|a| {
            !a.is_empty()
                && a.iter()
                    .all(|t| t.as_u64().is_some_and(|t| CHANNEL_TYPES.contains(&t)))
        });
        if !ok {
            errors.push(format!(
                "{path}: channel_types {types} must be a non-empty array of channel types"
            ));
        }
    }
}

fn check_choice_fields(errors: &mut Vec<String>, node: &Node<'_>) {
    let path = node.path.as_str();
    match (node.option_type, node.value.get("value")) {
        (STRING, Some(Value::String(s))) => {
            let len = s.chars().count();
            if len > MAX_CHOICE_STRING_VALUE {
                errors.push(format!(
                    "{path}: string value is {len} chars (max {MAX_CHOICE_STRING_VALUE})"
                ));
            }
        }
        (INTEGER, Some(v)) if is_integer(v) => {}
        (NUMBER, Some(v)) if is_number(v) => {}
        (_, v) => errors.push(format!("{path}: value {v:?} does not match the option's type")),
    }
}

/// One level of options: a command's, a group's or a subcommand's.
fn check_level(errors: &mut Vec<String>, node: &Node<'_>) {
    let path = node.path.as_str();
    if !matches!(
        node.value.get("options"),
        None | Some(Value::Null) | Some(Value::Array(_))
    ) {
        errors.push(format!("{path}: options must be an array"));
        return;
    }
    let options = node.options();
    if options.len() > MAX_OPTIONS {
        errors.push(format!("{path}: {} options (max {MAX_OPTIONS})", options.len()));
    }

    let types: Vec<u64> = options
        .iter()
        .map(|o| o.get("type").and_then(Value::as_u64).unwrap_or(0))
        .collect();
    let structural = types
        .iter()
        .filter(|t| matches!(**t, SUB_COMMAND | SUB_COMMAND_GROUP))
        .count();
    match node.kind {
        Kind::Command if structural != 0 && structural != options.len() => errors.push(format!(
            "{path}: subcommands cannot be mixed with plain options at the same level"
        )),
        Kind::Group if types.iter().any(|t| *t != SUB_COMMAND) => {
            errors.push(format!("{path}: a subcommand group may only contain subcommands"))
        }
        Kind::Subcommand if structural != 0 => errors.push(format!(
            "{path}: a subcommand cannot contain subcommands or groups"
        )),
        _ => {}
    }
    if matches!(node.kind, Kind::Group) && options.is_empty() {
        errors.push(format!(
            "{path}: a subcommand group needs at least one subcommand"
        ));
    }

    // Required options come first.
    let mut seen_optional: Option<String> = None;
    for option in options {
        let required = option.get("required").and_then(Value::as_bool).unwrap_or(false);
        match (&seen_optional, required) {
            (Some(optional), true) => errors.push(format!(
                "{path}: required option {:?} comes after optional option {optional:?}",
                label(option)
            )),
            (None, false) => seen_optional = Some(label(option)),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// 3. French everywhere

#[test]
fn everything_is_localized_in_french() {
    let files = load_all();
    let mut errors = Vec::new();
    for node in all_nodes(&files) {
        let path = node.path.as_str();
        match french(node.value, "name_localizations") {
            Some(fr) if !fr.trim().is_empty() => check(
                &mut errors,
                &format!("{path} (name_localizations.fr)"),
                name_problem(fr, node.strict_names(), node.max_name()),
            ),
            _ => errors.push(format!("{path}: missing or empty name_localizations.fr")),
        }
        if node.has_description() {
            match french(node.value, "description_localizations") {
                Some(fr) if !fr.trim().is_empty() => check(
                    &mut errors,
                    &format!("{path} (description_localizations.fr)"),
                    description_problem(fr),
                ),
                _ => errors.push(format!("{path}: missing or empty description_localizations.fr")),
            }
        }
    }
    assert_no_errors("French localizations are missing or invalid", errors);
}

// ---------------------------------------------------------------------------
// 4. Unique names per level, guild-only, `setup` for Manage Server

#[test]
fn option_names_are_unique_within_each_level() {
    let files = load_all();
    let mut errors = Vec::new();
    for node in all_nodes(&files) {
        if !matches!(node.kind, Kind::Command | Kind::Group | Kind::Subcommand) {
            continue;
        }
        // Localized names must be unique too: users type them.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for option in node.options() {
            let mut names = vec![("name".to_string(), label(option))];
            if let Some(map) = localizations(option, "name_localizations") {
                for (locale, name) in map {
                    if let Some(name) = name.as_str() {
                        names.push((format!("name_localizations.{locale}"), name.to_string()));
                    }
                }
            }
            for (field, name) in names {
                let key = format!("{field} {name}");
                if let Some(first) = seen.insert(key, label(option)) {
                    errors.push(format!(
                        "{}: {field} {name:?} is used by both {first:?} and {:?}",
                        node.path,
                        label(option)
                    ));
                }
            }
        }
    }
    assert_no_errors("option names are not unique", errors);
}

#[test]
fn commands_are_guild_only_but_privacy_and_setup_needs_manage_server() {
    let files = load_all();
    let mut errors = Vec::new();
    for (file, command) in &files {
        // `/privacy` also works in a DM with the bot, so someone who left
        // every server can still export or erase their data.
        let contexts = if file == "privacy.json" {
            serde_json::json!([0, 1])
        } else {
            serde_json::json!([0])
        };
        for (key, expected) in [
            ("contexts", contexts),
            ("integration_types", serde_json::json!([0])),
        ] {
            if command.get(key) != Some(&expected) {
                errors.push(format!(
                    "commands/{file}: {key} is {:?}, expected {expected} (guild install; guild only but /privacy)",
                    command.get(key)
                ));
            }
        }
    }
    match files.get("setup.json") {
        None => errors.push("commands/setup.json is missing".to_string()),
        Some(setup) => {
            let permissions = setup.get("default_member_permissions");
            if permissions.and_then(Value::as_str) != Some("32") {
                errors.push(format!(
                    "commands/setup.json: default_member_permissions is {permissions:?}, expected \"32\" (Manage Server)"
                ));
            }
        }
    }
    assert_no_errors("command visibility is wrong", errors);
}
