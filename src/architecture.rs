//! The house rules of ARCHITECTURE.md that a machine can check: SQL only in
//! `store/`, serenity only in `discord/`, `domain/` free of the application,
//! `views/` free of I/O, command modules used only by the front-ends.
//! A scan of the source, line by line, comments left out.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `(file under src/, line number, code)` of every line outside comments.
fn code_lines() -> Vec<(String, usize, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut lines = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default().trim();
            if !code.is_empty() {
                lines.push((name.clone(), number + 1, code.to_owned()));
            }
        }
    }
    assert!(lines.len() > 10_000, "the scan found the source");
    lines
}

fn offenders(allowed: impl Fn(&str) -> bool, forbidden: &[&str]) -> Vec<String> {
    code_lines()
        .into_iter()
        .filter(|(file, _, code)| !allowed(file) && forbidden.iter().any(|f| code.contains(f)))
        .map(|(file, number, code)| format!("src/{file}:{number}: {code}"))
        .collect()
}

#[test]
fn sql_is_written_only_in_the_store() {
    let found = offenders(
        |file| file.starts_with("store/") || file == "architecture.rs",
        &["sqlx::query", "query_scalar(", "query_as("],
    );
    assert!(found.is_empty(), "SQL outside src/store: {found:#?}");
}

/// A transaction that outlives one store call would hold the write lock
/// while a handler thinks (and, on SQLite, keep every click waiting): a
/// read-decide-write is one store function that takes the decision as a
/// plain function (`store::event_change`).
#[test]
fn transactions_are_opened_only_in_the_store() {
    let found = offenders(
        |file| file.starts_with("store/") || file == "architecture.rs",
        &["begin_write", ".begin()", "begin_with("],
    );
    assert!(
        found.is_empty(),
        "a transaction opened outside src/store: {found:#?}"
    );
}

#[test]
fn serenity_is_named_only_in_the_discord_front_end() {
    let found = offenders(
        |file| file.starts_with("discord/") || file == "architecture.rs",
        &["serenity::", "use serenity"],
    );
    assert!(found.is_empty(), "serenity outside src/discord: {found:#?}");
}

#[test]
fn the_domain_imports_nothing_of_the_application() {
    let found = offenders(
        |file| !file.starts_with("domain/"),
        &[
            "crate::store",
            "crate::handlers",
            "crate::discord",
            "crate::delivery",
            "crate::jobs",
            "crate::state",
            "crate::http",
            "crate::console",
        ],
    );
    assert!(
        found.is_empty(),
        "domain/ reaching into the application: {found:#?}"
    );
}

#[test]
fn views_only_draw() {
    // A view may name a stored value's type (it draws it as it is) but
    // reads nothing and runs nothing: no `async`, no state, no front-end.
    let found = offenders(
        |file| !file.starts_with("views/"),
        &[
            "async fn",
            ".await",
            "crate::handlers",
            "crate::discord",
            "crate::delivery",
            "crate::jobs",
            "crate::state",
            "crate::http",
            "crate::console",
        ],
    );
    assert!(found.is_empty(), "views/ doing more than drawing: {found:#?}");
}

#[test]
fn command_modules_are_reached_only_through_the_front_ends() {
    // Jobs, delivery, views and the web answer no interaction: what they
    // share with a command (a card, a notice, an event's rules) lives in
    // views/ or domain/, not in the command's module.
    let found = offenders(
        |file| {
            !(file.starts_with("jobs")
                || file.starts_with("delivery")
                || file.starts_with("views/")
                || file.starts_with("http"))
        },
        &["crate::handlers"],
    );
    assert!(
        found.is_empty(),
        "a command module used outside the front-ends: {found:#?}"
    );
}
