//! Refusals of bad options, fields and buttons: private, translated, and
//! nothing saved.

use super::*;

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
