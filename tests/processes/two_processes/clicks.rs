//! Clicks split across both processes: a storm stays exact and each click
//! is answered once; `kill -9` of one loses no acknowledged answer.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn a_storm_split_across_two_processes_stays_exact_and_each_click_is_answered_once() {
    const STORM: u64 = 1_000;
    /// Every 20th click is delivered to both processes.
    const TWICE_EVERY: u64 = 20;
    let fake = FakeDiscord::start().await;
    let database = TestDatabase::postgres().await;
    let starts = Utc::now() + chrono::Duration::days(2);
    let (event, card) = seed_event(&database.url, &fake, starts, "24h").await;
    let two = TwoBots::start(&fake, &database.url).await;
    let handled_before = [
        two.counter(0, "rencontre_interactions_total").await,
        two.counter(1, "rencontre_interactions_total").await,
    ];

    let mut sent = Vec::new();
    for i in 0..STORM {
        let user = FIRST_MEMBER + i;
        let (id, click) = going(event, card, user);
        let (to, other) = (
            two.connections[(i % 2) as usize],
            two.connections[((i + 1) % 2) as usize],
        );
        assert!(
            fake.send_interaction_on(to, click.clone()).await,
            "bot on connection {to} is live"
        );
        if i % TWICE_EVERY == 0 {
            assert!(
                fake.send_interaction_on(other, click).await,
                "bot on connection {other} is live"
            );
        }
        sent.push((id, user));
    }

    // The quiet point: every click taken by one process, and every second
    // delivery recognised by the other as answered elsewhere.
    let twice = STORM.div_ceil(TWICE_EVERY);
    let settled = eventually(PATIENCE, || async {
        let handled = two.counter(0, "rencontre_interactions_total").await
            + two.counter(1, "rencontre_interactions_total").await
            - handled_before.iter().sum::<u64>();
        let elsewhere = two.counter(0, "rencontre_interactions_elsewhere_total").await
            + two.counter(1, "rencontre_interactions_elsewhere_total").await;
        let answered = answered_count(&fake, &sent) as u64;
        (handled >= STORM && elsewhere >= twice && answered == STORM).then_some((handled, elsewhere))
    })
    .await;
    assert_eq!(
        settled,
        Some((STORM, twice)),
        "clicks handled, second deliveries set aside"
    );
    for (i, before) in handled_before.iter().enumerate() {
        let share = two.counter(i, "rencontre_interactions_total").await - before;
        assert!(share >= STORM / 2 - twice, "bot {i} answered its share: {share}");
    }

    let answers = answers(&fake, &sent);
    let calls = fake.calls();
    let mut told = Vec::new();
    for (id, user) in &sent {
        let callbacks = &answers[id];
        assert_eq!(
            callbacks.len(),
            1,
            "interaction {id} answered once: {callbacks:#?}"
        );
        told.push((*user, told_by(&calls, id, &callbacks[0])));
    }
    check_told(&database.url, event, &told).await;
    let seated = told.iter().filter(|(_, t)| t.contains("vous participez")).count();
    assert_eq!(seated as i64, CAPACITY, "the first {CAPACITY} got a seat");
    for (mut bot, i) in two.bots.into_iter().zip(0..) {
        let logs = bot.kill9();
        assert!(
            !logs.contains("panicked") && !logs.contains("ERROR"),
            "bot {i}:\n{}",
            tail(&logs, 3_000)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set RENCONTRE_TEST_POSTGRES (README, Test)"
)]
async fn kill_9_of_one_process_mid_storm_loses_no_acknowledged_answer_and_the_other_keeps_answering() {
    const STORM: u64 = 600;
    /// Process 0 is killed once this many clicks were answered.
    const KILL_AFTER: usize = 150;
    let fake = FakeDiscord::start().await;
    let database = TestDatabase::postgres().await;
    let starts = Utc::now() + chrono::Duration::days(2);
    let (event, card) = seed_event(&database.url, &fake, starts, "24h").await;
    let two = TwoBots::start(&fake, &database.url).await;
    let [mut doomed, survivor] = two.bots;
    let [doomed_connection, survivor_connection] = two.connections;

    let mut sent: Vec<(String, u64)> = Vec::new();
    let mut after_kill: Vec<(String, u64)> = Vec::new();
    let mut logs = None;
    for i in 0..STORM {
        // Counting answers reads every call: every tenth click is enough.
        if logs.is_none() && i % 10 == 0 && answered_count(&fake, &sent) >= KILL_AFTER {
            logs = Some(doomed.kill9());
        }
        let (id, click) = going(event, card, FIRST_MEMBER + i);
        // Alternating while both live; only the survivor after the kill.
        if logs.is_none() && i % 2 == 0 && fake.send_interaction_on(doomed_connection, click.clone()).await {
            sent.push((id, FIRST_MEMBER + i));
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        }
        assert!(
            fake.send_interaction_on(survivor_connection, click).await,
            "the survivor is live"
        );
        if logs.is_some() {
            after_kill.push((id.clone(), FIRST_MEMBER + i));
        }
        sent.push((id, FIRST_MEMBER + i));
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let logs = logs.unwrap_or_else(|| panic!("{KILL_AFTER} clicks were never answered"));
    assert!(!after_kill.is_empty(), "clicks went on after the kill");

    // Every click sent to the survivor after the kill is answered.
    let answered = eventually(PATIENCE, || async {
        (answered_count(&fake, &after_kill) == after_kill.len()).then_some(())
    })
    .await;
    assert!(
        answered.is_some(),
        "the survivor answered every click after the kill"
    );
    let answers = answers(&fake, &sent);
    let calls = fake.calls();
    let mut told = Vec::new();
    for (id, user) in &sent {
        let callbacks = &answers[id];
        assert!(
            callbacks.len() <= 1,
            "interaction {id} answered once: {callbacks:#?}"
        );
        // A click deferred by the killed bot may have told nothing more:
        // its row, if any, is checked by the queue's rules.
        let text = callbacks
            .first()
            .map(|c| told_by(&calls, id, c))
            .unwrap_or_default();
        if !text.is_empty() {
            told.push((*user, text));
        }
    }
    assert!(told.len() >= KILL_AFTER + after_kill.len());
    check_told(&database.url, event, &told).await;
    assert!(!logs.contains("panicked"), "{}", tail(&logs, 3_000));
    drop(survivor);
}
