//! Calendar feeds behind secret links: cancellations, stable UIDs, links
//! per member and cut on demand; health and metrics.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_behind_secret_links_with_cancellations_and_stable_uids() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    let kept = create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    let dropped = create(&state, &alice, "Conférence 4G", "2026-12-08 18:30").await;
    create(&state, &alice, "Salon Entrepreneurs Expo", "2026-12-15 10:00").await;
    run(
        &state,
        &alice,
        cmd(CommandName::Event, Some("cancel"), &[("event", ev(dropped))]),
    )
    .await;
    let bob = member(21, "bob");
    run(&state, &bob, rsvp(kept, "going")).await;

    // The server's feed: every event, the cancelled one marked so.
    let reply = run(&state, &bob, cmd(CommandName::Calendar, None, &[])).await;
    let all_path = link_path(&private_text(&reply));
    let (status, body) = get(address, &all_path).await;
    assert_eq!(status, 200);
    let events = parse(&body);
    assert_eq!(events.len(), 3, "{body}");
    validate_independently(&body);
    let cancelled = events.iter().find(|(title, _)| title == "Conférence 4G").unwrap();
    assert!(cancelled.1.ends_with("CANCELLED"), "{cancelled:?}");
    let (_, again) = get(address, &all_path).await;
    assert_eq!(parse(&again), events, "stable UIDs and content");

    // Bob's own feed: only what he answered.
    let reply = run(
        &state,
        &bob,
        cmd(CommandName::Calendar, None, &[("scope", s("mine"))]),
    )
    .await;
    let mine_path = link_path(&private_text(&reply));
    assert_ne!(mine_path, all_path);
    let (_, body) = get(address, &mine_path).await;
    let titles: Vec<String> = parse(&body).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["Rencontres numériques"]);

    // A new link replaces the old one.
    let reply = run(
        &state,
        &bob,
        cmd(
            CommandName::Calendar,
            None,
            &[("scope", s("mine")), ("new_link", OptionValue::Bool(true))],
        ),
    )
    .await;
    let renewed = link_path(&private_text(&reply));
    assert_ne!(renewed, mine_path);
    assert_eq!(get(address, &mine_path).await.0, 404);
    assert_eq!(get(address, &renewed).await.0, 200);
    assert_eq!(
        get(address, "/calendar/0123456789abcdef0123456789abcdef01234567.ics")
            .await
            .0,
        404
    );
    assert_eq!(get(address, "/calendar/%27%20OR%201%3D1%20--").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_member_has_their_own_links_and_only_admins_cut_everyone_s() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    let (bob, carol) = (member(21, "bob"), member(22, "carol"));

    // Each member gets their own link to the server's agenda.
    let bob_all = link(&state, &bob, &[]).await;
    let carol_all = link(&state, &carol, &[]).await;
    assert_ne!(bob_all, carol_all);
    assert_eq!(link(&state, &bob, &[]).await, bob_all, "the same link each time");
    let (_, body) = get(address, &carol_all).await;
    assert_eq!(parse(&body).len(), 1, "{body}");

    // Bob replaces his (it leaked): Carol's subscription keeps working.
    let bob_new = link(&state, &bob, &[("new_link", OptionValue::Bool(true))]).await;
    assert_ne!(bob_new, bob_all);
    assert_eq!(get(address, &bob_all).await.0, 404);
    assert_eq!(get(address, &bob_new).await.0, 200);
    assert_eq!(
        get(address, &carol_all).await.0,
        200,
        "Carol's link survives Bob's new one"
    );

    // A link shared by everyone, as older versions gave, still opens...
    let shared = "00112233445566778899aabbccddeeff00112233";
    rencontre::on_db!(&state.pool, |db| sqlx::query(
        "INSERT INTO calendar_feeds (token, guild_id, user_id, scope, created_at) VALUES ($1, 1, NULL, 'all', 0)",
    )
    .bind(shared)
    .execute(db)
    .await.map(drop))
    .unwrap();
    assert_eq!(get(address, &format!("/calendar/{shared}.ics")).await.0, 200);

    // Cutting everyone's links is refused to a member, and changes nothing.
    let reply = run(
        &state,
        &bob,
        cmd(
            CommandName::Calendar,
            None,
            &[("revoke_all", OptionValue::Bool(true))],
        ),
    )
    .await;
    let refusal = private_text(&reply);
    assert!(refusal.contains("Seuls les administrateurs"), "{refusal}");
    assert!(!refusal.contains("http://"), "{refusal}");
    assert_eq!(get(address, &carol_all).await.0, 200);

    // An admin cuts them all (the old shared one too), and gets a new one.
    let root = admin(1, "root");
    let reply = run(
        &state,
        &root,
        cmd(
            CommandName::Calendar,
            None,
            &[("revoke_all", OptionValue::Bool(true))],
        ),
    )
    .await;
    let text = private_text(&reply);
    assert!(
        text.contains("Les 3 liens d'abonnement de ce serveur sont coupés"),
        "{text}"
    );
    for old in [&bob_new, &carol_all, &format!("/calendar/{shared}.ics")] {
        assert_eq!(get(address, old).await.0, 404, "{old} still opens");
    }
    assert_eq!(get(address, &link_path(&text)).await.0, 200);
    let carol_again = link(&state, &carol, &[]).await;
    assert_ne!(carol_again, carol_all);
    assert_eq!(get(address, &carol_again).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasing_one_s_data_cuts_one_s_links_everywhere() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let bob = member(21, "bob");
    let carol = member(22, "carol");
    let links = [
        link(&state, &bob, &[]).await,
        link(&state, &bob, &[("scope", s("mine"))]).await,
        link(&state, &in_guild(member(21, "bob"), 2), &[]).await,
    ];
    let carol_all = link(&state, &carol, &[]).await;
    for path in &links {
        assert_eq!(get(address, path).await.0, 200);
    }
    run(&state, &bob, click("privacy:v1:delete")).await;
    for path in &links {
        assert_eq!(
            get(address, path).await.0,
            404,
            "{path} still opens after erasure"
        );
    }
    assert_eq!(get(address, &carol_all).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics() {
    let (state, clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    assert_eq!(get(address, "/healthz").await, (200, "ok\n".to_owned()));
    let value_in = |body: &str, name: &str| -> i64 { web::metric(body, name).unwrap_or(-1) };
    // The interaction counter is the process's, shared with the tests
    // running beside this one: only its growth is this test's.
    let interactions_before = value_in(&get(address, "/metrics").await.1, "rencontre_interactions_total");
    let alice = organizer(10, "alice");
    let id = create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    // Two clicks one after the other: two transactions of one click each
    // (the writer is this test's own).
    run(&state, &member(21, "bob"), rsvp_button(id, "going")).await;
    run(&state, &member(22, "carol"), rsvp_button(id, "maybe")).await;
    // The 24 h reminder is due and nobody ran it: the lag shows.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 2, 18, 30, 0).unwrap());
    let (status, body) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    let value = |name: &str| value_in(&body, name);
    assert!(interactions_before >= 0, "{body}");
    assert!(
        value("rencontre_interactions_total") > interactions_before,
        "{body}"
    );
    assert_eq!(value("rencontre_job_lag_seconds"), 3_600, "{body}");
    // This test's own database: the reminders 24 h and 1 h before, the card
    // refreshes when check-in opens and when the event ends.
    assert_eq!(value("rencontre_jobs_pending"), 4, "{body}");
    assert_eq!(value("rencontre_rsvp_transactions_total"), 2, "{body}");
    assert_eq!(value("rencontre_rsvp_clicks_total"), 2, "{body}");
    assert!(body.contains("# TYPE rencontre_gateway_connected gauge"));
}
