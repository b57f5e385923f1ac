//! Discord's limits on every level of a definition: lengths, counts,
//! the characters of the whole command, the order of required options.

use super::fields::{check_choice_fields, check_command_fields, check_option_fields};
use super::*;

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
