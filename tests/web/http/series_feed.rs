//! A series in a feed, expanded by an independent reader to exactly the
//! stored dates.

use super::*;

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
