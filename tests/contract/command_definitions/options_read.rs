//! Every option a handler reads is declared in `commands/*.json`: a name
//! read but never declared is an option Discord never sends, a feature
//! silently off.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The accessors of `Options` and the field helpers that take an option name.
const READERS: [&str; 9] = [
    ".str(\"",
    ".int(\"",
    ".bool(\"",
    ".user(\"",
    ".channel(\"",
    ".role(\"",
    ".get(\"",
    "int_in(call, options, \"",
    "year_in(call, options, \"",
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Names of options (not subcommands or groups) anywhere in a definition.
fn declared(value: &Value, names: &mut BTreeSet<String>) {
    if let Some(options) = value["options"].as_array() {
        for option in options {
            match option["type"].as_u64() {
                Some(1 | 2) => declared(option, names),
                _ => {
                    names.insert(option["name"].as_str().unwrap_or_default().to_owned());
                }
            }
        }
    }
}

#[test]
fn every_option_a_handler_reads_is_declared() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("commands")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        declared(&serde_json::from_str(&text).unwrap(), &mut names);
    }
    let mut files = Vec::new();
    rust_files(&root.join("src/handlers"), &mut files);
    let mut read = 0;
    let mut undeclared = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for reader in READERS {
            for (at, _) in text.match_indices(reader) {
                let rest = &text[at + reader.len()..];
                let name = &rest[..rest.find('"').unwrap_or(0)];
                read += 1;
                if !names.contains(name) {
                    undeclared.push(format!("{}: {name}", file.display()));
                }
            }
        }
    }
    // The scan finds what it looks for (a change of the accessors' names
    // would otherwise make this test pass on nothing).
    assert!(read > 40, "only {read} option reads found");
    assert!(
        undeclared.is_empty(),
        "read but not in commands/*.json: {undeclared:#?}"
    );
}
