//! Hostile values in options and fields: stored verbatim and inert when
//! legitimate, refused clearly otherwise.

use super::*;

#[tokio::test]
async fn odd_but_legitimate_titles_are_stored_verbatim_and_never_ping() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    for (i, title) in INERT.iter().enumerate() {
        let when = format!("2026-12-{:02} 18:30", 3 + i);
        let reply = run(&state, &alice, new_event(title, &when)).await;
        let text = private_text(&reply);
        assert!(text.contains("créé pour le"), "{title:?}: {text}");
        let Body::Message(message) = &reply.body else {
            panic!()
        };
        assert_eq!(message.ping_role, None, "replies never ping");
    }
    let (events, total) = rencontre::store::events::upcoming(&state.pool, GUILD, state.now(), None, 50, 0)
        .await
        .unwrap();
    assert_eq!(total, INERT.len() as i64);
    for title in INERT {
        assert!(
            events.iter().any(|e| e.title == title),
            "{title:?} stored verbatim"
        );
    }
    // The agenda shows them and still pings nobody.
    let agenda = run(&state, &member(20, "bob"), cmd(CommandName::Agenda, None, &[])).await;
    let Body::Message(message) = &agenda.body else {
        panic!()
    };
    assert_eq!(message.ping_role, None);
    assert!(all_text(&agenda).contains("@everyone @here"));
}

#[tokio::test]
async fn hostile_values_are_refused_with_a_clear_message_and_nothing_saved() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    let admin = admin(1, "root");
    // A real event, so that the RSVP cases reach the checks of its options.
    let event = create(&state, &alice, "Rencontre numérique", "2026-12-03 18:30").await;
    let before = snapshot(&state).await;
    let cases: Vec<(&str, rencontre::handlers::Invocation, &str)> = vec![
        (
            "empty title",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("   ")), ("when", s("demain 18h"))],
            ),
            "obligatoire",
        ),
        (
            "zero-width only title",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("\u{0007}\u{0008}")), ("when", s("demain 18h"))],
            ),
            "obligatoire",
        ),
        (
            "huge capacity",
            cmd(
                CommandName::Event,
                Some("create"),
                &[
                    ("title", s("x")),
                    ("when", s("demain 18h")),
                    ("capacity", OptionValue::Int(i64::MAX)),
                ],
            ),
            "entre 1 et 10\u{202f}000",
        ),
        (
            "negative capacity",
            cmd(
                CommandName::Event,
                Some("create"),
                &[
                    ("title", s("x")),
                    ("when", s("demain 18h")),
                    ("capacity", OptionValue::Int(-5)),
                ],
            ),
            "entre 1 et 10\u{202f}000",
        ),
        (
            "far past",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("x")), ("when", s("1900-01-01 10:00"))],
            ),
            "déjà passée",
        ),
        (
            "far future",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("x")), ("when", s("3000-01-01 10:00"))],
            ),
            "est trop loin : 10 ans à l'avance au plus, soit jusqu'au 29 novembre 2036.",
        ),
        (
            "emoji date",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("x")), ("when", s("🎉 demain"))],
            ),
            "n'ai pas compris la date",
        ),
        (
            "huge guests",
            cmd(
                CommandName::Rsvp,
                None,
                &[
                    ("event", ev(event)),
                    ("status", s("going")),
                    ("guests", OptionValue::Int(i64::MIN)),
                ],
            ),
            "Invités : choisissez un nombre entre 0 et 10.",
        ),
        (
            "mention as search",
            cmd(
                CommandName::Member,
                Some("search"),
                &[("query", s("<@&123> @everyone"))],
            ),
            "Aucune présentation",
        ),
        (
            "FTS operators only",
            cmd(
                CommandName::Member,
                Some("search"),
                &[("query", s("\"* - ( ) ^ :"))],
            ),
            "au moins un mot",
        ),
    ];
    for (name, invocation, expected) in cases {
        let reply = run(&state, &alice, invocation).await;
        let text = private_text(&reply);
        assert!(!text.contains(INTERNAL), "{name}: internal error: {text}");
        assert!(text.contains(expected), "{name}: {text}");
        assert!(!text.is_empty(), "{name}: no answer");
    }
    for (zone, expected) in [
        ("Mars/Olympus_Mons", "pas un fuseau horaire connu"),
        ("../../etc/passwd", "pas un fuseau horaire connu"),
    ] {
        let reply = run(
            &state,
            &admin,
            cmd(CommandName::Setup, Some("timezone"), &[("zone", s(zone))]),
        )
        .await;
        assert!(
            private_text(&reply).contains(expected),
            "{zone}: {}",
            private_text(&reply)
        );
    }
    for offsets in ["-1h", "999999999h", "0", "1h,2h,3h,4h,5h,6h"] {
        let reply = run(
            &state,
            &admin,
            cmd(CommandName::Setup, Some("reminders"), &[("offsets", s(offsets))]),
        )
        .await;
        assert!(
            private_text(&reply).contains("n'ai pas compris les délais"),
            "{offsets}: {}",
            private_text(&reply)
        );
    }
    assert_eq!(before, snapshot(&state).await, "nothing was saved");
}
