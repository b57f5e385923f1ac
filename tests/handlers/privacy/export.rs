//! What `/privacy export` gives a member, and what erasing leaves of them.

use super::*;

#[tokio::test]
async fn export_then_erase_leaves_no_trace_and_keeps_the_counts() {
    let (state, clock, _dir) = support::state().await;
    let past = event(&state, 1, "Conférence fibre", "2026-11-30 18:00", 5).await;
    let upcoming = event(&state, 1, "Salon Entrepreneurs Expo", "2026-12-10 10:00", 1).await;
    rsvp(&state, 1, ERIN, past, "je viens avec un collègue").await;
    rsvp(&state, 1, 22, past, "").await;
    rsvp(&state, 1, ERIN, upcoming, "").await;
    rsvp(&state, 1, 23, upcoming, "").await; // waitlisted behind Erin
    let erin = member(ERIN, &format!("user{ERIN}"));
    let form = [
        ("name", "Erin Leroy"),
        ("organization", "XYZ"),
        ("about", "Trésorière"),
        ("skills", "fibre"),
        ("website", ""),
    ];
    let fields = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    run(
        &state,
        &erin,
        Invocation::Modal {
            custom_id: "intro:v1:form".into(),
            fields,
        },
    )
    .await;
    run(&state, &erin, cmd(CommandName::Reminders, Some("off"), &[])).await;

    // Export: everything about Erin, nothing about others.
    let reply = run(&state, &erin, cmd(CommandName::Privacy, Some("export"), &[])).await;
    let Body::Message(message) = &reply.body else {
        panic!()
    };
    assert!(message.private);
    let json = String::from_utf8(message.attachments[0].bytes.clone()).unwrap();
    for expected in [
        "Erin Leroy",
        "Trésorière",
        "Conférence fibre",
        "Salon Entrepreneurs Expo",
        "je viens avec un collègue",
        // An on/off setting: 0 on SQLite, false on PostgreSQL.
        if matches!(state.pool, rencontre::store::Db::Postgres(_)) {
            "\"reminders_enabled\": false"
        } else {
            "\"reminders_enabled\": 0"
        },
    ] {
        assert!(json.contains(expected), "{expected} missing from {json}");
    }
    assert!(!json.contains("user22") && !json.contains("\"user_id\": \"22\""));

    // The past event happened; its figures for the yearly report.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 10, 0, 0).unwrap());
    let before = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();

    // Delete asks first, then erases on the button.
    let ask = run(&state, &erin, cmd(CommandName::Privacy, Some("delete"), &[])).await;
    let Body::Message(ask) = &ask.body else { panic!() };
    assert_eq!(ask.rows[0][0].custom_id, "privacy:v1:delete");
    assert!(
        !traces_of(&state, ERIN).await.is_empty(),
        "nothing erased before the confirmation"
    );
    let done = run(
        &state,
        &erin,
        Invocation::Component {
            custom_id: "privacy:v1:delete".into(),
        },
    )
    .await;
    // The freed seat went to member 23, told by the job runner (which
    // also writes the languages members were seen in: not Erin's).
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(23).len(), 1, "{:?}", out.sent());
    assert!(!done.effects.is_empty());

    assert_eq!(
        traces_of(&state, ERIN).await,
        Vec::<String>::new(),
        "the member's id is gone everywhere"
    );
    let after = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();
    assert_eq!(
        (after.total_going, after.unique_attendees),
        (before.total_going, before.unique_attendees)
    );
    let notes: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps WHERE note LIKE '%collègue%'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(notes, 0);
}

#[tokio::test]
async fn the_export_lists_every_table_that_holds_the_member() {
    let (state, clock, _dir) = support::state().await;
    let state = state.with_feed_base("http://127.0.0.1:1");
    let erin = member(ERIN, &format!("user{ERIN}"));
    // Erin organizes, answers, introduces herself, subscribes, writes an
    // announcement and gets a reminder: a row in every table that can name her.
    let created = run(
        &state,
        &organizer(ERIN, &format!("user{ERIN}")),
        cmd(
            CommandName::Event,
            Some("create"),
            &[("title", s("Atelier fibre")), ("when", s("2026-12-02 18:00"))],
        ),
    )
    .await;
    let event_id = created
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshCard { event_id } => Some(*event_id),
            _ => None,
        })
        .unwrap();
    rsvp(&state, 1, ERIN, event_id, "").await;
    introduce(&state, &erin, "Erin Leroy", "Trésorière").await;
    run(&state, &erin, cmd(CommandName::Reminders, Some("off"), &[])).await;
    run(&state, &erin, cmd(CommandName::Reminders, Some("on"), &[])).await;
    run(&state, &erin, cmd(CommandName::Calendar, None, &[])).await;
    rencontre::on_db!(&state.pool, |db| sqlx::query(
        "INSERT INTO announcements (guild_id, channel_id, author_id, title, message, created_at)
         VALUES (1, 100, $1, 'Bienvenue', 'Le mot de la trésorière', 0)",
    )
    .bind(ERIN as i64)
    .execute(db)
    .await
    .map(drop))
    .unwrap();
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 17, 1, 0).unwrap());
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert!(!out.dms_to(ERIN).is_empty(), "the 24 h reminder reached Erin");

    let reply = run(&state, &erin, cmd(CommandName::Privacy, Some("export"), &[])).await;
    let Body::Message(message) = &reply.body else {
        panic!()
    };
    let export: serde_json::Value = serde_json::from_slice(&message.attachments[0].bytes).unwrap();
    let exported = export["tables"].as_object().unwrap();
    // Every table where her id appears, whatever the column, is in the export
    // with her rows.
    let holding: Vec<String> = traces_of(&state, ERIN)
        .await
        .into_iter()
        .map(|t| t.split(':').next().unwrap().to_owned())
        .collect();
    for table in [
        "calendar_feeds",
        "job_deliveries",
        "member_prefs",
        "introductions",
        "rsvps",
        "events",
        "announcements",
    ] {
        assert!(
            holding.iter().any(|t| t == table),
            "{table} holds Erin: {holding:?}"
        );
    }
    for table in &holding {
        let rows = exported.get(table).and_then(|v| v.as_array());
        assert!(
            rows.is_some_and(|rows| !rows.is_empty()),
            "{table} holds Erin but is not in her export: {export:#}"
        );
    }
    let text = export.to_string();
    for expected in [
        "Atelier fibre",
        "Le mot de la trésorière",
        "Trésorière",
        "\"scope\":\"all\"",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
}
