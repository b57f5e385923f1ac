//! The HTTP server: calendar feeds behind secret links, health and metrics.

#[path = "support/calls.rs"]
mod calls;
mod support;

use calls::*;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::state::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A plain HTTP/1.0 GET: (status, body).
async fn get(address: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

async fn start(state: AppState) -> (std::net::SocketAddr, AppState) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = state.with_feed_base(format!("http://{address}"));
    tokio::spawn(rencontre::http::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    (address, state)
}

/// The link `/calendar` gives, as a path.
fn link_path(text: &str) -> String {
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a link");
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

fn parse(ics: &str) -> Vec<(String, String)> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop = |name: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (prop("SUMMARY"), format!("{} {}", prop("UID"), prop("STATUS")))
        })
        .collect()
}

/// Checks the feed with Python's `icalendar` package, an implementation
/// independent of ours. CI installs it (`.ci/run`); elsewhere, without it,
/// the check says so and the Rust parser's check above stands alone.
fn validate_independently(ics: &str) {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
events = list(cal.walk("VEVENT"))
assert events, "no events"
for e in events:
    assert e.get("UID") and e.get("DTSTART") and e.get("DTEND") and e.get("SUMMARY"), e
print(len(events))
"#;
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("python3 not found: independent iCalendar check skipped");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named 'icalendar'") && std::env::var("CI").is_err() {
        eprintln!("Python icalendar not installed: independent check skipped (CI installs it)");
        return;
    }
    assert!(
        output.status.success(),
        "Python icalendar rejected the feed: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_behind_secret_links_with_cancellations_and_stable_uids() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    let kept = create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    let dropped = create(&state, &alice, "Conférence 4G", "2026-12-08 18:30").await;
    create(&state, &alice, "Salon Entrepreneurs Expo", "2026-12-15 10:00").await;
    run(
        &state,
        &alice,
        cmd(CommandName::Event, Some("cancel"), &[("event", ev(dropped))]),
    )
    .await;
    let bob = member(21, "bob");
    run(&state, &bob, rsvp(kept, "going")).await;

    // The server's feed: every event, the cancelled one marked so.
    let reply = run(&state, &bob, cmd(CommandName::Calendar, None, &[])).await;
    let all_path = link_path(&private_text(&reply));
    let (status, body) = get(address, &all_path).await;
    assert_eq!(status, 200);
    let events = parse(&body);
    assert_eq!(events.len(), 3, "{body}");
    validate_independently(&body);
    let cancelled = events.iter().find(|(title, _)| title == "Conférence 4G").unwrap();
    assert!(cancelled.1.ends_with("CANCELLED"), "{cancelled:?}");
    let (_, again) = get(address, &all_path).await;
    assert_eq!(parse(&again), events, "stable UIDs and content");

    // Bob's own feed: only what he answered.
    let reply = run(
        &state,
        &bob,
        cmd(CommandName::Calendar, None, &[("scope", s("mine"))]),
    )
    .await;
    let mine_path = link_path(&private_text(&reply));
    assert_ne!(mine_path, all_path);
    let (_, body) = get(address, &mine_path).await;
    let titles: Vec<String> = parse(&body).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["Rencontres numériques"]);

    // A new link replaces the old one.
    let reply = run(
        &state,
        &bob,
        cmd(
            CommandName::Calendar,
            None,
            &[("scope", s("mine")), ("new_link", OptionValue::Bool(true))],
        ),
    )
    .await;
    let renewed = link_path(&private_text(&reply));
    assert_ne!(renewed, mine_path);
    assert_eq!(get(address, &mine_path).await.0, 404);
    assert_eq!(get(address, &renewed).await.0, 200);
    assert_eq!(
        get(address, "/calendar/0123456789abcdef0123456789abcdef01234567.ics")
            .await
            .0,
        404
    );
    assert_eq!(get(address, "/calendar/%27%20OR%201%3D1%20--").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics() {
    let (state, clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    assert_eq!(get(address, "/healthz").await, (200, "ok\n".to_owned()));
    let alice = organizer(10, "alice");
    create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    // The 24 h reminder is due and nobody ran it: the lag shows.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 2, 18, 30, 0).unwrap());
    let (status, body) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    let value = |name: &str| -> i64 {
        body.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    };
    assert!(value("rencontre_interactions_total") >= 1, "{body}");
    assert_eq!(value("rencontre_job_lag_seconds"), 3_600, "{body}");
    assert!(value("rencontre_jobs_pending") >= 2, "{body}");
    assert!(body.contains("# TYPE rencontre_gateway_connected gauge"));
}
