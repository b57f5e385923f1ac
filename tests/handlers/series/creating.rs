//! A series created and kept ahead: weekly, monthly across daylight
//! saving, extended as time passes and stopped when cancelled.

use super::*;

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
    let ids = weekly_cafe(&state).await;
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
