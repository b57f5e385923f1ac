//! Creating a poll and its card: buttons, limits, bad input, English,
//! autocomplete.

use super::*;

#[tokio::test]
async fn the_card_shows_two_buttons_per_date_two_dates_a_row_and_counts() {
    let (state, _clock, _dir) = support::state().await;
    let (reply, id) = create_poll(&state, &[("title", s("Apéro")), ("dates", s(DATES))]).await;
    assert_eq!(
        private_text(&reply),
        "Sondage « Apéro » publié dans <#100> (3 dates)."
    );
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    let tallies = store::polls::tallies(&state.pool, &poll).await.unwrap();
    let i18n = rencontre::i18n::I18n::load();
    let message = rencontre::views::poll::poll_card(
        &i18n,
        rencontre::domain::Lang::Fr,
        chrono_tz::Europe::Paris,
        &poll,
        &tallies,
    );
    let labels: Vec<Vec<&str>> = message
        .rows
        .iter()
        .map(|row| row.iter().map(|b| b.label.as_str()).collect())
        .collect();
    assert_eq!(
        labels,
        vec![
            vec![
                "✅ jeu. 3/12 18h30",
                "🤷 jeu. 3/12 18h30",
                "✅ ven. 4/12 12h",
                "🤷 ven. 4/12 12h"
            ],
            vec!["✅ sam. 5/12 9h", "🤷 sam. 5/12 9h"],
        ]
    );
    let text = text_of(&message);
    assert!(text.contains("📊 Apéro"), "{text}");
    assert!(
        text.contains("1. jeu. 3/12 18h30: <t:1796319000:F>\n✅ 0 oui · 🤷 0 si besoin"),
        "{text}"
    );
}

#[tokio::test]
async fn ten_dates_fit_on_the_card_and_an_eleventh_is_refused() {
    let (state, _clock, _dir) = support::state().await;
    let ten: Vec<String> = (1..=10).map(|d| format!("2026-12-{:02} 18:00", d + 1)).collect();
    let (_, id) = create_poll(&state, &[("title", s("Dix")), ("dates", s(&ten.join("; ")))]).await;
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    let message = rencontre::views::poll::poll_card(
        &rencontre::i18n::I18n::load(),
        rencontre::domain::Lang::Fr,
        chrono_tz::Europe::Paris,
        &poll,
        &[Default::default(); 10],
    );
    assert_eq!(message.rows.len(), 5);
    assert!(message.rows.iter().all(|r| r.len() == 4));
    let before = snapshot(&state).await;
    let eleven = format!("{}; 2026-12-20 18:00", ten.join("; "));
    let reply = run(
        &state,
        &alice(),
        cmd(
            Poll,
            Some("create"),
            &[("title", s("Onze")), ("dates", s(&eleven))],
        ),
    )
    .await;
    assert_eq!(
        private_text(&reply),
        "11 dates, c'est trop : 10 au plus. Retirez-en quelques-unes."
    );
    assert_eq!(snapshot(&state).await, before);
}

#[tokio::test]
async fn bad_input_is_refused_privately_naming_the_part_and_nothing_is_saved() {
    let (state, _clock, _dir) = support::state().await;
    let before = snapshot(&state).await;
    let cases = [
        (
            "2026-12-03 18:30",
            None,
            "Un sondage propose au moins deux dates, séparées par « ; », par exemple `jeudi 18h30; vendredi 12h`.",
        ),
        (
            "jeudi 18h30; 3 déc 18h30",
            None,
            "`jeudi 18h30` et `3 déc 18h30` tombent au même moment (jeudi 3 décembre 2026, 18:30 (Europe/Paris)). Gardez-en une seule.",
        ),
        (
            "jeudi 18h30; hier 18h",
            None,
            "Date 2 (`hier 18h`) : Cette date est déjà passée (samedi 28 novembre 2026, 18:00 (Europe/Paris)). Indiquez une date à venir.",
        ),
        (
            "jeudi 18h30; jeudi 25h",
            None,
            "Date 2 (`jeudi 25h`) : Je n'ai pas compris la date `jeudi 25h`.",
        ),
        (
            DATES,
            Some("2026-12-04 10:00"),
            "La clôture du sondage (vendredi 4 décembre 2026, 10:00 (Europe/Paris)) doit précéder sa première date (jeudi 3 décembre 2026, 18:30 (Europe/Paris)).",
        ),
    ];
    for (dates, deadline, expected) in cases {
        let mut options = vec![("title", s("Apéro")), ("dates", s(dates))];
        if let Some(deadline) = deadline {
            options.push(("deadline", s(deadline)));
        }
        let reply = run(&state, &alice(), cmd(Poll, Some("create"), &options)).await;
        let text = private_text(&reply);
        assert!(text.starts_with(expected), "{dates}: {text}");
        assert!(reply.effects.is_empty(), "{reply:?}");
    }
    assert_eq!(snapshot(&state).await, before, "nothing was saved");
}

#[tokio::test]
async fn answers_and_the_card_speak_english_to_english_clients() {
    let (state, _clock, _dir) = support::state().await;
    let en = locale(alice(), Some("en-GB"));
    let reply = run(
        &state,
        &en,
        cmd(
            Poll,
            Some("create"),
            &[("title", s("Drinks")), ("dates", s("tuesday 6pm; wednesday 6pm"))],
        ),
    )
    .await;
    assert_eq!(
        private_text(&reply),
        "Poll \"Drinks\" posted in <#100> (2 dates)."
    );
    let id = store::polls::suggest(&state.pool, GUILD, "Drinks", 5)
        .await
        .unwrap()[0]
        .0;
    let reply = run(
        &state,
        &locale(member(21, "bob"), Some("en-US")),
        tap(id, 1, "yes"),
    )
    .await;
    assert_eq!(
        private_text(&reply),
        "Your answers for \"Drinks\":\n✖️ Tue 1/12 18:00 — no\n✅ Wed 2/12 18:00 — yes"
    );
    let reply = run(
        &state,
        &en,
        cmd(
            Poll,
            Some("create"),
            &[("title", s("Drinks")), ("dates", s("tuesday 6pm"))],
        ),
    )
    .await;
    assert!(
        private_text(&reply).starts_with("A poll offers at least two dates"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn autocomplete_shows_how_each_date_was_read() {
    let (state, _clock, _dir) = support::state().await;
    let complete = |typed: &str| Invocation::Autocomplete {
        command: Poll,
        sub: Some("create".into()),
        focused: "dates".into(),
        options: opts(&[("dates", s(typed))]),
    };
    let reply = run(&state, &alice(), complete("jeudi 18h30; jeudi 25h; hier 9h")).await;
    let names: Vec<&str> = choices(&reply).iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "1. jeudi 3 décembre 2026, 18:30 (Europe/Paris)",
            "2. je ne comprends pas « jeudi 25h » — essayez « jeudi 18h »",
            "3. déjà passé : samedi 28 novembre 2026, 09:00 (Europe/Paris)",
        ]
    );
    assert!(choices(&reply)
        .iter()
        .all(|c| c.value == "jeudi 18h30; jeudi 25h; hier 9h"));
}
