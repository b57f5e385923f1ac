//! `rencontre copy` (issue 15, point 4): a seeded SQLite deployment copied
//! into a fresh PostgreSQL database keeps every stored value of every
//! table, ids included; the next insert gets a fresh id; a non-empty target
//! is refused with nothing changed; the command prints one line per table
//! and names the host, never the password, when the target is unreachable.
//!
//! Needs a PostgreSQL server: `RENCONTRE_TEST_POSTGRES=postgres://user@host/db`,
//! a role that may create databases; each test creates its own `copy_…`
//! databases and drops them.
#![cfg(postgres_tests)]

// A test crate's modules live beside it: this one's, in copy/.
mod databases;
mod rows;
mod seed;

use std::collections::BTreeMap;

use chrono::Duration;
use databases::with_databases;
use rencontre::store::{self, Db};
use rows::{assert_same_rows, data_tables};
use seed::{now, seeded_sqlite, sqlite_pool, GUILD, ORGANIZER};
use sqlx::AssertSqlSafe;

#[tokio::test]
async fn copy_keeps_every_value_of_every_table_and_refuses_a_non_empty_target() {
    with_databases(1, |urls| async move {
        let dir = tempfile::tempdir().unwrap();
        let (source, _) = seeded_sqlite(&dir).await;
        let target = store::connect(&urls[0]).await.unwrap();
        let summary = store::copy::copy(&source, &target).await.unwrap();

        let sqlite = sqlite_pool(&source).unwrap();
        let Db::Postgres(pg) = &target else { unreachable!() };
        let mut counts = assert_same_rows(sqlite, pg).await;
        // The answers' counts were compared above like any table: PostgreSQL's
        // triggers computed them from the copied answers, so they are not copied.
        for kept in store::copy::KEPT_BY_TRIGGERS {
            assert!(
                counts.remove(*kept).is_some_and(|rows| rows > 0),
                "{kept} compared, with rows"
            );
        }
        // Every other table of the SQLite schema is copied, and each held
        // rows, so each comparison above compared values.
        let copied: BTreeMap<String, usize> = summary
            .tables
            .iter()
            .map(|(t, n)| (t.clone(), *n as usize))
            .collect();
        assert_eq!(
            copied, counts,
            "the summary names every SQLite table with its rows"
        );
        let empty: Vec<&String> = counts.iter().filter(|(_, n)| **n == 0).map(|(t, _)| t).collect();
        assert!(
            empty.is_empty(),
            "the seed left tables empty, their copy is untested: {empty:?}"
        );
        assert_eq!(summary.total() as usize, counts.values().sum::<usize>());

        // Sequences past the highest id, and past the deleted newest event.
        let last_event: i64 = sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
            .fetch_one(sqlite)
            .await
            .unwrap();
        let fields = rencontre::domain::event::EventFields {
            title: "Après la copie".into(),
            description: None,
            location: None,
            starts_at: now() + Duration::days(1),
            ends_at: now() + Duration::days(1) + Duration::hours(1),
            capacity: None,
            rsvp_deadline: None,
            restricted_role: None,
            channel_id: None,
            repeat: None,
        };
        let event = store::events::insert(&target, GUILD, &fields, ORGANIZER, now())
            .await
            .unwrap();
        assert_eq!(
            event,
            last_event + 1,
            "the first event after the copy gets a fresh id"
        );
        let max_poll: i64 = sqlx::query_scalar("SELECT max(id) FROM polls")
            .fetch_one(sqlite)
            .await
            .unwrap();
        let poll = store::polls::insert(
            &target,
            GUILD,
            &rencontre::domain::poll::NewPoll {
                title: "Après".into(),
                description: None,
                channel_id: 333,
                deadline: None,
                dates: vec![rencontre::domain::poll::PollDate {
                    starts_at: now() + Duration::days(9),
                    length: None,
                }],
                created_by: ORGANIZER,
            },
            now(),
        )
        .await
        .unwrap();
        assert_eq!(poll, max_poll + 1);

        // A second copy into the now non-empty target: refused, named, and
        // nothing written (the rows are the same as before it).
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(pg)
            .await
            .unwrap();
        let error = store::copy::copy(&source, &target).await.unwrap_err().to_string();
        assert!(error.contains("not empty") && error.contains("table "), "{error}");
        let after: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(pg)
            .await
            .unwrap();
        assert_eq!(after, before);
        let polls: i64 = sqlx::query_scalar("SELECT count(*) FROM polls")
            .fetch_one(pg)
            .await
            .unwrap();
        assert_eq!(polls as usize, counts["polls"] + 1);

        // The other direction is refused.
        let error = store::copy::copy(&target, &source).await.unwrap_err().to_string();
        assert!(error.contains("SQLite database into PostgreSQL"), "{error}");
        source.close().await;
        target.close().await;
    })
    .await;
}

fn rencontre(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("DISCORD_TOKEN")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[tokio::test]
async fn copy_command_prints_each_table_and_never_the_password() {
    with_databases(1, |urls| async move {
        let dir = tempfile::tempdir().unwrap();
        let (source, from) = seeded_sqlite(&dir).await;
        let sqlite = sqlite_pool(&source).unwrap().clone();
        let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(&sqlite)
            .await
            .unwrap();
        // What the copy writes: every table but those the triggers keep.
        let mut tables = data_tables(&sqlite).await;
        tables.retain(|t| !store::copy::KEPT_BY_TRIGGERS.contains(&t.as_str()));
        let mut total = 0i64;
        for table in &tables {
            let rows: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM \"{table}\"")))
                .fetch_one(&sqlite)
                .await
                .unwrap();
            total += rows;
        }
        source.close().await;

        let out = rencontre(&["copy", "--from", &from, "--to", &urls[0]]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = |name: &str| {
            stdout
                .lines()
                .find(|l| l.split_whitespace().next() == Some(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<i64>().ok())
        };
        assert_eq!(line("events"), Some(events), "{stdout}");
        assert_eq!(line("total"), Some(total), "{stdout}");
        assert_eq!(stdout.lines().count(), tables.len() + 1, "{stdout}");

        // Unreachable target: non-zero, one message naming the host, no password.
        let out = rencontre(&[
            "copy",
            "--from",
            &from,
            "--to",
            "postgres://rencontre:s3cr3t-pw@127.0.0.1:9/rencontre",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains("127.0.0.1:9"), "{stderr}");
        assert!(
            !stderr.contains("s3cr3t-pw") && !String::from_utf8_lossy(&out.stdout).contains("s3cr3t-pw"),
            "{stderr}"
        );

        // A mistyped source is not created empty and "copied".
        let missing = dir.path().join("typo.db");
        let out = rencontre(&[
            "copy",
            "--from",
            &format!("sqlite://{}", missing.display()),
            "--to",
            &urls[0],
        ]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
        assert!(!missing.exists());
    })
    .await;
}
