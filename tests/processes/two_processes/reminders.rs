//! A reminder due while both processes run reaches each member once.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn a_reminder_due_while_both_processes_run_reaches_each_member_once() {
    const GOING: u64 = 40;
    let fake = FakeDiscord::start().await;
    let database = TestDatabase::postgres().await;
    // Event times are typed to the minute: the 1 h reminder of an event a
    // little more than an hour away is due within two minutes; it is then
    // moved to a few seconds after both bots are up.
    let starts = Utc::now() + chrono::Duration::minutes(62);
    let (event, _) = seed_event(&database.url, &fake, starts, "1h").await;
    let pool = rencontre::store::connect(&database.url).await.unwrap();
    let state = AppState::new(pool, Arc::new(ManualClock::new(Utc::now())));
    for user in FIRST_MEMBER..FIRST_MEMBER + GOING {
        let who = support::calls::member(user, &format!("membre{user}"));
        let answer = run(&state, &who, support::calls::rsvp_button(event, "going")).await;
        rencontre::delivery::deliver(&state, &Recorder::default(), answer.effects).await;
    }
    let due = Utc::now() + chrono::Duration::seconds(10);
    let moved = rencontre::on_db!(&state.pool, |db| sqlx::query(
        "UPDATE jobs SET due_at = $1 WHERE kind = 'reminder' AND ref_id = $2 AND status = 'pending'"
    )
    .bind(due.timestamp())
    .bind(event)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(moved, 1, "one reminder planned");

    let two = TwoBots::start(&fake, &database.url).await;
    assert!(Utc::now() < due, "both bots ran before the reminder fell due");
    let done = eventually(PATIENCE, || async {
        let status: String = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
            "SELECT status FROM jobs WHERE kind = 'reminder' AND ref_id = $1"
        )
        .bind(event)
        .fetch_one(db)
        .await)
        .unwrap();
        (status == "done").then_some(())
    })
    .await;
    assert!(done.is_some(), "the reminder was sent");
    let calls = fake.calls();
    for user in FIRST_MEMBER..FIRST_MEMBER + GOING {
        let path = format!("/channels/{}/messages", DM_CHANNEL_BASE + user);
        let dms = matching(&calls, "POST", &path);
        assert_eq!(dms.len(), 1, "member {user}'s reminders: {dms:#?}");
        assert!(dms[0].body.to_string().contains(TITLE), "{:#}", dms[0].body);
    }
    state.pool.close().await;
    for (mut bot, i) in two.bots.into_iter().zip(0..) {
        let logs = bot.kill9();
        assert!(!logs.contains("panicked"), "bot {i}:\n{}", tail(&logs, 3_000));
    }
}
