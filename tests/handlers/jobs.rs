//! Time-driven life with a moved clock: reminders, scheduled announcements,
//! deadlines, catch-up after downtime, retries.

use crate::support::{self, outlet};

use chrono::{Duration, TimeZone, Utc};
use outlet::Recorder;
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::jobs::run_due;
use rencontre::reply::{Body, Effect};
use rencontre::state::AppState;

const ORGANIZER: u64 = 10;

fn ctx(user: u64, organizer: bool) -> Context {
    Context {
        guild_id: 1,
        channel_id: 100,
        caller: Caller {
            user_id: user,
            name: format!("member{user}"),
            locale: Some("fr".into()),
            roles: vec![],
            permissions: Permissions {
                manage_events: organizer,
                ..Default::default()
            },
        },
    }
}

fn options(pairs: &[(&str, OptionValue)]) -> Options {
    Options(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn s(v: &str) -> OptionValue {
    OptionValue::Str(v.into())
}

async fn command(
    state: &AppState,
    who: &Context,
    command: CommandName,
    sub: Option<&str>,
    opts: &[(&str, OptionValue)],
) -> rencontre::reply::Reply {
    handlers::handle(
        state,
        who,
        Invocation::Command {
            command,
            sub: sub.map(Into::into),
            options: options(opts),
        },
    )
    .await
}

/// Creates an event on 2026-12-03 18:30 Paris (17:30 UTC) and returns its id.
async fn create_event(state: &AppState) -> i64 {
    let reply = command(
        state,
        &ctx(ORGANIZER, true),
        CommandName::Event,
        Some("create"),
        &[
            ("title", s("Rencontres numériques")),
            ("when", s("2026-12-03 18:30")),
            ("location", s("Boulogne-sur-Mer")),
        ],
    )
    .await;
    reply
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshCard { event_id } => Some(*event_id),
            _ => None,
        })
        .expect("the event was created")
}

async fn going(state: &AppState, user: u64, event: i64) {
    let reply = handlers::handle(
        state,
        &ctx(user, false),
        Invocation::Component {
            custom_id: format!("rsvp:v1:{event}:going"),
        },
    )
    .await;
    assert!(matches!(reply.body, Body::Message(_)));
}

/// The reminders a member got (the DM telling them the event moved aside).
fn reminders_to(out: &Recorder, user: u64) -> Vec<String> {
    let mut dms = out.dms_to(user);
    dms.retain(|dm| dm.starts_with("⏰"));
    dms
}

#[tokio::test]
async fn reminders_reach_going_members_once_at_each_offset() {
    let (state, clock, _dir) = support::state().await;
    let event = create_event(&state).await;
    going(&state, 21, event).await;
    going(&state, 22, event).await;
    // Member 23 said maybe; member 22 turns reminders off.
    handlers::handle(
        &state,
        &ctx(23, false),
        Invocation::Component {
            custom_id: format!("rsvp:v1:{event}:maybe"),
        },
    )
    .await;
    command(&state, &ctx(22, false), CommandName::Reminders, Some("off"), &[]).await;
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
    command(
        &state,
        &ctx(ORGANIZER, true),
        CommandName::Event,
        Some("edit"),
        &[("event", s(&event.to_string())), ("when", s("2026-12-10 18:30"))],
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

    command(
        &state,
        &ctx(ORGANIZER, true),
        CommandName::Event,
        Some("cancel"),
        &[("event", s(&event.to_string()))],
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
    command(
        &state,
        &ctx(ORGANIZER, true),
        CommandName::Event,
        Some("edit"),
        &[("event", s(&event.to_string())), ("when", s("2026-12-10 18:30"))],
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

#[tokio::test]
async fn a_scheduled_announcement_is_posted_once_at_its_time() {
    let (state, clock, _dir) = support::state().await;
    let organizer = ctx(ORGANIZER, true);
    let mut admin = ctx(1, false);
    admin.caller.permissions.manage_guild = true;
    command(
        &state,
        &admin,
        CommandName::Setup,
        Some("channels"),
        &[("announcements", OptionValue::Channel(300))],
    )
    .await;
    let form = command(
        &state,
        &organizer,
        CommandName::Announce,
        None,
        &[("at", s("2026-12-01 09:00"))],
    )
    .await;
    let Body::Modal(modal) = form.body else {
        panic!("expected the announcement form, got {:?}", form.body)
    };
    let fields = vec![
        ("title".to_string(), "AG 2026".to_string()),
        ("message".to_string(), "Venez nombreux !".to_string()),
    ];
    handlers::handle(
        &state,
        &organizer,
        Invocation::Modal {
            custom_id: modal.custom_id,
            fields,
        },
    )
    .await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    assert!(out.posts_in(300).is_empty(), "too early: {:?}", out.sent());
    // 09:00 in Paris is 08:00 UTC: a second before, still nothing.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 1, 7, 59, 59).unwrap());
    run_due(&state, &out).await.unwrap();
    assert!(out.posts_in(300).is_empty(), "too early: {:?}", out.sent());
    clock.set(Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 30).unwrap());
    run_due(&state, &out).await.unwrap();
    run_due(&state, &out).await.unwrap();
    let posts = out.posts_in(300);
    assert_eq!(posts.len(), 1, "{:?}", out.sent());
    assert!(posts[0].contains("AG 2026") && posts[0].contains("Venez nombreux"));
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
    command(
        &state,
        &ctx(ORGANIZER, true),
        CommandName::Event,
        Some("create"),
        &[
            ("title", s("Café numérique")),
            ("when", s("2026-12-03 18:30")),
            ("repeat", s("weekly")),
        ],
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

/// Stores a scheduled announcement as a forged or corrupt row could be.
async fn scheduled(state: &AppState, channel_id: u64, title: &str, ping_role: Option<u64>) -> i64 {
    use rencontre::store::announcements::{self, Announcement};
    let announcement = Announcement {
        id: 0,
        guild_id: 1,
        channel_id,
        author_id: ORGANIZER,
        title: title.into(),
        message: "Venez nombreux !".into(),
        event_id: None,
        ping_role,
        post_at: Some(state.now() + Duration::minutes(5)),
    };
    announcements::insert(&state.pool, &announcement, state.now())
        .await
        .unwrap()
}

async fn job_of(state: &AppState, announcement: i64) -> (String, Option<String>) {
    rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT status, last_error FROM jobs WHERE kind = 'announcement' AND ref_id = $1"
    )
    .bind(announcement)
    .fetch_one(db)
    .await)
    .unwrap()
}

/// A scheduled announcement aimed at channel 0, at another server's channel
/// or role, or one whose posting panics, is set aside with its cause; the
/// runner goes on and posts the next one.
#[tokio::test]
async fn bad_scheduled_announcements_do_not_stop_the_runner() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    out.foreign.lock().unwrap().extend([(200, 2), (20, 2)]);
    out.panicking_channels.lock().unwrap().insert(666);
    let zero = scheduled(&state, 0, "Canal zéro", None).await;
    let foreign_channel = scheduled(&state, 200, "Salon d'ailleurs", None).await;
    let foreign_role = scheduled(&state, 300, "Rôle d'ailleurs", Some(20)).await;
    let panicking = scheduled(&state, 666, "Plantage", None).await;
    let good = scheduled(&state, 300, "AG 2026", None).await;
    clock.advance(Duration::minutes(6));
    run_due(&state, &out).await.expect("the runner survives");
    let posts = out.posts_in(300);
    assert_eq!(posts.len(), 1, "{:?}", out.sent());
    assert!(posts[0].contains("AG 2026"));
    assert!(out.posts_in(200).is_empty() && out.posts_in(0).is_empty());
    for id in [zero, foreign_channel, foreign_role] {
        assert_eq!(job_of(&state, id).await.0, "dropped");
        let status: String = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
            "SELECT status FROM announcements WHERE id = $1"
        )
        .bind(id)
        .fetch_one(db)
        .await)
        .unwrap();
        assert_eq!(status, "failed");
    }
    let (status, error) = job_of(&state, panicking).await;
    assert_eq!(status, "failed");
    assert!(
        error.unwrap_or_default().contains("panicked"),
        "the cause is kept"
    );
    assert_eq!(job_of(&state, good).await.0, "done");
    // Nothing is retried later.
    clock.advance(Duration::days(1));
    assert_eq!(run_due(&state, &out).await.unwrap(), 0);
}
