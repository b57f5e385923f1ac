//! Scheduled announcements: posted once at their time, and bad ones never
//! stop the runner.

use super::*;

#[tokio::test]
async fn a_scheduled_announcement_is_posted_once_at_its_time() {
    let (state, clock, _dir) = support::state().await;
    let organizer = organizer(ORGANIZER, "member10");
    let mut admin = member(1, "member1");
    admin.caller.permissions.manage_guild = true;
    run(
        &state,
        &admin,
        cmd(
            CommandName::Setup,
            Some("channels"),
            &[("announcements", OptionValue::Channel(300))],
        ),
    )
    .await;
    let form = run(
        &state,
        &organizer,
        cmd(CommandName::Announce, None, &[("at", s("2026-12-01 09:00"))]),
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
