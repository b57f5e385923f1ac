//! Bad input, through the handlers: every refusal is private, translated and
//! says what to do, and nothing a member sent is half-saved.

use crate::support::{self, calls};

use calls::*;
use chrono::{TimeZone, Utc};
use rencontre::handlers::{CommandName, Invocation, OptionValue};
use rencontre::reply::{Effect, Reply};
use rencontre::state::AppState;
use rencontre::store;

use CommandName::{Agenda, Event, Member, Rsvp, Setup};

const SEARCH_EMPTY: &str = "Tapez au moins un mot à rechercher (lettres ou chiffres).";
const INTRO: &str = "intro:v1:form";
const RN: &str = "Rencontres numériques";

fn long(n: usize) -> String {
    "é".repeat(n)
}

fn utc(m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

/// `/event create` for "Rencontres numériques" on 3 December, with `extra` options.
fn create_with<'a>(extra: &[(&'a str, OptionValue)]) -> Vec<(&'a str, OptionValue)> {
    let mut options = vec![("title", s(RN)), ("when", s("2026-12-03 18:30"))];
    for (name, value) in extra {
        options.retain(|(n, _)| n != name);
        options.push((name, value.clone()));
    }
    options
}

#[tokio::test]
async fn event_create_refuses_bad_input_and_saves_nothing() {
    let (state, _clock, _dir) = support::state().await;
    let org = organizer(10, "alice");
    let int = OptionValue::Int;
    let capacity = "Nombre de places : choisissez un nombre entre 1 et 10\u{202f}000.".to_owned();
    let unreadable = "Je n'ai pas compris la date `jeudi 25h`. Essayez par exemple `jeudi 18h`, \
                      `3 déc 18h30`, `demain 9h` ou `2026-12-03 18:30`.";
    let past = "Cette date est déjà passée (dimanche 1er novembre 2026, 18:00 (Europe/Paris)). \
                Indiquez une date à venir.";
    let deadline = "La date limite de réponse doit précéder le début de l'événement.";
    let duration = |d: &str| {
        format!("Je n'ai pas compris la durée `{d}`. Essayez `2h`, `90min` ou `1h30` (7 jours au plus).")
    };
    let cases: Vec<(&str, OptionValue, String)> = vec![
        ("title", s(&long(101)), too_long("Titre", 101, 100)),
        ("description", s(&long(1001)), too_long("Description", 1001, 1000)),
        ("location", s(&long(101)), too_long("Lieu", 101, 100)),
        ("capacity", int(0), capacity.clone()),
        ("capacity", int(10_001), capacity),
        ("when", s("jeudi 25h"), unreadable.into()),
        ("when", s("2026-11-01 18:00"), past.into()),
        ("deadline", s("2026-12-04 10:00"), deadline.into()),
        ("duration", s("toujours"), duration("toujours")),
        ("duration", s("9000h"), duration("9000h")),
        ("duration", s("0h"), duration("0h")),
        ("title", s("\u{7}  "), "Titre : ce champ est obligatoire.".into()),
    ];
    let before = snapshot(&state).await;
    for (name, value, expected) in cases {
        let options = create_with(&[(name, value)]);
        let reply = run(&state, &org, cmd(Event, Some("create"), &options)).await;
        assert_eq!(private_text(&reply), expected, "for {options:?}");
        assert!(reply.effects.is_empty(), "{reply:?}");
        assert_eq!(snapshot(&state).await, before, "half-saved by {options:?}");
    }
    let upcoming = store::events::upcoming(&state.pool, GUILD, state.now(), None, 10, 0).await;
    assert_eq!(upcoming.unwrap().1, 0);

    // The same refusal in English for an English client.
    let en = locale(org.clone(), Some("en-GB"));
    let options = create_with(&[("when", s("thursday 25h"))]);
    let text = private_text(&run(&state, &en, cmd(Event, Some("create"), &options)).await);
    assert!(text.starts_with("I could not read `thursday 25h`. Try"), "{text}");

    // A valid one (title at the limit) succeeds and asks for its card.
    let title = long(100);
    let options = create_with(&[
        ("title", s(&title)),
        ("duration", s("1h30")),
        ("location", s("Boulogne-sur-Mer")),
        ("capacity", int(30)),
        ("deadline", s("2026-12-02 12:00")),
    ]);
    let reply = run(&state, &org, cmd(Event, Some("create"), &options)).await;
    let start = unix(2026, 12, 3, 17, 30);
    let expected =
        format!("Événement « {title} » créé pour le <t:{start}:F>. Sa fiche est publiée dans <#100>.");
    assert_eq!(private_text(&reply), expected);
    let (events, total) = store::events::upcoming(&state.pool, GUILD, state.now(), None, 10, 0)
        .await
        .unwrap();
    assert_eq!(total, 1);
    assert_eq!(
        reply.effects,
        vec![Effect::RefreshCard {
            event_id: events[0].id
        }]
    );
    assert_eq!((events[0].ends_at - events[0].starts_at).num_minutes(), 90);
    assert_eq!(
        (events[0].capacity, events[0].rsvp_deadline),
        (Some(30), Some(utc(12, 2, 11, 0)))
    );
}

#[tokio::test]
async fn event_edit_refusals_leave_the_event_as_it_was() {
    let (state, _clock, _dir) = support::state().await;
    let org = organizer(10, "alice");
    let options = create_with(&[
        ("capacity", OptionValue::Int(5)),
        ("deadline", s("2026-12-02 12:00")),
    ]);
    let id = create_event(&state, &org, &options).await;
    for (user, name) in [(11, "bob"), (12, "carol")] {
        run(&state, &member(user, name), rsvp(id, "going")).await;
    }
    let edit = |extra: &[(&str, OptionValue)]| {
        let mut options = vec![("event", ev(id)), ("location", s("Calais"))];
        options.extend(extra.iter().cloned());
        cmd(Event, Some("edit"), &options)
    };
    let cases = [
        (
            edit(&[("capacity", OptionValue::Int(1))]),
            "2 places sont déjà prises : la capacité ne peut pas descendre en dessous.",
        ),
        (
            edit(&[("when", s("2026-12-01 18:00"))]),
            "La date limite de réponse doit précéder le début de l'événement.",
        ),
        (edit(&[("title", s(&long(101)))]), &too_long("Titre", 101, 100)),
    ];
    let before = snapshot(&state).await;
    for (invocation, expected) in cases {
        let reply = run(&state, &org, invocation.clone()).await;
        assert_eq!(private_text(&reply), expected, "{invocation:?}");
        assert!(reply.effects.is_empty());
        assert_eq!(snapshot(&state).await, before, "half-saved by {invocation:?}");
    }
    let reply = run(&state, &org, edit(&[("capacity", OptionValue::Int(2))])).await;
    assert_eq!(
        private_text(&reply),
        format!("Événement « {RN} » modifié ; sa fiche est à jour.")
    );
    let event = store::events::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    assert_eq!(
        (event.location.as_deref(), event.capacity),
        (Some("Calais"), Some(2))
    );
}

#[tokio::test]
async fn rsvp_refuses_bad_input_and_other_servers_events() {
    let (state, _clock, _dir) = support::state().await;
    let id = create(&state, &organizer(10, "alice"), RN, "2026-12-03 18:30").await;
    let other_org = in_guild(organizer(20, "zoe"), OTHER_GUILD);
    let other = create(&state, &other_org, "Secret du bureau B", "2026-12-04 18:30").await;
    let bob = member(11, "bob");
    let ok = run(&state, &bob, rsvp(id, "going")).await;
    assert_eq!(
        private_text(&ok),
        format!("C'est noté : vous participez à « {RN} ».")
    );

    let going = |event: OptionValue, extra: &[(&'static str, OptionValue)]| {
        let mut options = vec![("event", event), ("status", s("going"))];
        options.extend(extra.iter().cloned());
        options
    };
    let guests = "Invités : choisissez un nombre entre 0 et 10.";
    let cases: Vec<(Vec<(&str, OptionValue)>, String)> = vec![
        (going(ev(id), &[("guests", OptionValue::Int(11))]), guests.into()),
        (going(ev(id), &[("guests", OptionValue::Int(-1))]), guests.into()),
        (
            going(ev(id), &[("note", s(&long(201)))]),
            too_long("Note", 201, 200),
        ),
        (going(s("n'existe pas"), &[]), unknown_event("n'existe pas")),
        (going(ev(other), &[]), unknown_event(&other.to_string())),
    ];
    let before = snapshot(&state).await;
    for ctx in [bob.clone(), member(12, "carol")] {
        for (options, expected) in &cases {
            let text = private_text(&run(&state, &ctx, cmd(Rsvp, None, options)).await);
            assert_eq!(&text, expected, "for {options:?}");
            assert!(!text.contains("Secret"), "another server's event leaked: {text}");
            assert_eq!(snapshot(&state).await, before, "half-saved by {options:?}");
        }
    }
    let list = store::rsvps::list(&state.pool, id).await.unwrap();
    assert_eq!((list.len(), list[0].guests, list[0].note.clone()), (1, 0, None));
    assert!(store::rsvps::list(&state.pool, other).await.unwrap().is_empty());
}

#[tokio::test]
async fn intro_form_refuses_bad_fields_and_keeps_mentions_inert() {
    let (state, _clock, _dir) = support::state().await;
    let bob = member(11, "bob");
    let (about, name) = (long(1001), "a".repeat(81));
    let required = "Nom : ce champ est obligatoire.".to_owned();
    let website = "Ce site web ne ressemble pas à une adresse valide. Écrivez par exemple `coteo.fr` ou \
                   `https://coteo.fr`.";
    let cases: Vec<(Vec<(&str, &str)>, String)> = vec![
        (vec![("name", "")], required.clone()),
        (vec![("name", "   "), ("about", "bonjour")], required),
        (vec![("name", &name)], too_long("Nom", 81, 80)),
        (
            vec![("name", "B"), ("about", &about)],
            too_long("Ce que je fais", 1001, 1000),
        ),
        (vec![("name", "B"), ("website", "javascript:")], website.into()),
        (
            vec![("name", "B"), ("website", "javascript:alert(1)")],
            website.into(),
        ),
    ];
    // What was typed is kept to reopen the form, not saved.
    let kept = "Ce que vous avez écrit est gardé 30 minutes : touchez « Corriger ma présentation » \
                pour rouvrir le formulaire rempli et corriger ce point.";
    for (fields, expected) in &cases {
        let reply = run(&state, &bob, form(INTRO, fields)).await;
        assert_eq!(
            private_text(&reply),
            format!("{expected}\n{kept}"),
            "for {fields:?}"
        );
        assert!(reply.effects.is_empty());
        assert_eq!(store::intros::get(&state.pool, GUILD, 11).await.unwrap(), None);
    }

    // Mentions typed in a form are stored as typed; the reply is only the confirmation.
    let about = "@everyone <@&123> <@456> bonjour";
    let fields = [("name", "Bob"), ("about", about), ("website", "coteo.fr")];
    let reply = run(&state, &bob, form(INTRO, &fields)).await;
    let text = private_text(&reply);
    let confirmation =
        "Votre présentation est enregistrée. Les membres la trouvent avec `/membre rechercher`.";
    assert_eq!(text, confirmation);
    assert!(!text.contains("@everyone") && !text.contains("<@"), "{text}");
    assert_eq!(message(&reply).ping_role, None);
    let publish = Effect::PublishIntro {
        guild_id: GUILD,
        user_id: 11,
    };
    assert_eq!(reply.effects, [publish]);
    let saved = store::intros::get(&state.pool, GUILD, 11).await.unwrap().unwrap();
    assert_eq!(saved.about.as_deref(), Some(about));
    assert_eq!(saved.website.as_deref(), Some("https://coteo.fr"));

    // A refused update leaves the saved introduction as it was.
    for (fields, _) in &cases {
        run(&state, &bob, form(INTRO, fields)).await;
    }
    let kept = store::intros::get(&state.pool, GUILD, 11).await.unwrap();
    assert_eq!(kept, Some(saved));
}

#[tokio::test]
async fn member_search_treats_query_syntax_as_text() {
    let (state, _clock, _dir) = support::state().await;
    let fields = [
        ("name", "Eve Martin"),
        ("organization", "Coteo"),
        ("about", "référencement"),
    ];
    run(&state, &member(12, "eve"), form(INTRO, &fields)).await;
    let bob = member(11, "bob");
    let none = |q: &str| format!("Aucune présentation ne correspond à « {q} ».");
    let injection = "') OR 1=1; DROP TABLE introductions; --";
    let cases = [
        ("\"", SEARCH_EMPTY.to_owned()),
        ("*", SEARCH_EMPTY.to_owned()),
        ("-", SEARCH_EMPTY.to_owned()),
        ("NEAR(", none("NEAR(")),
        ("fibre NEAR(", none("fibre NEAR(")),
        ("Coteo OR", none("Coteo OR")),
        (injection, none(injection)),
    ];
    let search = |query: &str| cmd(Member, Some("search"), &[("query", s(query))]);
    for (query, expected) in &cases {
        let text = private_text(&run(&state, &bob, search(query)).await);
        assert_not_internal(&text);
        assert_eq!(&text, expected, "for {query:?}");
    }
    // The paging button carries the query: forged, it is text too.
    let reply = run(&state, &bob, click("search:v1:0:\"*")).await;
    assert_eq!(private_text(&reply), SEARCH_EMPTY);

    // The table is still there, and accents do not matter.
    let shown = all_text(&run(&state, &bob, search("referencement")).await);
    assert!(shown.contains("Membres — « referencement »"), "{shown}");
    assert!(shown.contains("**Eve Martin** — Coteo"), "{shown}");
}

#[tokio::test]
async fn forged_or_unknown_buttons_get_the_stale_button_answer() {
    let (state, _clock, _dir) = support::state().await;
    let bob = member(11, "bob");
    for id in [
        "garbage",
        "rsvp:v9:1:going",
        "rsvp:v1:1:dance",
        "rsvp:v1:x:going",
        "",
        "agenda:v1:x:1",
    ] {
        let reply = run(&state, &bob, click(id)).await;
        assert_eq!(private_text(&reply), STALE, "for {id:?}");
    }
    // Well-formed but naming no event: a clear answer, never the apology.
    for id in ["rsvp:v1:999999:going", "checkin:v1:999999"] {
        let text = private_text(&run(&state, &bob, click(id)).await);
        assert!(text == STALE || text == GONE, "for {id:?}: {text}");
    }
    let reply = run(&state, &bob, form("intro:v2:form", &[("name", "Bob")])).await;
    assert_eq!(private_text(&reply), STALE);
    assert_eq!(store::intros::get(&state.pool, GUILD, 11).await.unwrap(), None);
    assert!(store::rsvps::list(&state.pool, 999_999).await.unwrap().is_empty());
}

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
    let reply = run(
        &state,
        &member(11, "bob"),
        click(&format!("rsvp:v1:{id}:declined")),
    )
    .await;
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
