//! Recurring events: occurrences ahead, local times across DST, scope for
//! edits and cancels, and the series kept 8 weeks ahead as time passes.

use crate::support::{self, calls, outlet};

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::reply::{Body, Reply};
use rencontre::state::AppState;
use rencontre::store;

fn organizer() -> Context {
    Context {
        guild_id: 1,
        channel_id: 100,
        caller: Caller {
            user_id: 10,
            name: "alice".into(),
            locale: Some("fr".into()),
            roles: vec![],
            permissions: Permissions {
                manage_events: true,
                ..Default::default()
            },
        },
    }
}

async fn event_cmd(state: &AppState, sub: &str, opts: &[(&str, &str)]) -> Reply {
    let options = Options(
        opts.iter()
            .map(|(k, v)| (k.to_string(), OptionValue::Str(v.to_string())))
            .collect(),
    );
    handlers::handle(
        state,
        &organizer(),
        Invocation::Command {
            command: CommandName::Event,
            sub: Some(sub.into()),
            options,
        },
    )
    .await
}

fn text(reply: &Reply) -> String {
    match &reply.body {
        Body::Message(m) => m.content.clone().unwrap_or_default(),
        other => panic!("expected a message, got {other:?}"),
    }
}

fn local(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%Y-%m-%d %a %H:%M").to_string()
}

#[tokio::test]
async fn a_weekly_series_is_created_eight_weeks_ahead_and_edited_as_a_whole() {
    let (state, _clock, _dir) = support::state().await;
    // Thursdays at 18:30 from 2026-12-03.
    let reply = event_cmd(
        &state,
        "create",
        &[
            ("title", "Café numérique"),
            ("when", "2026-12-03 18:30"),
            ("repeat", "weekly"),
        ],
    )
    .await;
    let ids = calls::refreshed(&reply);
    assert_eq!(ids.len(), 8, "{}", text(&reply));
    assert!(text(&reply).contains("8 dates"), "{}", text(&reply));
    let third = store::events::get(&state.pool, 1, ids[2]).await.unwrap().unwrap();
    assert_eq!(local(third.starts_at), "2026-12-17 Thu 18:30");

    // Editing a repeating event asks which dates.
    let asked = event_cmd(
        &state,
        "edit",
        &[("event", &ids[2].to_string()), ("location", "EILCO")],
    )
    .await;
    assert!(text(&asked).contains("précisez `portée`"), "{}", text(&asked));
    // The whole series from the third date moves to 19:00, still 19:00 local after any change.
    let reply = event_cmd(
        &state,
        "edit",
        &[
            ("event", &ids[2].to_string()),
            ("when", "2026-12-17 19:00"),
            ("scope", "following"),
        ],
    )
    .await;
    assert!(text(&reply).contains("6 dates"), "{}", text(&reply));
    let first = store::events::get(&state.pool, 1, ids[0]).await.unwrap().unwrap();
    let last = store::events::get(&state.pool, 1, ids[7]).await.unwrap().unwrap();
    assert_eq!(
        local(first.starts_at),
        "2026-12-03 Thu 18:30",
        "dates before the one edited stay"
    );
    assert_eq!(local(last.starts_at), "2027-01-21 Thu 19:00");

    // Only this date is cancelled; then the rest of the series.
    event_cmd(
        &state,
        "cancel",
        &[("event", &ids[1].to_string()), ("scope", "this")],
    )
    .await;
    assert!(
        store::events::get(&state.pool, 1, ids[1])
            .await
            .unwrap()
            .unwrap()
            .cancelled
    );
    assert!(
        !store::events::get(&state.pool, 1, ids[2])
            .await
            .unwrap()
            .unwrap()
            .cancelled
    );
    let reply = event_cmd(
        &state,
        "cancel",
        &[("event", &ids[2].to_string()), ("scope", "following")],
    )
    .await;
    assert!(text(&reply).contains("6 dates annulées"), "{}", text(&reply));
    assert!(
        !store::events::get(&state.pool, 1, ids[0])
            .await
            .unwrap()
            .unwrap()
            .cancelled
    );
}

#[tokio::test]
async fn a_monthly_series_keeps_the_weekday_position_across_daylight_saving() {
    let (state, clock, _dir) = support::state().await;
    clock.set(Utc.with_ymd_and_hms(2027, 2, 1, 10, 0, 0).unwrap());
    // 2nd Tuesday of February 2027 at 18:00; March 30 2027 is after the change to summer time.
    let reply = event_cmd(
        &state,
        "create",
        &[
            ("title", "Bureau"),
            ("when", "2027-02-09 18:00"),
            ("repeat", "monthly"),
        ],
    )
    .await;
    let ids = calls::refreshed(&reply);
    let mut dates = Vec::new();
    for id in &ids {
        dates.push(local(
            store::events::get(&state.pool, 1, *id)
                .await
                .unwrap()
                .unwrap()
                .starts_at,
        ));
    }
    assert_eq!(
        dates[..3],
        [
            "2027-02-09 Tue 18:00",
            "2027-03-09 Tue 18:00",
            "2027-04-13 Tue 18:00"
        ]
    );
}

#[tokio::test]
async fn the_series_is_extended_as_time_passes_and_stops_when_cancelled() {
    let (state, clock, _dir) = support::state().await;
    let reply = event_cmd(
        &state,
        "create",
        &[
            ("title", "Café numérique"),
            ("when", "2026-12-03 18:30"),
            ("repeat", "weekly"),
        ],
    )
    .await;
    let ids = calls::refreshed(&reply);
    let out = outlet::Recorder::default();
    clock.advance(Duration::days(8));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    let (count, last): (i64, i64) = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT COUNT(*), MAX(starts_at) FROM events"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(count, 9, "one more week generated");
    assert!(Utc.timestamp_opt(last, 0).unwrap() >= clock_now(&state) + Duration::weeks(7));
    // Cancelling the series stops its extension.
    event_cmd(
        &state,
        "cancel",
        &[("event", &ids[3].to_string()), ("scope", "following")],
    )
    .await;
    clock.advance(Duration::days(8));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    let count: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM events"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(count, 9);
}

fn clock_now(state: &AppState) -> chrono::DateTime<Utc> {
    state.now()
}

#[tokio::test]
async fn dates_generated_later_follow_the_rule_whatever_was_moved() {
    let (state, clock, _dir) = support::state().await;
    let reply = event_cmd(
        &state,
        "create",
        &[
            ("title", "Café numérique"),
            ("when", "2026-12-03 18:30"),
            ("repeat", "weekly"),
        ],
    )
    .await;
    let ids = calls::refreshed(&reply);
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
    let reply = event_cmd(
        &state,
        "create",
        &[
            ("title", "Café numérique"),
            ("when", "2026-12-03 18:30"),
            ("repeat", "weekly"),
        ],
    )
    .await;
    let ids = calls::refreshed(&reply);
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
    let create = [
        ("title", "Café numérique"),
        ("when", "2026-12-03 18:30"),
        ("repeat", "weekly"),
    ];
    let ids = calls::refreshed(&event_cmd(&state, "create", &create).await);
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
    let create = [
        ("title", "Café numérique"),
        ("when", "2026-12-03 18:30"),
        ("repeat", "weekly"),
    ];
    let ids = calls::refreshed(&event_cmd(&state, "create", &create).await);
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
