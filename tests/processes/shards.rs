//! Shards over several processes (`rencontre run --shards FIRST-LAST/TOTAL`):
//! what a host mistypes is refused at start with one line that says what
//! to do, before anything is created or connected; and what processes
//! sharing a database coordinate through it — IDENTIFY turns per bucket,
//! and the leases of what one process does for all.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use rencontre::store::gateway::{lease, release, take_identify_turn, IDENTIFY_SPACING};

use crate::support;

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

/// Two pools on one database stand for two processes.
async fn two_processes(url: &str) -> (rencontre::store::Db, rencontre::store::Db) {
    let a = rencontre::store::connect(url).await.unwrap();
    let b = rencontre::store::connect(url).await.unwrap();
    (a, b)
}

#[tokio::test]
async fn identify_turns_are_spaced_per_bucket_whichever_process_asks() {
    let database = support::database::TestDatabase::new().await;
    let (a, b) = two_processes(&database.url).await;
    assert_eq!(
        take_identify_turn(&a, 0).await.unwrap(),
        None,
        "a first IDENTIFY goes at once"
    );
    let wait = take_identify_turn(&b, 0).await.unwrap();
    let wait = wait.expect("the other process waits for bucket 0");
    // What is left of the spacing: most of it, the first turn being a moment old.
    assert!(
        wait <= IDENTIFY_SPACING && wait > Duration::from_secs(3),
        "{wait:?}"
    );
    assert_eq!(take_identify_turn(&b, 1).await.unwrap(), None, "bucket 1 is free");

    // Many shards of bucket 2 asking at once, from both processes: one turn.
    let asks = (0..8).map(|i| {
        let pool = if i % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move { take_identify_turn(&pool, 2).await.unwrap() })
    });
    let mut granted = 0;
    for ask in asks {
        if ask.await.unwrap().is_none() {
            granted += 1;
        }
    }
    assert_eq!(granted, 1, "one IDENTIFY per bucket at a time");
}

#[tokio::test]
async fn a_lease_is_held_by_one_process_until_it_expires_or_is_given_back() {
    let database = support::database::TestDatabase::new().await;
    let (a, b) = two_processes(&database.url).await;
    let now = chrono::Utc::now();
    let minute = chrono::Duration::minutes(1);
    assert!(lease(&a, "register-commands", "a", now, minute).await.unwrap());
    assert!(
        !lease(&b, "register-commands", "b", now, minute).await.unwrap(),
        "held by a"
    );
    assert!(
        lease(&a, "register-commands", "a", now, minute).await.unwrap(),
        "a renews"
    );
    assert!(
        lease(&b, "sweep", "b", now, minute).await.unwrap(),
        "another lease is free"
    );
    // Expired: the next asker takes it.
    let later = now + chrono::Duration::minutes(2);
    assert!(lease(&b, "register-commands", "b", later, minute).await.unwrap());
    assert!(!lease(&a, "register-commands", "a", later, minute).await.unwrap());
    // Given back: taken at once.
    release(&b, "register-commands", "b").await.unwrap();
    assert!(lease(&a, "register-commands", "a", later, minute).await.unwrap());
}
