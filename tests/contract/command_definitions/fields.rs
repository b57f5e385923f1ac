//! The fields Discord accepts on a command, an option and a choice, with
//! the types and values each may hold.

use super::*;

pub(super) fn check_command_fields(errors: &mut Vec<String>, node: &Node<'_>) {
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

pub(super) fn check_option_fields(errors: &mut Vec<String>, node: &Node<'_>) {
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

pub(super) fn check_choice_fields(errors: &mut Vec<String>, node: &Node<'_>) {
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
