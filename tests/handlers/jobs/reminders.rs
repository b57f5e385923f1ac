//! Reminders: once per member at each offset, moved with their event,
//! caught up after downtime only while they make sense.

use super::*;

#[tokio::test]
async fn reminders_reach_going_members_once_at_each_offset() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    going(&state, 22, event).await;
    // Member 23 said maybe; member 22 turns reminders off.
    handlers::handle(
        &state,
        &member(23, "member23"),
        Invocation::Component {
            custom_id: format!("rsvp:v1:{event}:maybe"),
        },
    )
    .await;
    run(
        &state,
        &member(22, "member22"),
        cmd(CommandName::Reminders, Some("off"), &[]),
    )
    .await;
    let out = Recorder::default();

    // Nothing is due yet, not even a second before the first reminder.
    assert_eq!(run_due(&state, &out).await.unwrap(), 0);
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 29, 59).unwrap());
    run_due(&state, &out).await.unwrap();
    assert!(out.sent().is_empty(), "too early: {:?}", out.sent());
    // 24 hours before: one DM to member 21 only, with the time as a Discord timestamp and the place.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    let dms = out.dms_to(21);
    assert_eq!(dms.len(), 1, "{:?}", out.sent());
    let start = Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap().timestamp();
    assert!(
        dms[0].contains(&format!("<t:{start}:F>")) && dms[0].contains("Boulogne-sur-Mer"),
        "{}",
        dms[0]
    );
    assert!(out.dms_to(22).is_empty() && out.dms_to(23).is_empty());
    // Running again (or after a restart) sends nothing twice.
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 1);
    // A second before the hour: still one.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 16, 29, 59).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 1, "too early: {:?}", out.sent());
    // One hour before: the second reminder.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 16, 31, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 2);
}

#[tokio::test]
async fn moving_an_event_moves_its_reminders_and_cancelling_removes_them() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    // Moved one week later.
    run(
        &state,
        &organizer(ORGANIZER, "member10"),
        cmd(
            CommandName::Event,
            Some("edit"),
            &[("event", s(&event.to_string())), ("when", s("2026-12-10 18:30"))],
        ),
    )
    .await;
    let out = Recorder::default();
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert!(
        reminders_to(&out, 21).is_empty(),
        "the old time must not remind: {:?}",
        out.sent()
    );
    clock.set(Utc.with_ymd_and_hms(2026, 12, 9, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(reminders_to(&out, 21).len(), 1);

    run(
        &state,
        &organizer(ORGANIZER, "member10"),
        cmd(
            CommandName::Event,
            Some("cancel"),
            &[("event", s(&event.to_string()))],
        ),
    )
    .await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 10, 16, 45, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(
        reminders_to(&out, 21).len(),
        1,
        "no reminder for a cancelled event"
    );
}

#[tokio::test]
async fn members_reminded_before_an_event_moved_are_reminded_again_for_the_new_time() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    let out = Recorder::default();
    // The 24-hour reminder for 3 December goes out …
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(reminders_to(&out, 21).len(), 1);
    // … then the organizer moves the event to 10 December.
    run(
        &state,
        &organizer(ORGANIZER, "member10"),
        cmd(
            CommandName::Event,
            Some("edit"),
            &[("event", s(&event.to_string())), ("when", s("2026-12-10 18:30"))],
        ),
    )
    .await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 9, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    let dms = reminders_to(&out, 21);
    assert_eq!(dms.len(), 2, "a reminder for the new date: {:?}", out.sent());
    let new_start = Utc.with_ymd_and_hms(2026, 12, 10, 17, 30, 0).unwrap().timestamp();
    assert!(dms[1].contains(&format!("<t:{new_start}:F>")), "{}", dms[1]);
}

#[tokio::test]
async fn after_downtime_reminders_are_caught_up_only_while_they_make_sense() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    let out = Recorder::default();
    // Down from before the 24h reminder until 30 minutes before the start:
    // both reminders are due; the event hasn't started, so they still make sense.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 17, 0, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 2);

    // A second event, and the bot down until after it started: dropped.
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 18, 0, 0).unwrap());
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    assert!(out.dms_to(21).is_empty(), "{:?}", out.sent());
}
