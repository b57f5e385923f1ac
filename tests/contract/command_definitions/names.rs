//! One definition file per command, the subcommands the handlers dispatch
//! on, and names that cannot collide.

use super::*;

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
