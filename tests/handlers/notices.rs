//! The DMs about a freed seat, a change and a cancellation: written with
//! the change, delivered by the job runner once per member (also after a
//! restart), in the member's language; closed DMs that open again; ended
//! events left alone; finished jobs swept after their retention.

use crate::support::{self, calls, outlet};

use calls::*;
use chrono::{Duration, TimeZone, Utc};
use outlet::Recorder;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::Effect;
use rencontre::state::AppState;

use CommandName::{Event, Reminders, Setup};

/// Thursday 3 December 2026, 18:30 in Paris.
const WHEN: &str = "2026-12-03 18:30";

fn no_dm_effects(reply: &rencontre::reply::Reply) -> bool {
    !reply.effects.iter().any(|e| matches!(e, Effect::Dm { .. }))
}

/// An event of capacity 1: bob (21) going, dave (23) waiting.
async fn full_event(state: &AppState) -> i64 {
    let options = [
        ("title", s("Café numérique")),
        ("when", s(WHEN)),
        ("capacity", OptionValue::Int(1)),
    ];
    let id = create_event(state, &organizer(10, "alice"), &options).await;
    run(state, &member(21, "bob"), click(&format!("rsvp:v1:{id}:going"))).await;
    run(state, &member(23, "dave"), click(&format!("rsvp:v1:{id}:going"))).await;
    id
}

/// The same database as a freshly started bot sees it: nothing in memory.
fn restarted(state: &AppState) -> AppState {
    AppState::new(state.pool.clone(), state.clock.clone())
}

#[tokio::test]
async fn a_freed_seat_is_told_by_a_dm_that_survives_a_restart() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    let left = run(
        &state,
        &member(21, "bob"),
        click(&format!("rsvp:v1:{id}:declined")),
    )
    .await;
    assert!(no_dm_effects(&left), "{left:?}");
    // The bot dies before sending anything; the next one tells dave, once.
    let state = restarted(&state);
    rencontre::jobs::resume_after_restart(&state).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let dms = out.dms_to(23);
    assert_eq!(dms.len(), 1, "{:?}", out.sent());
    assert!(
        dms[0].starts_with("Bonne nouvelle") && dms[0].contains("Café numérique"),
        "{}",
        dms[0]
    );
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.sent().len(), 1, "{:?}", out.sent());
}

#[tokio::test]
async fn a_member_who_left_again_before_the_dm_is_not_told_of_a_seat() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    run(
        &state,
        &member(21, "bob"),
        click(&format!("rsvp:v1:{id}:declined")),
    )
    .await;
    run(
        &state,
        &member(23, "dave"),
        click(&format!("rsvp:v1:{id}:declined")),
    )
    .await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    assert!(out.dms_to(23).is_empty(), "{:?}", out.sent());
}

#[tokio::test]
async fn a_change_and_a_cancellation_survive_a_restart_and_reach_each_member_once() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    run(
        &state,
        &member(22, "carol"),
        click(&format!("rsvp:v1:{id}:maybe")),
    )
    .await;
    run(
        &state,
        &member(24, "erin"),
        click(&format!("rsvp:v1:{id}:declined")),
    )
    .await;
    let alice = organizer(10, "alice");
    let moved = run(
        &state,
        &alice,
        cmd(
            Event,
            Some("edit"),
            &[("event", ev(id)), ("location", s("Calais"))],
        ),
    )
    .await;
    assert!(no_dm_effects(&moved), "{moved:?}");
    let state = restarted(&state);
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    for member in [21, 22, 23] {
        let dms = out.dms_to(member);
        assert_eq!(dms.len(), 1, "member {member}: {:?}", out.sent());
        assert!(dms[0].contains("Calais"), "{}", dms[0]);
    }
    assert!(out.dms_to(24).is_empty(), "who can't come is not told");

    let cancelled = run(&state, &alice, cmd(Event, Some("cancel"), &[("event", ev(id))])).await;
    assert!(no_dm_effects(&cancelled), "{cancelled:?}");
    let state = restarted(&state);
    run_due(&state, &out).await.unwrap();
    run_due(&state, &out).await.unwrap();
    let dms = out.dms_to(21);
    assert_eq!(dms.len(), 2, "{:?}", out.sent());
    // Without a reason, the message ends with its full stop, not a space.
    assert!(dms[1].ends_with("est annulé."), "{:?}", dms[1]);
}

#[tokio::test]
async fn a_cancellation_with_a_reason_says_it() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    let alice = organizer(10, "alice");
    let options = [("event", ev(id)), ("reason", s("tempête"))];
    run(&state, &alice, cmd(Event, Some("cancel"), &options)).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let dms = out.dms_to(23);
    assert_eq!(dms.len(), 1, "{:?}", out.sent());
    assert!(dms[0].ends_with("est annulé. Raison : tempête"), "{:?}", dms[0]);
}

/// Three weekly dates answered by the same member: a new place for the
/// whole series is one DM naming the three dates, not three DMs; the same
/// for cancelling the series.
#[tokio::test]
async fn a_series_change_is_one_dm_per_member() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    let options = [
        ("title", s("Café numérique")),
        ("when", s(WHEN)),
        ("repeat", s("weekly")),
    ];
    let first = create_event(&state, &alice, &options).await;
    for id in first..first + 3 {
        run(&state, &member(21, "bob"), click(&format!("rsvp:v1:{id}:going"))).await;
    }
    run(
        &state,
        &member(22, "carol"),
        click(&format!("rsvp:v1:{}:going", first + 1)),
    )
    .await;
    let options = [
        ("event", ev(first)),
        ("location", s("Calais")),
        ("scope", s("series")),
    ];
    let edited = run(&state, &alice, cmd(Event, Some("edit"), &options)).await;
    assert!(private_text(&edited).starts_with("Série"), "{edited:?}");
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let bob = out.dms_to(21);
    assert_eq!(bob.len(), 1, "{:?}", out.sent());
    for week in 0..3 {
        let start = unix(2026, 12, 3 + 7 * week, 17, 30);
        assert!(bob[0].contains(&format!("<t:{start}:F>")), "{}", bob[0]);
    }
    assert!(
        bob[0].contains("les 3 dates") && bob[0].contains("Calais"),
        "{}",
        bob[0]
    );
    // Carol answered one date: the message about one date.
    let carol = out.dms_to(22);
    assert_eq!(carol.len(), 1, "{:?}", out.sent());
    assert!(
        carol[0].contains(&format!("<t:{}:F>", unix(2026, 12, 10, 17, 30))),
        "{}",
        carol[0]
    );
    assert!(
        !carol[0].contains(&format!("<t:{}:F>", unix(2026, 12, 3, 17, 30))),
        "{}",
        carol[0]
    );

    let options = [("event", ev(first)), ("scope", s("series"))];
    run(&state, &alice, cmd(Event, Some("cancel"), &options)).await;
    run_due(&state, &out).await.unwrap();
    let bob = out.dms_to(21);
    assert_eq!(bob.len(), 2, "{:?}", out.sent());
    assert!(bob[1].contains("annulé pour les 3 dates"), "{}", bob[1]);
}

/// The server speaks English; dave's Discord is French and bob's English.
/// Each one's DMs (promotion, change, reminder) come in their language; a
/// member never seen with a locale gets the server's.
#[tokio::test]
async fn dms_speak_each_members_language() {
    let (state, clock, _dir) = support::state().await;
    let language = [("language", s("en"))];
    run(&state, &admin(1, "ada"), cmd(Setup, Some("language"), &language)).await;
    let id = full_event(&state).await;
    let bob_en = locale(member(21, "bob"), Some("en-GB"));
    let nobody = locale(member(25, "fanny"), None);
    run(&state, &nobody, click(&format!("rsvp:v1:{id}:going"))).await;
    run(&state, &bob_en, click(&format!("rsvp:v1:{id}:declined"))).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let dave = out.dms_to(23);
    assert_eq!(dave.len(), 1, "{:?}", out.sent());
    assert!(dave[0].starts_with("Bonne nouvelle"), "{}", dave[0]);

    run(&state, &bob_en, click(&format!("rsvp:v1:{id}:maybe"))).await;
    let options = [("event", ev(id)), ("location", s("Calais"))];
    run(
        &state,
        &organizer(10, "alice"),
        cmd(Event, Some("edit"), &options),
    )
    .await;
    run_due(&state, &out).await.unwrap();
    assert!(
        out.dms_to(21)[0].starts_with("\"Café numérique\" has changed"),
        "{:?}",
        out.sent()
    );
    assert!(
        out.dms_to(23)[1].starts_with("« Café numérique » a changé"),
        "{:?}",
        out.sent()
    );
    assert!(
        out.dms_to(25)[0].contains("has changed"),
        "the server's language: {:?}",
        out.sent()
    );

    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 17, 30, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    assert!(out.dms_to(23)[2].starts_with("⏰ Rappel"), "{:?}", out.sent());
    // The member's language as learnt is part of their data.
    let export = run(
        &state,
        &member(23, "dave"),
        cmd(CommandName::Privacy, Some("export"), &[]),
    )
    .await;
    let json = String::from_utf8(message(&export).attachments[0].bytes.clone()).unwrap();
    assert!(json.contains("\"locale\": \"fr\""), "{json}");
}

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
    run(&state, &erin, click(&format!("rsvp:v1:{id}:going"))).await;
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
async fn an_event_that_has_ended_cannot_be_edited_or_cancelled() {
    let (state, clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap());
    let before = snapshot(&state).await;
    let alice = organizer(10, "alice");
    let options = [("event", ev(id)), ("location", s("Calais"))];
    let edit = run(&state, &alice, cmd(Event, Some("edit"), &options)).await;
    let cancel = run(&state, &alice, cmd(Event, Some("cancel"), &[("event", ev(id))])).await;
    for reply in [&edit, &cancel] {
        assert_eq!(
            private_text(reply),
            "« Café numérique » est déjà terminé : on ne peut plus le modifier ni l'annuler.",
        );
        assert!(reply.effects.is_empty(), "{reply:?}");
    }
    assert_eq!(snapshot(&state).await, before, "nothing changed");
}

#[tokio::test]
async fn finished_jobs_and_who_they_reached_are_deleted_after_thirty_days() {
    let (state, clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    run(
        &state,
        &member(21, "bob"),
        click(&format!("rsvp:v1:{id}:declined")),
    )
    .await;
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
