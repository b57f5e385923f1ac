//! Closing a poll, by hand or at its deadline: the event it creates, the
//! DMs, the report.

use super::*;

#[tokio::test]
async fn closing_creates_the_event_like_event_create_and_tells_who_could_come_once() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    answered(&state, id).await;
    let reply = close(&state, "Apéro", None).await;
    assert_eq!(
        private_text(&reply),
        "Sondage « Apéro » clos : l'événement aura lieu le <t:1796319000:F>, sa fiche est publiée dans <#100>. \
         Les 3 personnes qui peuvent venir sont prévenues par message privé."
    );
    rencontre::delivery::deliver(&state, &out, reply.effects).await;
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    let event_id = poll.event_id.expect("the event");
    let event = store::events::get(&state.pool, GUILD, event_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.title, "Apéro");
    assert_eq!(
        event.starts_at,
        Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap()
    );
    assert_eq!(event.ends_at - event.starts_at, Duration::hours(2));
    // Its reminders are planned as for `/event create`.
    let reminders: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'reminder' AND ref_id = $1 AND status = 'pending'",
    )
    .bind(event_id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(reminders, 2);
    run_due(&state, &out).await.unwrap();
    let event = store::events::get(&state.pool, GUILD, event_id)
        .await
        .unwrap()
        .unwrap();
    let card_id = event.card_message_id.expect("the event card was posted");
    assert!(out
        .posts_in(100)
        .iter()
        .any(|p| p.contains("Apéro") && !p.contains("📊")));
    let link = format!("https://discord.com/channels/1/100/{card_id}");
    for user in [21, 22] {
        let dms = out.dms_to(user);
        assert_eq!(dms.len(), 1, "{:?}", out.sent());
        assert_eq!(
            dms[0],
            format!(
                "Le sondage « Apéro » est clos : l'événement aura lieu le <t:1796319000:F>. \
                 Vous pouviez venir à cette date ; répondez sur sa fiche : {link}"
            )
        );
    }
    assert!(
        out.dms_to(24)[0].starts_with("The poll \"Apéro\" is closed"),
        "{:?}",
        out.dms_to(24)
    );
    assert!(out.dms_to(23).is_empty(), "dave could not come on Thursday");
    // The card shows the result; a late tap is told the poll is closed.
    assert!(
        card(&out).contains("Sondage clos. Date retenue : <t:1796319000:F>"),
        "{}",
        card(&out)
    );
    let reply = run(&state, &member(23, "dave"), tap(id, 0, "yes")).await;
    let text = private_text(&reply);
    assert!(
        text.starts_with("Ce sondage est clos.\nSondage clos. Date retenue"),
        "{text}"
    );
    assert!(
        text.contains("✔ 1. jeu. 3/12 18h30 — ✅ 2 oui · 🤷 1 si besoin"),
        "{text}"
    );
    // Nothing more, however often the runner looks; closing again changes nothing.
    run_due(&state, &out).await.unwrap();
    let again = close(&state, "Apéro", Some("2")).await;
    assert!(private_text(&again).starts_with("Ce sondage est clos."));
    run_due(&state, &out).await.unwrap();
    assert_eq!(
        out.sent().iter().filter(|s| matches!(s, Sent::Dm { .. })).count(),
        3
    );
    let events: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM events"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test]
async fn the_organizer_may_pick_another_date_and_a_past_one_is_refused() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    answered(&state, id).await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap());
    let reply = close(&state, "Apéro", Some("1")).await;
    assert!(
        private_text(&reply).starts_with("Cette date est déjà passée"),
        "{reply:?}"
    );
    let reply = close(&state, "Apéro", Some("9")).await;
    assert!(
        private_text(&reply).starts_with("Ce sondage n'a pas de date `9`"),
        "{reply:?}"
    );
    let reply = close(&state, &id.to_string(), Some("vendredi 12h")).await;
    assert!(private_text(&reply).contains("<t:1796382000:F>"), "{reply:?}");
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(23).len(), 1, "dave could come on Friday");
    assert!(out.dms_to(21).is_empty());
}

#[tokio::test]
async fn dms_after_a_close_reach_each_member_once_across_a_restart_in_the_middle() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    answered(&state, id).await;
    close(&state, "Apéro", None).await;
    // First run: carol's DM fails for a reason that may pass; bob and erin
    // are told, and the job waits to retry.
    let first = Recorder::default();
    first.failing_dms.lock().unwrap().insert(22);
    run_due(&state, &first).await.unwrap();
    assert_eq!(first.dms_to(21).len(), 1);
    assert_eq!(first.dms_to(24).len(), 1);
    // The bot is killed while the retry is under way (claimed, never finished).
    clock.advance(Duration::minutes(10));
    let claimed = store::jobs::claim_due(&state.pool, clock_now(&state), 50)
        .await
        .unwrap();
    assert!(
        claimed.iter().any(|j| j.kind == store::jobs::Kind::PollClosed),
        "{claimed:?}"
    );
    let state = AppState::new(state.pool.clone(), state.clock.clone());
    rencontre::jobs::resume_after_restart(&state).await;
    let second = Recorder::default();
    run_due(&state, &second).await.unwrap();
    assert_eq!(second.dms_to(22).len(), 1, "{:?}", second.sent());
    assert!(
        second.dms_to(21).is_empty() && second.dms_to(24).is_empty(),
        "{:?}",
        second.sent()
    );
    // The event card was posted once: the second run edits it.
    let posts = |r: &Recorder| r.posts_in(100).iter().filter(|p| !p.contains("📊")).count();
    assert_eq!(posts(&first) + posts(&second), 1);
}

#[tokio::test]
async fn the_deadline_closes_the_poll_at_its_leading_date_even_after_a_restart() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let (reply, id) = create_poll(
        &state,
        &[
            ("title", s("Apéro")),
            ("dates", s(DATES)),
            ("deadline", s("2026-12-02 12:00")),
        ],
    )
    .await;
    rencontre::delivery::deliver(&state, &out, reply.effects).await;
    assert!(card(&out).contains("Clôture : <t:"), "{}", card(&out));
    answered(&state, id).await;
    run_due(&state, &out).await.unwrap();
    assert!(store::polls::get(&state.pool, GUILD, id)
        .await
        .unwrap()
        .unwrap()
        .closed_at
        .is_none());
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 11, 0, 1).unwrap());
    let state = AppState::new(state.pool.clone(), state.clock.clone());
    rencontre::jobs::resume_after_restart(&state).await;
    run_due(&state, &out).await.unwrap();
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    assert_eq!(poll.chosen, Some(0));
    assert!(poll.event_id.is_some());
    assert_eq!(out.dms_to(21).len(), 1);
    assert!(card(&out).contains("Date retenue"), "{}", card(&out));
}

#[tokio::test]
async fn a_poll_nobody_answered_closes_at_its_deadline_without_an_event() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let (_, id) = create_poll(
        &state,
        &[
            ("title", s("Apéro")),
            ("dates", s(DATES)),
            ("deadline", s("2026-12-02 12:00")),
        ],
    )
    .await;
    let reply = close(&state, "Apéro", None).await;
    assert_eq!(
        private_text(&reply),
        "Personne n'a encore répondu : choisissez la date avec l'option `date`."
    );
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    assert!(poll.closed_at.is_some() && poll.event_id.is_none());
    assert!(
        card(&out).contains("Sondage clos sans date retenue."),
        "{}",
        card(&out)
    );
}

#[tokio::test]
async fn the_report_counts_polls_held() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    run(&state, &member(21, "bob"), tap(id, 0, "yes")).await;
    apero(&state, &out).await;
    close(&state, &id.to_string(), None).await;
    let reply = run(
        &state,
        &alice(),
        cmd(Report, None, &[("year", OptionValue::Int(2026))]),
    )
    .await;
    assert!(
        all_text(&reply).contains("Sondages de date clos: 1"),
        "{}",
        all_text(&reply)
    );
}
