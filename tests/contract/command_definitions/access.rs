//! Where commands run and who sees them by default.

use super::*;

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
