//! Deliveries that fail and processes that die: closed DMs, retries with
//! backoff, jobs given up, claimed jobs resumed after a crash.

use super::*;

#[tokio::test]
async fn closed_dms_are_noted_and_never_retried() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    going(&state, 24, event).await;
    let out = Recorder::default();
    out.closed_dms.lock().unwrap().insert(24);
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 1);
    // The next reminder skips member 24 without trying: their DMs are known closed.
    out.closed_dms.lock().unwrap().clear();
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 16, 31, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert!(out.dms_to(24).is_empty(), "{:?}", out.sent());
    assert_eq!(out.dms_to(21).len(), 2);
}

#[tokio::test]
async fn a_failing_delivery_is_retried_with_backoff_without_doubling_the_others() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    going(&state, 25, event).await;
    let out = Recorder::default();
    out.failing_dms.lock().unwrap().insert(25);
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 1);
    // Immediately again: backing off, nothing happens.
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(21).len(), 1);
    // Discord recovers; the retry reaches member 25 and not member 21 again.
    out.failing_dms.lock().unwrap().clear();
    clock.advance(Duration::minutes(5));
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(25).len(), 1);
    assert_eq!(out.dms_to(21).len(), 1);
}

#[tokio::test]
async fn a_job_that_keeps_failing_is_given_up() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 25, event).await;
    let out = Recorder::default();
    out.failing_dms.lock().unwrap().insert(25);
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap());
    for _ in 0..12 {
        clock.advance(Duration::hours(1));
        run_due(&state, &out).await.unwrap();
    }
    let (failed, attempts): (String, i64) = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT status, attempts FROM jobs WHERE kind = 'reminder' AND detail = 1440"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(
        (failed.as_str(), attempts),
        ("failed", rencontre::jobs::MAX_ATTEMPTS)
    );
}

/// A process killed mid-job leaves the job claimed ("running"); the next
/// start takes it up at once rather than when the claim grows stale, without
/// reminding twice a member the killed process had reached, and without
/// counting the crash as a failed attempt.
#[tokio::test]
async fn a_restart_resumes_at_once_the_jobs_a_killed_process_had_claimed() {
    use rencontre::store::jobs::{self, Kind};
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    going(&state, 22, event).await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    // The process that dies: it claims the reminder and reaches member 21.
    let claimed = jobs::claim_due(&state.pool, state.now(), 50).await.unwrap();
    let reminder = claimed
        .iter()
        .find(|j| j.kind == Kind::Reminder)
        .expect("the reminder was claimed");
    jobs::record_delivery(&state.pool, reminder.id, 21, state.now())
        .await
        .unwrap();
    // While it could still be running, nobody else takes it.
    clock.advance(Duration::seconds(10));
    let out = Recorder::default();
    assert_eq!(run_due(&state, &out).await.unwrap(), 0);

    // The bot starts again a few seconds later.
    rencontre::jobs::resume_after_restart(&state).await;
    assert_eq!(run_due(&state, &out).await.unwrap(), 1);
    assert!(out.dms_to(21).is_empty(), "{:?}", out.sent());
    assert_eq!(out.dms_to(22).len(), 1);
    let (status, attempts): (String, i64) = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT status, attempts FROM jobs WHERE id = $1"
    )
    .bind(reminder.id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("done", 1));
    // A start with nothing left claimed changes nothing.
    rencontre::jobs::resume_after_restart(&state).await;
    assert_eq!(run_due(&state, &out).await.unwrap(), 0);
}

/// Killed after Discord created a reminder DM but before the bot noted it,
/// the restarted bot sends it again with the same nonce: Discord
/// (`enforce_nonce`) answers with the message already there, so the member
/// still has one reminder. Another member or another reminder is another
/// message.
#[tokio::test]
async fn a_reminder_sent_again_after_a_crash_carries_the_same_nonce() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    going(&state, 22, event).await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    let first = Recorder::default();
    run_due(&state, &first).await.unwrap();
    // The crash: the deliveries were not recorded, the job still claimed.
    rencontre::on_db!(&state.pool, |db| sqlx::query("DELETE FROM job_deliveries")
        .execute(db)
        .await
        .map(drop))
    .unwrap();
    rencontre::on_db!(&state.pool, |db| sqlx::query(
        "UPDATE jobs SET status = 'running' WHERE kind = 'reminder' AND detail = 1440"
    )
    .execute(db)
    .await
    .map(drop))
    .unwrap();
    rencontre::jobs::resume_after_restart(&state).await;
    let second = Recorder::default();
    run_due(&state, &second).await.unwrap();
    let before = first.dm_nonces.lock().unwrap().clone();
    let after = second.dm_nonces.lock().unwrap().clone();
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|(_, nonce)| nonce.is_some()));
    assert_eq!(before, after, "the same messages, for Discord");
    assert_ne!(before[0].1, before[1].1, "one message per member");
    // The one-hour reminder is a message of its own.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 16, 31, 0).unwrap());
    run_due(&state, &second).await.unwrap();
    let later = second.dm_nonces.lock().unwrap().clone();
    assert_eq!(later.len(), 4);
    assert!(later[2..]
        .iter()
        .all(|(_, nonce)| !before.iter().any(|(_, n)| n == nonce)));
}

/// The dates a series gains get their cards from jobs written with them: a
/// process dying right after extending the series (its job already planned
/// for next week) cannot leave a date without its card.
#[tokio::test]
async fn dates_a_series_gains_get_their_cards_even_if_the_process_dies_right_after() {
    use rencontre::store::jobs::{self, Kind};
    let (state, clock, _dir) = support::state().await;
    run(
        &state,
        &organizer(ORGANIZER, "member10"),
        cmd(
            CommandName::Event,
            Some("create"),
            &[
                ("title", s("Café numérique")),
                ("when", s("2026-12-03 18:30")),
                ("repeat", s("weekly")),
            ],
        ),
    )
    .await;
    let before: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar("SELECT MAX(id) FROM events")
        .fetch_one(db)
        .await)
    .unwrap();
    clock.advance(Duration::days(8));
    // The process that dies: it extends the series, and nothing more.
    let claimed = jobs::claim_due(&state.pool, state.now(), 50).await.unwrap();
    let extension = claimed
        .iter()
        .find(|j| j.kind == Kind::Occurrences)
        .expect("the extension was claimed");
    let settings = rencontre::store::settings::get(&state.pool, 1).await.unwrap();
    let new_dates = rencontre::store::series::extend_series(
        &state.pool,
        extension.ref_id,
        settings.timezone,
        &settings.reminder_offsets,
        state.now(),
    )
    .await
    .unwrap();
    assert!(!new_dates.is_empty());

    rencontre::jobs::resume_after_restart(&state).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let cardless: Vec<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT id FROM events WHERE id > $1 AND card_message_id IS NULL"
    )
    .bind(before)
    .fetch_all(db)
    .await)
    .unwrap();
    assert!(cardless.is_empty(), "dates without a card: {cardless:?}");
    // One card each.
    let starts: Vec<i64> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT starts_at FROM events WHERE id > $1"
    )
    .bind(before)
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(starts.len(), new_dates.len());
    for start in starts {
        let when = format!("<t:{start}:F>");
        let cards = out
            .posts_in(100)
            .into_iter()
            .filter(|p| p.contains(&when))
            .count();
        assert_eq!(cards, 1, "{when}: {:?}", out.sent());
    }
}
