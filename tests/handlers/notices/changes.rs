//! Changes and cancellations told once per member, in their language;
//! an event that has ended cannot change.

use super::*;

#[tokio::test]
async fn a_change_and_a_cancellation_survive_a_restart_and_reach_each_member_once() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    run(&state, &member(22, "carol"), rsvp_button(id, "maybe")).await;
    run(&state, &member(24, "erin"), rsvp_button(id, "declined")).await;
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
        run(&state, &member(21, "bob"), rsvp_button(id, "going")).await;
    }
    run(&state, &member(22, "carol"), rsvp_button(first + 1, "going")).await;
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
    run(&state, &nobody, rsvp_button(id, "going")).await;
    run(&state, &bob_en, rsvp_button(id, "declined")).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let dave = out.dms_to(23);
    assert_eq!(dave.len(), 1, "{:?}", out.sent());
    assert!(dave[0].starts_with("Bonne nouvelle"), "{}", dave[0]);

    run(&state, &bob_en, rsvp_button(id, "maybe")).await;
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
