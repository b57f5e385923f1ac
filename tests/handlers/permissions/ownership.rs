//! Whose events: servers never reach each other's, and Create Events
//! alone changes only one's own.

use super::*;

#[tokio::test]
async fn servers_never_reach_each_others_events() {
    let (state, _dir, _id) = world().await;
    let secret = "Secret du bureau B";
    let b_org = in_guild(organizer(70, "zoe"), OTHER_GUILD);
    let b_id = create(&state, &b_org, secret, "2026-12-04 18:30").await;
    run(
        &state,
        &in_guild(member(71, "yann"), OTHER_GUILD),
        rsvp(b_id, "going"),
    )
    .await;
    let theirs = open_announce(&state, &b_org, &[("channel", OptionValue::Channel(300))]).await;
    let before = snapshot(&state).await;

    for standing in STANDINGS {
        let ctx = as_(standing);
        let organizer = standing != Standing::Member;
        for text in [b_id.to_string(), secret.to_owned()] {
            let event = ("event", s(&text));
            // (organizers only?, invocation)
            let attempts = [
                (
                    true,
                    cmd(Event, Some("edit"), &[event.clone(), ("title", s("Pirate"))]),
                ),
                (true, cmd(Event, Some("cancel"), std::slice::from_ref(&event))),
                (true, cmd(Announce, None, std::slice::from_ref(&event))),
                (false, cmd(Event, Some("show"), std::slice::from_ref(&event))),
                (false, cmd(Event, Some("attendees"), std::slice::from_ref(&event))),
                (false, cmd(Rsvp, None, &[event.clone(), ("status", s("going"))])),
            ];
            for (organizers_only, invocation) in attempts {
                let reply = run(&state, &ctx, invocation.clone()).await;
                let expected = match organizers_only && !organizer {
                    true => NOT_ORGANIZER.to_owned(),
                    false => unknown_event(&text),
                };
                assert!(says(&reply, &expected), "{standing:?} {invocation:?}: {reply:?}");
                assert!(reply.effects.is_empty(), "{reply:?}");
            }
        }
        for id in [format!("rsvp:v1:{b_id}:going"), format!("checkin:v1:{b_id}")] {
            let text = private_text(&run(&state, &ctx, click(&id)).await);
            assert!(text == GONE || text == STALE, "{standing:?} {id}: {text}");
        }
        // B's own form submitted from A, even by the same user id.
        let mut ctx_b_user = ctx.clone();
        ctx_b_user.caller.user_id = b_org.caller.user_id;
        let reply = run(
            &state,
            &ctx_b_user,
            form(&theirs, &[("title", "t"), ("message", "m")]),
        )
        .await;
        let expected = if organizer { EXPIRED_FORM } else { NOT_ORGANIZER };
        assert!(says(&reply, expected), "{standing:?}: {reply:?}");
        assert_eq!(
            snapshot(&state).await,
            before,
            "{standing:?} changed another server"
        );

        // Nothing of B shows up in A's lists either.
        let autocomplete = Invocation::Autocomplete {
            command: Rsvp,
            sub: None,
            focused: "event".into(),
            options: opts(&[("event", s(""))]),
        };
        let agenda = cmd(Agenda, None, &[]);
        for shown in [
            &run(&state, &ctx, autocomplete).await,
            &run(&state, &ctx, agenda).await,
        ] {
            let shown = all_text(shown);
            assert!(shown.contains(TITLE) && !shown.contains("Secret"), "{shown}");
        }
        let reply = run(&state, &ctx, cmd(Calendar, None, &[])).await;
        let ics = String::from_utf8_lossy(&message(&reply).attachments[0].bytes).into_owned();
        assert!(
            ics.contains("SUMMARY:Rencontres num") && !ics.contains("Secret"),
            "{ics}"
        );
    }
    let b_event = store::events::get(&state.pool, OTHER_GUILD, b_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((b_event.title.as_str(), b_event.cancelled), (secret, false));
    assert_eq!(store::rsvps::list(&state.pool, b_id).await.unwrap().len(), 1);
}

/// *Create Events* alone (Discord's rule for its own scheduled events): one
/// creates events and edits or cancels the ones one created; nothing more.
#[tokio::test]
async fn create_events_alone_changes_only_ones_own_events() {
    let (state, _dir, theirs) = world().await;
    let mut maker = member(60, "camille");
    maker.caller.permissions.create_events = true;
    let mine = create(&state, &maker, "Atelier SEO", "2026-12-10 18:30").await;
    let other_mine = create(&state, &maker, "Atelier fibre", "2026-12-11 18:30").await;

    let reply = run(
        &state,
        &maker,
        on("edit", mine, &[("title", "Atelier SEO local")]),
    )
    .await;
    assert!(
        says(
            &reply,
            "Événement « Atelier SEO local » modifié ; sa fiche est à jour."
        ),
        "{reply:?}"
    );
    let reply = run(&state, &maker, on("cancel", other_mine, &[])).await;
    assert!(
        says(
            &reply,
            "Événement « Atelier fibre » annulé ; les inscrits sont prévenus."
        ),
        "{reply:?}"
    );

    let before = snapshot(&state).await;
    let not_mine = "Vous ne pouvez modifier ou annuler que les événements que vous avez créés ; pour les autres, demandez à un organisateur.";
    for invocation in [
        on("edit", theirs, &[("title", "Pirate")]),
        on("cancel", theirs, &[]),
    ] {
        let reply = run(&state, &maker, invocation).await;
        assert!(says(&reply, not_mine) && reply.effects.is_empty(), "{reply:?}");
    }
    // Organizer-only commands stay closed.
    for invocation in [
        cmd(Announce, None, &[("channel", OptionValue::Channel(300))]),
        cmd(Report, None, &[]),
    ] {
        let reply = run(&state, &maker, invocation).await;
        assert!(says(&reply, NOT_ORGANIZER), "{reply:?}");
    }
    let reply = run(&state, &maker, on("attendees", theirs, &[])).await;
    assert!(files(&reply).is_empty(), "no attendee CSV: {reply:?}");
    assert_eq!(snapshot(&state).await, before, "nothing of another's changed");
    let event = store::events::get(&state.pool, GUILD, theirs)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((event.title.as_str(), event.cancelled), (TITLE, false));
}
