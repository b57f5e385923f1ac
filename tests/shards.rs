//! Shards over several processes (`rencontre run --shards FIRST-LAST/TOTAL`):
//! what a host mistypes is refused at start with one line that says what
//! to do, before anything is created or connected.

use std::process::{Command, Output, Stdio};

/// `rencontre run` with these arguments and variables, on a SQLite file in
/// a fresh folder (never created when the start is refused).
fn run(args: &[&str], vars: &[(&str, &str)]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .arg("run")
        .args(args)
        .current_dir(dir.path())
        .env("DISCORD_TOKEN", "fake")
        // Nothing listens there: a start that got this far would fail on it.
        .env("DISCORD_PROXY", "http://127.0.0.1:9")
        .env("DATABASE_URL", "sqlite://rencontre.db")
        .env_remove("RENCONTRE_SHARDS")
        .envs(vars.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (out, dir)
}

fn refused(out: &Output) -> String {
    assert!(!out.status.success(), "the start was refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_shard_range_with_sqlite_is_refused_before_the_database_is_created() {
    let (out, dir) = run(&["--shards", "0-1/4"], &[]);
    let said = refused(&out);
    assert!(
        said.contains("--shards 0-1/4") && said.contains("PostgreSQL"),
        "{said}"
    );
    assert!(!dir.path().join("rencontre.db").exists(), "nothing was created");

    let (out, _) = run(&[], &[("RENCONTRE_SHARDS", "2/4")]);
    let said = refused(&out);
    assert!(
        said.contains("--shards 2-2/4") && said.contains("postgres://"),
        "{said}"
    );
}

#[test]
fn ranges_outside_the_total_or_empty_are_refused_with_what_is_wrong() {
    let (out, _) = run(&["--shards", "0-4/4"], &[]);
    let said = refused(&out);
    assert!(said.contains("numbered 0 to 3 of 4"), "{said}");

    let (out, _) = run(&["--shards", "3-1/4"], &[]);
    assert!(refused(&out).contains("is empty"));

    let (out, _) = run(&[], &[("RENCONTRE_SHARDS", "0-1")]);
    let said = refused(&out);
    assert!(
        said.contains("RENCONTRE_SHARDS") && said.contains("expected FIRST-LAST/TOTAL"),
        "{said}"
    );

    let (out, _) = run(&["--shards", "0/0"], &[]);
    assert!(refused(&out).contains("TOTAL must be 1 or more"));
}
