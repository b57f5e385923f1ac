//! The HTTP server: calendar feeds behind secret links, health and metrics.

use crate::support::{self, calls, ical_python, outlet};

use calls::*;
use chrono::{TimeZone, Utc};
use ical_python::{expand_independently, validate_independently};
use rencontre::handlers::{CommandName, Context, OptionValue};
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

/// `/calendar` as `ctx` with these options; the link it gives, as a path.
async fn link(state: &AppState, ctx: &Context, options: &[(&str, OptionValue)]) -> String {
    let reply = run(state, ctx, cmd(CommandName::Calendar, None, options)).await;
    link_path(&private_text(&reply))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_member_has_their_own_links_and_only_admins_cut_everyone_s() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    let (bob, carol) = (member(21, "bob"), member(22, "carol"));

    // Each member gets their own link to the server's agenda.
    let bob_all = link(&state, &bob, &[]).await;
    let carol_all = link(&state, &carol, &[]).await;
    assert_ne!(bob_all, carol_all);
    assert_eq!(link(&state, &bob, &[]).await, bob_all, "the same link each time");
    let (_, body) = get(address, &carol_all).await;
    assert_eq!(parse(&body).len(), 1, "{body}");

    // Bob replaces his (it leaked): Carol's subscription keeps working.
    let bob_new = link(&state, &bob, &[("new_link", OptionValue::Bool(true))]).await;
    assert_ne!(bob_new, bob_all);
    assert_eq!(get(address, &bob_all).await.0, 404);
    assert_eq!(get(address, &bob_new).await.0, 200);
    assert_eq!(
        get(address, &carol_all).await.0,
        200,
        "Carol's link survives Bob's new one"
    );

    // A link shared by everyone, as older versions gave, still opens...
    let shared = "00112233445566778899aabbccddeeff00112233";
    rencontre::on_db!(&state.pool, |db| sqlx::query(
        "INSERT INTO calendar_feeds (token, guild_id, user_id, scope, created_at) VALUES ($1, 1, NULL, 'all', 0)",
    )
    .bind(shared)
    .execute(db)
    .await.map(drop))
    .unwrap();
    assert_eq!(get(address, &format!("/calendar/{shared}.ics")).await.0, 200);

    // Cutting everyone's links is refused to a member, and changes nothing.
    let reply = run(
        &state,
        &bob,
        cmd(
            CommandName::Calendar,
            None,
            &[("revoke_all", OptionValue::Bool(true))],
        ),
    )
    .await;
    let refusal = private_text(&reply);
    assert!(refusal.contains("Seuls les administrateurs"), "{refusal}");
    assert!(!refusal.contains("http://"), "{refusal}");
    assert_eq!(get(address, &carol_all).await.0, 200);

    // An admin cuts them all (the old shared one too), and gets a new one.
    let root = admin(1, "root");
    let reply = run(
        &state,
        &root,
        cmd(
            CommandName::Calendar,
            None,
            &[("revoke_all", OptionValue::Bool(true))],
        ),
    )
    .await;
    let text = private_text(&reply);
    assert!(
        text.contains("Les 3 liens d'abonnement de ce serveur sont coupés"),
        "{text}"
    );
    for old in [&bob_new, &carol_all, &format!("/calendar/{shared}.ics")] {
        assert_eq!(get(address, old).await.0, 404, "{old} still opens");
    }
    assert_eq!(get(address, &link_path(&text)).await.0, 200);
    let carol_again = link(&state, &carol, &[]).await;
    assert_ne!(carol_again, carol_all);
    assert_eq!(get(address, &carol_again).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasing_one_s_data_cuts_one_s_links_everywhere() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let bob = member(21, "bob");
    let carol = member(22, "carol");
    let links = [
        link(&state, &bob, &[]).await,
        link(&state, &bob, &[("scope", s("mine"))]).await,
        link(&state, &in_guild(member(21, "bob"), 2), &[]).await,
    ];
    let carol_all = link(&state, &carol, &[]).await;
    for path in &links {
        assert_eq!(get(address, path).await.0, 200);
    }
    run(&state, &bob, click("privacy:v1:delete")).await;
    for path in &links {
        assert_eq!(
            get(address, path).await.0,
            404,
            "{path} still opens after erasure"
        );
    }
    assert_eq!(get(address, &carol_all).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics() {
    let (state, clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    assert_eq!(get(address, "/healthz").await, (200, "ok\n".to_owned()));
    let value_in = |body: &str, name: &str| -> i64 {
        body.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    };
    // The interaction counter is the process's, shared with the tests
    // running beside this one: only its growth is this test's.
    let interactions_before = value_in(&get(address, "/metrics").await.1, "rencontre_interactions_total");
    let alice = organizer(10, "alice");
    create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    // The 24 h reminder is due and nobody ran it: the lag shows.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 2, 18, 30, 0).unwrap());
    let (status, body) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    let value = |name: &str| value_in(&body, name);
    assert!(interactions_before >= 0, "{body}");
    assert!(
        value("rencontre_interactions_total") > interactions_before,
        "{body}"
    );
    assert_eq!(value("rencontre_job_lag_seconds"), 3_600, "{body}");
    // This test's own database: the reminders 24 h and 1 h before, the card
    // refreshes when check-in opens and when the event ends.
    assert_eq!(value("rencontre_jobs_pending"), 4, "{body}");
    assert!(body.contains("# TYPE rencontre_gateway_connected gauge"));
}

/// `/event <sub>` as `ctx` with string options; the ids of the dates it touched.
async fn event(state: &AppState, ctx: &Context, sub: &str, options: &[(&str, &str)]) -> Vec<i64> {
    let options: Vec<(&str, OptionValue)> = options.iter().map(|(k, v)| (*k, s(v))).collect();
    let reply = run(state, ctx, cmd(CommandName::Event, Some(sub), &options)).await;
    let ids = refreshed(&reply);
    assert!(!ids.is_empty(), "{reply:?}");
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_feed_expands_to_exactly_the_stored_dates() {
    let (state, clock, _dir) = support::state().await;
    clock.set(Utc.with_ymd_and_hms(2026, 10, 1, 10, 0, 0).unwrap());
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    // Tuesdays 18:30 across the change to winter time on 2026-10-25; the
    // 2nd Tuesday of each month; Thursdays every two weeks.
    let weekly = event(
        &state,
        &alice,
        "create",
        &[
            ("title", "Café numérique"),
            ("when", "2026-10-13 18:30"),
            ("repeat", "weekly"),
        ],
    )
    .await;
    let monthly = event(
        &state,
        &alice,
        "create",
        &[
            ("title", "Bureau"),
            ("when", "2026-10-13 20:00"),
            ("repeat", "monthly"),
        ],
    )
    .await;
    let biweekly = event(
        &state,
        &alice,
        "create",
        &[
            ("title", "Atelier"),
            ("when", "2026-10-29 09:00"),
            ("repeat", "biweekly"),
        ],
    )
    .await;
    assert_eq!((weekly.len(), monthly.len(), biweekly.len()), (8, 3, 4));
    let id = |id: &i64| id.to_string();
    // The first date alone moves to the Wednesday; another moves to 19:15
    // elsewhere; one is cancelled; the monthly series is cancelled from
    // November; the fortnightly one is renamed from its second date.
    let this = ("scope", "this");
    event(
        &state,
        &alice,
        "edit",
        &[("event", &id(&weekly[0])), ("when", "2026-10-14 18:30"), this],
    )
    .await;
    event(
        &state,
        &alice,
        "edit",
        &[
            ("event", &id(&weekly[3])),
            ("when", "2026-11-03 19:15"),
            ("location", "EILCO"),
            this,
        ],
    )
    .await;
    event(&state, &alice, "cancel", &[("event", &id(&weekly[1])), this]).await;
    event(
        &state,
        &alice,
        "cancel",
        &[("event", &id(&monthly[1])), ("scope", "following")],
    )
    .await;
    event(
        &state,
        &alice,
        "edit",
        &[
            ("event", &id(&biweekly[1])),
            ("title", "Atelier vélo"),
            ("scope", "following"),
        ],
    )
    .await;
    // Three weeks on, the weekly series is extended: still on Tuesdays.
    clock.set(Utc.with_ymd_and_hms(2026, 10, 22, 10, 0, 0).unwrap());
    rencontre::jobs::run_due(&state, &outlet::Recorder::default())
        .await
        .unwrap();

    let stored: Vec<(i64, i64, String, String)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT series_id, starts_at, status, title FROM events WHERE series_id IS NOT NULL ORDER BY starts_at",
    )
    .fetch_all(db)
    .await)
    .unwrap();
    let local = |ts: i64| {
        Utc.timestamp_opt(ts, 0)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("%Y-%m-%d %a %H:%M")
            .to_string()
    };
    let weekly_series: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT series_id FROM events WHERE id = $1"
    )
    .bind(weekly[2])
    .fetch_one(db)
    .await)
    .unwrap();
    let weekly_dates: Vec<String> = stored
        .iter()
        .filter(|r| r.0 == weekly_series)
        .map(|r| local(r.1))
        .collect();
    assert_eq!(weekly_dates.len(), 10, "two dates generated: {weekly_dates:?}");
    assert_eq!(
        weekly_dates[8..],
        ["2026-12-08 Tue 18:30", "2026-12-15 Tue 18:30"]
    );

    let reply = run(&state, &alice, cmd(CommandName::Calendar, None, &[])).await;
    let (status, body) = get(address, &link_path(&private_text(&reply))).await;
    assert_eq!(status, 200);
    // One master per series, each with its rule; the Rust parser reads it all.
    for rule in [
        "RRULE:FREQ=WEEKLY;BYDAY=TU\r\n",
        "RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261208T190000Z\r\n",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH\r\n",
    ] {
        assert_eq!(body.matches(rule).count(), 1, "{rule} in {body}");
    }
    assert!(
        body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"),
        "{body}"
    );
    assert_eq!(parse(&body).len(), 3 + 3 + 2 + 1, "masters and overrides: {body}");
    validate_independently(&body);

    // A member's own feed: the two dates Bob answered, as single events.
    let bob = member(21, "bob");
    run(&state, &bob, rsvp(weekly[4], "going")).await;
    run(&state, &bob, rsvp(weekly[6], "going")).await;
    let reply = run(
        &state,
        &bob,
        cmd(CommandName::Calendar, None, &[("scope", s("mine"))]),
    )
    .await;
    let (_, mine) = get(address, &link_path(&private_text(&reply))).await;
    let uids: Vec<String> = parse(&mine).into_iter().map(|(_, uid)| uid).collect();
    assert_eq!(
        uids,
        [weekly[4], weekly[6]].map(|e| format!("event-{e}-{GUILD}@rencontre CONFIRMED"))
    );
    assert!(!mine.contains("RRULE"), "{mine}");

    // Expanded by another implementation, each series gives exactly its
    // stored dates (up to its last one: later ones are not generated yet),
    // the cancelled ones marked so, nothing before the first.
    let last = |series: i64| {
        stored
            .iter()
            .filter(|r| r.0 == series)
            .map(|r| r.1)
            .max()
            .unwrap()
    };
    // (Without Python, outside CI, this last check is skipped.)
    let Some(expanded) = expand_independently(&body, stored.iter().map(|r| r.1).max().unwrap() + 1) else {
        return;
    };
    let mut seen: Vec<String> = expanded
        .into_iter()
        .filter(|line| {
            let mut fields = line.split('|');
            let uid = fields.next().unwrap();
            let start: i64 = fields.next().unwrap().parse().unwrap();
            let series: i64 = uid.split('-').nth(1).unwrap().parse().unwrap();
            uid.starts_with("series-") && start <= last(series)
        })
        .collect();
    seen.sort();
    let mut expected: Vec<String> = stored
        .iter()
        .map(|(series, start, status, title)| {
            let status = if status == "cancelled" {
                "CANCELLED"
            } else {
                "CONFIRMED"
            };
            format!(
                "series-{series}-{GUILD}@rencontre|{start}|{}|{status}|{title}",
                local(*start)
            )
        })
        .collect();
    expected.sort();
    assert_eq!(seen, expected);
    assert!(
        seen.iter()
            .any(|l| l.contains("|2026-10-27 Tue 18:30|CONFIRMED|")),
        "{seen:#?}"
    );
    assert!(
        seen.iter()
            .any(|l| l.contains("|2026-11-03 Tue 19:15|CONFIRMED|")),
        "{seen:#?}"
    );
}
