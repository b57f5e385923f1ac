//! How input is read: the caller's locale, dates in Paris, autocomplete,
//! the RSVP deadline; a failing autocomplete is logged.

use super::*;

#[tokio::test]
async fn replies_follow_the_locale_then_the_server_language() {
    let (state, _clock, _dir) = support::state().await;
    let agenda = || cmd(Agenda, None, &[]);
    let bob = member(11, "bob");
    let en_org = "Only organizers can do that (the organizer role, or the Manage Events permission).";
    let check = |reply: &Reply, (title, empty): (&str, &str)| {
        let e = &message(reply).embeds[0];
        assert_eq!(
            (e.title.as_deref(), e.description.as_deref()),
            (Some(title), Some(empty))
        );
    };
    let fr = ("Agenda — à venir", "Aucun événement à venir pour l'instant.");
    let en = ("Agenda — upcoming", "No upcoming events yet.");
    let create = || new_event("X", "jeudi 18h");

    for (loc, texts, refusal) in [
        (Some("fr"), fr, NOT_ORGANIZER),
        (Some("en-GB"), en, en_org),
        (Some("en-US"), en, en_org),
        (None, fr, NOT_ORGANIZER),
        (Some(""), fr, NOT_ORGANIZER),
    ] {
        let ctx = locale(bob.clone(), loc);
        check(&run(&state, &ctx, agenda()).await, texts);
        let text = private_text(&run(&state, &ctx, create()).await);
        assert_eq!(text, refusal, "{loc:?}");
    }

    // An admin switches the server to English: callers without a locale follow.
    let language = cmd(Setup, Some("language"), &[("language", s("en"))]);
    let reply = run(&state, &admin(1, "ada"), language).await;
    let saved = Some("Configuration enregistrée.");
    assert_eq!(message(&reply).content.as_deref(), saved);
    let none = locale(bob.clone(), None);
    check(&run(&state, &none, agenda()).await, en);
    assert_eq!(private_text(&run(&state, &none, create()).await), en_org);
    check(&run(&state, &bob, agenda()).await, fr);
    assert_eq!(private_text(&run(&state, &bob, create()).await), NOT_ORGANIZER);
}

/// Creates an event at `when` and reads its start back from `/event show`.
async fn shown_start(state: &AppState, when: &str) -> i64 {
    let id = create(state, &organizer(10, "alice"), &format!("Test {when}"), when).await;
    let show = cmd(Event, Some("show"), &[("event", ev(id))]);
    let text = all_text(&run(state, &member(11, "bob"), show).await);
    let start = text.split("<t:").nth(1).and_then(|t| t.split(":F>").next());
    start.and_then(|t| t.parse().ok()).expect(&text)
}

#[tokio::test]
async fn dates_are_read_in_paris_across_daylight_saving() {
    let (state, clock, _dir) = support::state().await;
    // (clock, typed in Paris, expected UTC)
    let cases = [
        (utc(11, 29, 10, 0), "2026-12-03 18:30", unix(2026, 12, 3, 17, 30)),
        (utc(3, 20, 10, 0), "2026-03-28 10:00", unix(2026, 3, 28, 9, 0)),
        (utc(3, 20, 10, 0), "2026-03-29 10:00", unix(2026, 3, 29, 8, 0)),
        // 02:30 does not exist that night: it moves an hour later, 03:30 summer time.
        (utc(3, 20, 10, 0), "2026-03-29 02:30", unix(2026, 3, 29, 1, 30)),
        // 02:30 happens twice that night: the first one (summer time) is taken.
        (utc(10, 20, 10, 0), "2026-10-25 02:30", unix(2026, 10, 25, 0, 30)),
        (utc(10, 20, 10, 0), "2026-10-25 10:00", unix(2026, 10, 25, 9, 0)),
    ];
    for (now, when, expected) in cases {
        clock.set(now);
        assert_eq!(shown_start(&state, when).await, expected, "{when}");
    }
}

#[tokio::test]
async fn date_autocomplete_shows_how_the_text_was_read() {
    let (state, _clock, _dir) = support::state().await;
    let typed = |text: &str| Invocation::Autocomplete {
        command: Event,
        sub: Some("create".into()),
        focused: "when".into(),
        options: opts(&[("when", s(text))]),
    };
    let fr = member(11, "bob");
    let en = locale(fr.clone(), Some("en-GB"));
    // 2026-11-29 is a Sunday: the coming Thursday is 3 December.
    let thursday = "Thursday 3 December 2026, 18:00 (Europe/Paris)";
    let unreadable = "Je ne comprends pas « jeudi 25h » — essayez « jeudi 18h »";
    let past = "Déjà passé : dimanche 1er novembre 2026, 18:00 (Europe/Paris)";
    let cases = [
        (&fr, "jeudi 18h", "jeudi 3 décembre 2026, 18:00 (Europe/Paris)"),
        (&en, "jeudi 18h", thursday),
        (&en, "thursday 6pm", thursday),
        (&fr, "jeudi 25h", unreadable),
        (&fr, "2026-11-01 18:00", past),
    ];
    for (ctx, text, expected) in cases {
        let reply = run(&state, ctx, typed(text)).await;
        let found = choices(&reply);
        assert_eq!(found.len(), 1, "{found:?}");
        let first = (found[0].name.as_str(), found[0].value.as_str());
        assert_eq!(first, (expected, text));
    }
    // Nothing typed yet: examples, each with its reading.
    let reply = run(&state, &fr, typed("")).await;
    let examples = choices(&reply);
    assert_eq!(examples.len(), 3, "{examples:?}");
    let example = "jeudi 18h → jeudi 3 décembre 2026, 18:00 (Europe/Paris)";
    assert_eq!(examples[1].name, example);
}

#[tokio::test]
async fn rsvps_close_at_the_deadline() {
    let (state, clock, _dir) = support::state().await;
    let options = [
        ("title", s("AG")),
        ("when", s("2026-12-10 18:00")),
        ("deadline", s("5/12 12h")),
    ];
    let id = create_event(&state, &organizer(10, "alice"), &options).await;
    let going = format!("rsvp:v1:{id}:going");
    let reply = run(&state, &member(11, "bob"), click(&going)).await;
    assert_eq!(private_text(&reply), "C'est noté : vous participez à « AG ».");

    clock.set(utc(12, 5, 11, 0) + chrono::Duration::seconds(1));
    let before = snapshot(&state).await;
    let closed = "Les inscriptions sont closes pour cet événement (date limite passée). \
                  Vous pouvez encore libérer votre place avec « Je ne peux pas ».";
    for (ctx, invocation) in [
        (member(12, "carol"), click(&going)),
        (member(12, "carol"), rsvp(id, "going")),
    ] {
        assert_eq!(private_text(&run(&state, &ctx, invocation).await), closed);
    }
    let en = locale(member(12, "carol"), Some("en-GB"));
    let text = private_text(&run(&state, &en, click(&going)).await);
    assert_eq!(
        text,
        "Sign-ups are closed for this event (the deadline has passed). You can still free your seat with \"Can't go\"."
    );
    assert_eq!(snapshot(&state).await, before);

    // Only joining is closed: Bob can still give his seat back.
    let reply = run(&state, &member(11, "bob"), rsvp_button(id, "declined")).await;
    assert_eq!(private_text(&reply), "C'est noté : vous ne venez pas à « AG ».");
    assert_ne!(snapshot(&state).await, before);
}

/// Log lines written while `work` runs on this thread.
async fn logs_of<F: std::future::Future>(work: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let output = work.await;
    let text = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
    (output, text)
}

/// An autocomplete that fails inside (here: the database went away) still
/// answers an empty list, and the failure is logged with its cause instead
/// of vanishing.
#[tokio::test]
async fn a_failing_autocomplete_is_logged() {
    let (state, _clock, _dir) = support::state().await;
    let bob = member(20, "bob");
    // Reads the server's settings once, so the next call goes further.
    run(&state, &bob, cmd(Agenda, None, &[])).await;
    state.pool.close().await;
    let typing = Invocation::Autocomplete {
        command: Rsvp,
        sub: None,
        focused: "event".into(),
        options: opts(&[("event", s("Renc"))]),
    };
    let (reply, logs) = logs_of(run(&state, &bob, typing)).await;
    assert!(choices(&reply).is_empty());
    assert!(logs.contains("autocomplete failed"), "{logs}");
    assert!(logs.contains("closed"), "the cause is logged: {logs}");
}
