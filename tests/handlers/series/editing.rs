//! Edits of a series' dates that hold for the dates generated later, and
//! splits.

use super::*;

#[tokio::test]
async fn dates_generated_later_follow_the_rule_whatever_was_moved() {
    let (state, clock, _dir) = support::state().await;
    let ids = weekly_cafe(&state).await;
    // The first date alone moves to the Friday; the last one two hours earlier.
    for (id, when) in [(ids[0], "2026-12-04 18:30"), (ids[7], "2027-01-21 16:30")] {
        let edited = event_cmd(
            &state,
            "edit",
            &[("event", &id.to_string()), ("when", when), ("scope", "this")],
        )
        .await;
        assert_eq!(calls::refreshed(&edited), [id], "{}", text(&edited));
    }
    clock.advance(Duration::days(15));
    rencontre::jobs::run_due(&state, &outlet::Recorder::default())
        .await
        .unwrap();
    let starts: Vec<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT starts_at FROM events ORDER BY starts_at"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    let dates: Vec<String> = starts
        .iter()
        .map(|t| local(Utc.timestamp_opt(*t, 0).unwrap()))
        .collect();
    // Still Thursdays at 18:30, and the moved last date's slot is not filled twice.
    assert_eq!(
        dates[7..],
        [
            "2027-01-21 Thu 16:30",
            "2027-01-28 Thu 18:30",
            "2027-02-04 Thu 18:30"
        ]
    );
}

#[tokio::test]
async fn a_new_time_for_the_following_dates_holds_for_the_dates_generated_later() {
    let (state, clock, _dir) = support::state().await;
    let ids = weekly_cafe(&state).await;
    // From the third Thursday on, the café starts at 19:00.
    let edited = event_cmd(
        &state,
        "edit",
        &[
            ("event", &ids[2].to_string()),
            ("when", "2026-12-17 19:00"),
            ("scope", "following"),
        ],
    )
    .await;
    assert_eq!(calls::refreshed(&edited).len(), 6, "{}", text(&edited));
    // Three weeks pass: the series grows by three dates.
    clock.advance(Duration::days(22));
    rencontre::jobs::run_due(&state, &outlet::Recorder::default())
        .await
        .unwrap();
    let starts: Vec<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT starts_at FROM events ORDER BY starts_at"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    let dates: Vec<String> = starts
        .iter()
        .map(|t| local(Utc.timestamp_opt(*t, 0).unwrap()))
        .collect();
    assert_eq!(dates.len(), 11, "{dates:?}");
    assert_eq!(
        dates[..3],
        [
            "2026-12-03 Thu 18:30",
            "2026-12-10 Thu 18:30",
            "2026-12-17 Thu 19:00"
        ]
    );
    assert!(
        dates[2..].iter().all(|d| d.ends_with("Thu 19:00")),
        "every date from the edit on, generated later included, at 19:00: {dates:?}"
    );
}

/// Issue 14, bug 2: "the whole series" acted on this date and the later
/// ones only, and after a new time split the series it missed the other
/// part. Now it reaches every date still to come; past dates stay.
#[tokio::test]
async fn the_whole_series_reaches_every_date_to_come_even_after_a_split() {
    let (state, clock, _dir) = support::state().await;
    let ids = weekly_cafe(&state).await;
    let get = |id: i64| {
        let pool = state.pool.clone();
        async move { store::events::get(&pool, 1, id).await.unwrap().unwrap() }
    };
    // From the third Thursday on, 19:00: the series is split in two parts.
    let following = [
        ("event", &*ids[2].to_string()),
        ("when", "2026-12-17 19:00"),
        ("scope", "following"),
    ];
    event_cmd(&state, "edit", &following).await;
    // Bob comes to the first date only.
    let bob = calls::member(21, "bob");
    calls::run(&state, &bob, calls::rsvp(ids[0], "going")).await;

    // The first date is over; the place changes for the whole series,
    // asked from a date of the second part.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).unwrap());
    let edit = [
        ("event", &*ids[4].to_string()),
        ("location", "Calais"),
        ("scope", "series"),
    ];
    let reply = event_cmd(&state, "edit", &edit).await;
    assert!(text(&reply).contains("7 dates"), "{}", text(&reply));
    assert_eq!(get(ids[0]).await.location, None, "a past date is history");
    for &id in &ids[1..] {
        assert_eq!(get(id).await.location.as_deref(), Some("Calais"), "date {id}");
    }
    assert_eq!(local(get(ids[1]).await.starts_at), "2026-12-10 Thu 18:30");
    let told_bob = reply
        .effects
        .iter()
        .any(|e| matches!(e, rencontre::reply::Effect::Dm { user_id: 21, .. }));
    assert!(!told_bob, "nobody is told about a past date");

    // Cancelling the whole series from its last date cancels every date
    // to come, in both parts, and nothing is generated any more.
    let cancel = [("event", &*ids[7].to_string()), ("scope", "series")];
    let reply = event_cmd(&state, "cancel", &cancel).await;
    assert!(text(&reply).contains("7 dates annulées"), "{}", text(&reply));
    assert!(!get(ids[0]).await.cancelled, "the date held stays in the report");
    for &id in &ids[1..] {
        assert!(get(id).await.cancelled, "date {id} is cancelled");
    }
    clock.advance(Duration::days(15));
    rencontre::jobs::run_due(&state, &outlet::Recorder::default())
        .await
        .unwrap();
    let count: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM events"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(count, 8, "no date generated after the series was cancelled");
}

/// "This date and the following ones" from a date of the first part
/// reaches the later part too.
#[tokio::test]
async fn following_dates_cross_an_earlier_split() {
    let (state, _clock, _dir) = support::state().await;
    let ids = weekly_cafe(&state).await;
    let split = [
        ("event", &*ids[4].to_string()),
        ("when", "2026-12-31 19:00"),
        ("scope", "following"),
    ];
    event_cmd(&state, "edit", &split).await;
    let cancel = [("event", &*ids[2].to_string()), ("scope", "following")];
    let reply = event_cmd(&state, "cancel", &cancel).await;
    assert!(text(&reply).contains("6 dates annulées"), "{}", text(&reply));
    let cancelled: Vec<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'cancelled' ORDER BY starts_at"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(cancelled, ids[2..]);
}

/// A series edit is one write: if one of its dates refuses the change, no
/// date takes it, the ones before included.
#[tokio::test]
async fn a_series_edit_one_date_refuses_changes_no_date() {
    use rencontre::handlers::OptionValue::Int;
    let (state, _clock, _dir) = support::state().await;
    let alice = calls::organizer(10, "alice");
    let create = calls::cmd(
        CommandName::Event,
        Some("create"),
        &[
            ("title", calls::s("Café numérique")),
            ("when", calls::s("2026-12-03 18:30")),
            ("repeat", calls::s("weekly")),
            ("capacity", Int(10)),
        ],
    );
    let ids = calls::refreshed(&calls::run(&state, &alice, create).await);
    // Three members already hold a seat on the third date only.
    for user in 1..=3 {
        let member = calls::member(100 + user, "member");
        let answered = calls::run(&state, &member, calls::rsvp(ids[2], "going")).await;
        assert!(calls::all_text(&answered).contains("vous participez"));
    }
    let edit = calls::cmd(
        CommandName::Event,
        Some("edit"),
        &[
            ("event", calls::ev(ids[0])),
            ("scope", calls::s("series")),
            ("title", calls::s("Café du jeudi")),
            ("capacity", Int(2)),
        ],
    );
    let refused = calls::run(&state, &alice, edit).await;
    let said = text(&refused);
    assert!(
        said.contains("3 places sont déjà prises"),
        "the refusal names the 3 seats taken on the third date: {said}"
    );
    assert!(calls::refreshed(&refused).is_empty(), "no card redrawn: {said}");
    let saved: Vec<(String, Option<i64>)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT title, capacity FROM events ORDER BY starts_at"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(saved.len(), ids.len());
    for (title, capacity) in saved {
        assert_eq!((title.as_str(), capacity), ("Café numérique", Some(10)));
    }
}
