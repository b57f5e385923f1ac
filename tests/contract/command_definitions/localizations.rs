//! French everywhere: every name and description has its French localization.

use super::*;

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
