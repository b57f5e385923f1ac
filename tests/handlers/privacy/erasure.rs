//! Erasure as a member asks for it and as the bot does it itself: nothing
//! left in the files, nothing that links past answers, a confirmation that
//! can be cancelled, a server the bot left purged after its grace period.

use super::*;

/// The database, its log and anything beside them, lowercased: what someone
/// reading the files would find.
fn raw_files(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with("test.db") {
            bytes.extend(std::fs::read(&path).unwrap());
        }
    }
    bytes.make_ascii_lowercase();
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn erased_text_is_gone_from_the_database_files() {
    let (state, clock, dir) = support::sqlite_state().await;
    let past = event(&state, 1, "Conférence fibre", "2026-11-30 18:00", 5).await;
    let erin = member(ERIN, &format!("user{ERIN}"));
    rsvp(&state, 1, ERIN, past, "arrivera avec Pterodactylus").await;
    introduce(
        &state,
        &erin,
        "Erin Quetzalcoatlus",
        "Trésorière, Archaeopteryx et compagnie",
    )
    .await;
    // Others write after her, as in a living server.
    for user in 0..30u64 {
        introduce(
            &state,
            &member(900 + user, &format!("user{}", 900 + user)),
            &format!("Membre {user}"),
            "Développeuse web",
        )
        .await;
    }
    let markers = ["quetzalcoatlus", "archaeopteryx", "pterodactylus"];
    let before = raw_files(dir.path());
    for marker in markers {
        assert!(
            holds(&before, marker),
            "{marker} is written somewhere before erasure"
        );
    }

    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 10, 0, 0).unwrap());
    run(&state, &erin, click("privacy:v1:delete")).await;
    let after = raw_files(dir.path());
    for marker in markers {
        assert!(
            !holds(&after, marker),
            "{marker} is still in the database files after erasure"
        );
    }
    // The others' introductions are still found.
    let found = run(
        &state,
        &erin,
        cmd(
            CommandName::Member,
            Some("search"),
            &[("query", s("développeuse"))],
        ),
    )
    .await;
    let Body::Message(found) = &found.body else {
        panic!()
    };
    let text = format!("{found:?}");
    assert!(text.contains("Membre 0"), "{text}");
}

#[tokio::test]
async fn anonymized_past_answers_share_no_pseudonym_and_no_exact_time() {
    let (state, clock, _dir) = support::state().await;
    let first = event(&state, 1, "Conférence fibre", "2026-11-30 18:00", 5).await;
    let second = event(&state, 1, "Rencontres numériques", "2026-12-01 18:00", 5).await;
    for event_id in [first, second] {
        rsvp(&state, 1, ERIN, event_id, "").await;
        rsvp(&state, 1, 22, event_id, "").await;
        // Checked in at the door, 17 minutes after the start.
        rencontre::on_db!(&state.pool, |db| sqlx::query(
            "UPDATE rsvps SET checked_in_at = (SELECT starts_at + 1020 FROM events WHERE id = $1)
             WHERE event_id = $1",
        )
        .bind(event_id)
        .execute(db)
        .await
        .map(drop))
        .unwrap();
    }
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 5, 10, 0, 0).unwrap());
    let before = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();
    run(
        &state,
        &member(ERIN, &format!("user{ERIN}")),
        click("privacy:v1:delete"),
    )
    .await;

    let rows: Vec<(i64, i64, Option<i64>, i64)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT r.user_id, r.responded_at, r.checked_in_at, e.starts_at
         FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.user_id < 0 ORDER BY e.starts_at",
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(rows.len(), 2, "both past answers kept for the report");
    assert_ne!(rows[0].0, rows[1].0, "no id links the two answers to one person");
    for (_, responded_at, checked_in_at, starts_at) in &rows {
        assert_eq!(*responded_at, *starts_at, "no time of her own");
        assert_eq!(*checked_in_at, Some(*starts_at), "checked in, but not when");
    }
    let after = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();
    assert_eq!(
        (after.total_going, after.total_checked_in),
        (before.total_going, before.total_checked_in)
    );
}

#[tokio::test]
async fn the_delete_confirmation_can_be_cancelled() {
    let (state, _clock, _dir) = support::state().await;
    let erin = member(ERIN, &format!("user{ERIN}"));
    introduce(&state, &erin, "Erin Leroy", "Trésorière").await;
    let ask = run(&state, &erin, cmd(CommandName::Privacy, Some("delete"), &[])).await;
    let Body::Message(ask) = &ask.body else { panic!() };
    let buttons: Vec<(&str, &str)> = ask.rows[0]
        .iter()
        .map(|b| (b.label.as_str(), b.custom_id.as_str()))
        .collect();
    assert_eq!(
        buttons,
        [
            ("Tout supprimer", "privacy:v1:delete"),
            ("Annuler", "privacy:v1:cancel")
        ]
    );
    let english = locale(erin.clone(), Some("en-GB"));
    let ask = run(&state, &english, cmd(CommandName::Privacy, Some("delete"), &[])).await;
    let Body::Message(ask) = &ask.body else { panic!() };
    assert_eq!(ask.rows[0][1].label, "Cancel");

    let cancelled = run(&state, &erin, click("privacy:v1:cancel")).await;
    let Body::Update(answer) = &cancelled.body else {
        panic!("the question is replaced: {cancelled:?}")
    };
    assert!(answer.private);
    assert!(
        answer
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("Rien n'a été supprimé"),
        "{answer:?}"
    );
    assert!(answer.rows.is_empty(), "no button left to press by mistake");
    assert!(cancelled.effects.is_empty());
    assert!(
        traces_of(&state, ERIN)
            .await
            .iter()
            .any(|t| t.starts_with("introductions")),
        "nothing erased"
    );
}

#[tokio::test]
async fn a_server_the_bot_left_is_purged_after_the_grace_period_unless_it_came_back() {
    let (state, clock, _dir) = support::state().await;
    let a = event(&state, 1, "Rencontres numériques", "2026-12-03 18:30", 5).await;
    rsvp(&state, 1, 21, a, "").await;
    event(&state, 2, "Autre association", "2026-12-04 18:30", 5).await;
    let out = outlet::Recorder::default();

    // Removed, then re-added within the grace period: nothing is lost.
    store::guilds::left(&state.pool, 1, state.now()).await.unwrap();
    store::guilds::present(&state.pool, 1).await.unwrap();
    clock.advance(store::guilds::GRACE + Duration::days(1));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    let count = |guild: i64| {
        let pool = state.pool.clone();
        async move {
            rencontre::on_db!(&pool, |db| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM events WHERE guild_id = $1"
            )
            .bind(guild)
            .fetch_one(db)
            .await)
            .unwrap()
        }
    };
    assert_eq!(count(1).await, 1);

    // Removed for good: purged after the grace period, the other server untouched.
    store::guilds::left(&state.pool, 1, state.now()).await.unwrap();
    clock.advance(Duration::days(29));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert_eq!(count(1).await, 1, "kept during the grace period");
    clock.advance(Duration::days(2));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert_eq!(count(1).await, 0);
    let rsvps: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(rsvps, 0);
    assert_eq!(count(2).await, 1);
}
