//! The real binary's surroundings: where it reads `.env`, and stopping on
//! SIGTERM when Discord never answers.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
    let (discord, knock) = silent_discord();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .arg("run")
        .env("DISCORD_TOKEN", "fake-token")
        .env("DISCORD_PROXY", discord)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bot.db").display()),
        )
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
