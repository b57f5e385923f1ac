//! Answering a poll, and who may see, close or answer which poll.

use super::*;

#[tokio::test]
async fn each_tap_answers_one_date_shows_my_answers_and_tapping_again_takes_it_back() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    let bob = member(21, "bob");
    let reply = run(&state, &bob, tap(id, 0, "yes")).await;
    assert_eq!(
        private_text(&reply),
        "Vos réponses pour « Apéro » :\n✅ jeu. 3/12 18h30 — oui\n✖️ ven. 4/12 12h — non\n✖️ sam. 5/12 9h — non"
    );
    run(&state, &bob, tap(id, 1, "if_need_be")).await;
    // Changing one date's answer, then taking it back.
    let reply = run(&state, &bob, tap(id, 0, "if_need_be")).await;
    assert!(private_text(&reply).contains("🤷 jeu. 3/12 18h30 — si besoin\n🤷 ven. 4/12 12h — si besoin"));
    let reply = run(&state, &bob, tap(id, 0, "if_need_be")).await;
    assert!(
        private_text(&reply).contains("✖️ jeu. 3/12 18h30 — non"),
        "{reply:?}"
    );
    run(&state, &member(22, "carol"), tap(id, 1, "yes")).await;
    let reply = run(&state, &member(23, "dave"), tap(id, 1, "yes")).await;
    // The card is refreshed with the counts and the leading date marked.
    rencontre::delivery::deliver(&state, &out, reply.effects).await;
    let card = card(&out);
    assert!(
        card.contains("★ 2. ven. 4/12 12h: <t:1796382000:F>\n✅ 2 oui · 🤷 1 si besoin"),
        "{card}"
    );
    assert!(
        card.contains("1. jeu. 3/12 18h30: <t:1796319000:F>\n✅ 0 oui · 🤷 0 si besoin"),
        "{card}"
    );
}

#[tokio::test]
async fn members_can_neither_create_nor_close_a_poll_nor_see_names() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    run(&state, &member(21, "bob"), tap(id, 0, "yes")).await;
    let mallory = member(66, "mallory");
    let before = snapshot(&state).await;
    for sub in ["create", "close"] {
        let reply = run(
            &state,
            &mallory,
            cmd(
                Poll,
                Some(sub),
                &[
                    ("title", s("X")),
                    ("dates", s(DATES)),
                    ("poll", s(&id.to_string())),
                ],
            ),
        )
        .await;
        assert_eq!(private_text(&reply), NOT_ORGANIZER);
    }
    assert_eq!(snapshot(&state).await, before);
    let shown = run(&state, &mallory, cmd(Poll, Some("show"), &[("poll", s("Apéro"))])).await;
    let text = all_text(&shown);
    assert!(text.contains("✅ 1 oui · 🤷 0 si besoin"), "{text}");
    assert!(!text.contains("bob"), "a member sees counts, not names: {text}");
    let shown = run(&state, &alice(), cmd(Poll, Some("show"), &[("poll", s("Apéro"))])).await;
    let text = all_text(&shown);
    assert!(text.contains("✅ 1 oui · 🤷 0 si besoin\n✅ bob"), "{text}");
    assert!(message(&shown).private);
}

#[tokio::test]
async fn another_servers_poll_cannot_be_seen_closed_or_answered() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    let outsider = in_guild(organizer(70, "eve"), OTHER_GUILD);
    for sub in ["show", "close"] {
        let reply = run(
            &state,
            &outsider,
            cmd(Poll, Some(sub), &[("poll", s(&id.to_string()))]),
        )
        .await;
        assert_eq!(
            private_text(&reply),
            format!("Je ne trouve pas le sondage « {id} ». Choisissez-le dans la liste proposée pendant la saisie.")
        );
    }
    let reply = run(&state, &outsider, tap(id, 0, "yes")).await;
    assert_eq!(private_text(&reply), STALE);
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    assert!(poll.closed_at.is_none());
    assert_eq!(store::polls::tallies(&state.pool, &poll).await.unwrap()[0].yes, 0);
    // A date the poll does not have.
    let reply = run(&state, &member(21, "bob"), tap(id, 7, "yes")).await;
    assert_eq!(private_text(&reply), STALE);
}

#[tokio::test]
async fn the_console_creates_answers_and_closes_a_poll() {
    let (state, _clock, _dir) = support::state().await;
    let console = rencontre::console::Console::new(state);
    let console = &console;
    let line = move |l: &'static str| async move {
        let out = console.line(l).await;
        println!("> {l}\n{out}");
        out
    };
    line(":as alice organizer").await;
    let out = line(r#"/sondage créer titre:"Apéro" dates:"jeudi 18h30; vendredi 12h""#).await;
    assert!(out.contains("Sondage « Apéro » publié"), "{out}");
    assert!(out.contains("[✅ jeu. 3/12 18h30]"), "{out}");
    line(":as bob").await;
    let out = line(":click ✅ jeu. 3/12 18h30").await;
    assert!(out.contains("✅ jeu. 3/12 18h30 — oui"), "{out}");
    line(":as alice organizer").await;
    let out = line("/sondage clore sondage:Apéro").await;
    assert!(out.contains("Sondage « Apéro » clos"), "{out}");
    assert!(out.contains("DM @bob: Le sondage « Apéro » est clos"), "{out}");
}
