//! The real binary's surroundings: where it reads `.env`, and stopping on
//! SIGTERM when Discord never answers.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support;

/// `.env` is read from the working directory only: a file in a parent folder
/// (a stray one, or someone else's) must not choose the database, the proxy
/// or the token.
#[test]
fn dotenv_is_read_from_the_working_directory_only() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path();
    let child = parent.join("bot");
    std::fs::create_dir(&child).unwrap();
    let from_parent = parent.join("from-parent.db");
    std::fs::write(
        parent.join(".env"),
        format!("DATABASE_URL=sqlite://{}\n", from_parent.display()),
    )
    .unwrap();
    let migrate = || {
        Command::new(env!("CARGO_BIN_EXE_rencontre"))
            .arg("migrate")
            .current_dir(&child)
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    let out = migrate();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!from_parent.exists(), "the parent folder's .env was read");
    assert!(child.join("rencontre.db").exists(), "the default database");

    // The working directory's own .env is read.
    let own = child.join("own.db");
    std::fs::write(
        child.join(".env"),
        format!("DATABASE_URL=sqlite://{}\n", own.display()),
    )
    .unwrap();
    let out = migrate();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(own.exists() && !from_parent.exists());
}

/// A Discord whose REST answers the gateway's address, and whose gateway
/// accepts connections but never says a word. Returns its base URL, and a
/// receiver told when the bot knocks at the gateway.
fn silent_discord() -> (String, std::sync::mpsc::Receiver<()>) {
    let (knocked, knock) = std::sync::mpsc::channel();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let ws = base.replacen("http://", "ws://", 1);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                request.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&request);
            if head.starts_with("GET /api/v10/gateway") {
                let body = format!(
                    r#"{{"url":"{ws}","shards":1,"session_start_limit":{{"total":1000,"remaining":1000,"reset_after":0,"max_concurrency":1}}}}"#
                );
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            } else {
                // The websocket handshake (or anything else): never answered.
                held.push(stream);
                let _ = knocked.send(());
            }
        }
    });
    (base, knock)
}

#[test]
fn sigterm_stops_the_bot_even_when_the_gateway_never_connected() {
    let dir = tempfile::tempdir().unwrap();
    let database = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(support::database::TestDatabase::new());
    let (discord, knock) = silent_discord();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .arg("run")
        .env("DISCORD_TOKEN", "fake-token")
        .env("DISCORD_PROXY", discord)
        .env("DATABASE_URL", &database.url)
        .env_remove("RENCONTRE_HTTP")
        .env("RUST_LOG", "info")
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).ok();
        text
    });
    // Up, and waiting for a gateway that will never answer.
    knock
        .recv_timeout(Duration::from_secs(30))
        .expect("the bot tried the gateway");
    assert!(child.try_wait().unwrap().is_none(), "the bot is running");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // PRODUCT: stopped within 10 s.
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break Some(exit);
        }
        if Instant::now() >= deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if exit.is_none() {
        let _ = child.kill();
    }
    let logs = logs.join().unwrap();
    let exit = exit.unwrap_or_else(|| panic!("still running 10 s after SIGTERM; logs:\n{logs}"));
    assert!(exit.success(), "a clean exit: {exit:?}\n{logs}");
    assert!(logs.contains("shutting down"), "{logs}");
}

/// A database made by the first version, with data in every table a member
/// touches, goes through every later migration with `rencontre migrate`,
/// and the association finds its agenda, answers, directory, pending
/// announcement and settings as they were.
#[tokio::test]
async fn a_first_version_database_with_data_upgrades_through_every_migration() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    let init = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite/0001_init.sql");
    std::fs::copy(init, first.join("0001_init.sql")).unwrap();
    let file = dir.path().join("old.db");
    let url = format!("sqlite://{}", file.display());

    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(first.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    // 2026-12-10 18:30 and 20:30 in Paris; created 2026-11-20.
    let (starts, ends, created) = (1_796_923_800_i64, 1_796_931_000_i64, 1_795_651_200_i64);
    for statement in [
        format!(
            "INSERT INTO guild_settings (guild_id, agenda_channel_id, timezone, reminder_offsets, updated_at)
             VALUES (1, 100, 'America/Martinique', '2880', {created})"
        ),
        format!(
            "INSERT INTO events (id, guild_id, title, location, starts_at, ends_at, capacity,
                                 card_channel_id, card_message_id, created_by, created_at, updated_at)
             VALUES (7, 1, 'Rencontres numériques', 'Boulogne-sur-Mer', {starts}, {ends}, 3, 100, 555, 10, {created}, {created})"
        ),
        format!(
            "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, arrival_seq, responded_at) VALUES
             (7, 21, 'bob', 'going', 1, 1, {created}), (7, 22, 'carol', 'going', 0, 2, {created}),
             (7, 23, 'dave', 'waitlisted', 0, 3, {created})"
        ),
        format!(
            "INSERT INTO introductions (guild_id, user_id, name, organization, about, created_at, updated_at)
             VALUES (1, 21, 'Bob Durand', 'Agence Web du Littoral', 'Référencement et sites numériques', {created}, {created})"
        ),
        format!(
            "INSERT INTO announcements (guild_id, channel_id, author_id, title, message, post_at, created_at)
             VALUES (1, 100, 10, 'Assemblée générale', 'Venez nombreux', {starts}, {created})"
        ),
        format!("INSERT INTO member_prefs (guild_id, user_id, reminders_enabled, updated_at) VALUES (1, 22, 0, {created})"),
    ] {
        // Fixed text built from constants above: nothing typed by anyone.
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let out = Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let pool = rencontre::store::connect(&url).await.unwrap();
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 12, 0, 0).unwrap();
    let clock = std::sync::Arc::new(rencontre::state::ManualClock::new(now));
    let console = rencontre::console::Console::new(rencontre::state::AppState::new(pool, clock));
    let said = |out: &str, expected: &[&str]| {
        for text in expected {
            assert!(out.contains(text), "{text:?} missing from:\n{out}");
        }
    };
    console.line(":as alice organizer").await;
    said(
        &console.line("/agenda").await,
        &["Rencontres numériques", "3/3", "Boulogne-sur-Mer"],
    );
    said(
        &console.line("/event attendees event:7").await,
        &["bob", "carol", "dave", "Liste d'attente (1)"],
    );
    said(
        &console.line("/member search query:referencement").await,
        &["Bob Durand", "Agence Web du Littoral"],
    );
    said(
        &console.line("/announce pending:True").await,
        &["Assemblée générale"],
    );
    said(&console.line(":as root admin").await, &[]);
    said(
        &console.line("/setup show").await,
        &["America/Martinique", "Rappels: 2j"],
    );
    // The event takes answers as before: full, a newcomer queues behind Dave.
    console.line(":as erin").await;
    said(
        &console.line("/rsvp event:7 status:going").await,
        &["n° 2 sur la liste d'attente"],
    );
}
