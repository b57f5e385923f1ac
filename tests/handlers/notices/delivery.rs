//! Delivering notices: closed DMs tried again, finished jobs deleted, a
//! notice resumed after a crash sent once.

use super::*;

/// Bob's and Erin's DMs were closed at the first reminder. After
/// `/reminders on`, Erin gets the next one; Bob, still skipped, is reached
/// by the DM telling him the event moved, and gets reminders again.
#[tokio::test]
async fn closed_dms_are_tried_again_after_reminders_on_or_a_dm_that_went_through() {
    let (state, clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    let erin = member(24, "erin");
    let options = [("event", ev(id)), ("capacity", OptionValue::Int(5))];
    run(
        &state,
        &organizer(10, "alice"),
        cmd(Event, Some("edit"), &options),
    )
    .await;
    run(&state, &erin, rsvp_button(id, "going")).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    out.closed_dms.lock().unwrap().extend([21, 24]);
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    out.closed_dms.lock().unwrap().clear();
    let reminded = |from: usize| -> Vec<u64> {
        out.sent()[from..]
            .iter()
            .filter_map(|s| match s {
                outlet::Sent::Dm { user, text } if text.starts_with("⏰") => Some(*user),
                _ => None,
            })
            .collect()
    };

    run(&state, &erin, cmd(Reminders, Some("on"), &[])).await;
    let mark = out.sent().len();
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 16, 31, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(reminded(mark), [23, 24], "{:?}", out.sent());

    let options = [("event", ev(id)), ("when", s("2026-12-10 18:30"))];
    run(
        &state,
        &organizer(10, "alice"),
        cmd(Event, Some("edit"), &options),
    )
    .await;
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 1, "the move reached bob: {:?}", out.sent());
    let mark = out.sent().len();
    clock.set(Utc.with_ymd_and_hms(2026, 12, 10, 16, 31, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert!(reminded(mark).contains(&21), "{:?}", out.sent());
}

#[tokio::test]
async fn finished_jobs_and_who_they_reached_are_deleted_after_thirty_days() {
    let (state, clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    run(&state, &member(21, "bob"), rsvp_button(id, "declined")).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let count = |sql: &'static str| {
        let pool = state.pool.clone();
        async move {
            rencontre::on_db!(&pool, |db| sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await).unwrap()
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM job_deliveries").await, 1);
    // 29 days later the promotion's record is still there; a day later, not.
    clock.advance(Duration::days(29));
    run_due(&state, &out).await.unwrap();
    rencontre::jobs::sweep(&state).await;
    assert_eq!(
        count("SELECT COUNT(*) FROM jobs WHERE kind = 'promoted'").await,
        1
    );
    clock.advance(Duration::days(2));
    rencontre::jobs::sweep(&state).await;
    assert_eq!(
        count("SELECT COUNT(*) FROM jobs WHERE kind = 'promoted'").await,
        0
    );
    assert_eq!(count("SELECT COUNT(*) FROM job_deliveries").await, 0);
    // The reminders, dropped two days ago when the run found the event
    // started, are kept for now.
    assert!(count("SELECT COUNT(*) FROM jobs WHERE kind = 'reminder'").await > 0);
}

/// Killed after Discord created the change DMs but before the bot noted
/// them: the restarted bot sends them again with the same nonces, so each
/// member still has one message; a member a transient error skipped is
/// reached by the retry, the others are not DMed twice.
#[tokio::test]
async fn a_notice_resumed_after_a_crash_is_one_message_per_member() {
    let (state, clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    let options = [("event", ev(id)), ("location", s("Calais"))];
    run(
        &state,
        &organizer(10, "alice"),
        cmd(Event, Some("edit"), &options),
    )
    .await;
    let first = Recorder::default();
    run_due(&state, &first).await.unwrap();
    rencontre::on_db!(&state.pool, |db| sqlx::query("DELETE FROM job_deliveries")
        .execute(db)
        .await
        .map(drop))
    .unwrap();
    rencontre::on_db!(&state.pool, |db| sqlx::query(
        "UPDATE jobs SET status = 'running' WHERE kind = 'changed'"
    )
    .execute(db)
    .await
    .map(drop))
    .unwrap();
    let state = restarted(&state);
    rencontre::jobs::resume_after_restart(&state).await;
    let second = Recorder::default();
    second.failing_dms.lock().unwrap().insert(23);
    run_due(&state, &second).await.unwrap();
    let before = first.dm_nonces.lock().unwrap().clone();
    let after = second.dm_nonces.lock().unwrap().clone();
    assert_eq!(before.len(), 2, "{:?}", first.sent());
    assert!(before.iter().all(|(_, nonce)| nonce.is_some()));
    assert_ne!(before[0].1, before[1].1, "one message per member");
    assert_eq!(after, before[..1], "bob's again, the same message for Discord");
    second.failing_dms.lock().unwrap().clear();
    clock.advance(Duration::minutes(5));
    run_due(&state, &second).await.unwrap();
    assert_eq!(second.dms_to(21).len(), 1);
    assert_eq!(*second.dm_nonces.lock().unwrap(), before);
}
