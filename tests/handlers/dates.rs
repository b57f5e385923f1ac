//! Dates as members say them, through the handlers (issues 14 and 17): what
//! `/event create` and `edit` save, what they refuse and how, and what the date
//! autocomplete shows. Said on Tuesday 1 December 2026, 11:00 in Paris.

use crate::support::{self, calls};

use calls::*;
use chrono::{DateTime, TimeZone, Utc};
use rencontre::handlers::{CommandName, Invocation};
use rencontre::state::{AppState, ManualClock};
use rencontre::store;

use CommandName::Event;

fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

async fn on_a_tuesday() -> (AppState, std::sync::Arc<ManualClock>, support::TestDatabase) {
    let (state, clock, dir) = support::state().await;
    clock.set(at(12, 1, 10, 0));
    (state, clock, dir)
}

/// The saved start and length in minutes of event `id`.
async fn saved(state: &AppState, id: i64) -> (DateTime<Utc>, i64) {
    let e = store::events::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    (e.starts_at, (e.ends_at - e.starts_at).num_minutes())
}

fn create_cmd(when: &str, duration: Option<&str>) -> Invocation {
    let mut options = vec![("title", s("AG")), ("when", s(when))];
    options.extend(duration.map(|d| ("duration", s(d))));
    cmd(Event, Some("create"), &options)
}

#[tokio::test]
async fn spoken_dates_and_ranges_set_the_start_and_the_length() {
    let (state, _clock, _dir) = on_a_tuesday().await;
    let fr = organizer(10, "alice");
    let en = locale(fr.clone(), Some("en-GB"));
    // (who, when, duration option, saved start in UTC, saved minutes)
    let cases = [
        (&fr, "mardi prochain 18h", None, at(12, 8, 17, 0), 120),
        (&en, "next tuesday 6pm", None, at(12, 8, 17, 0), 120),
        (&fr, "lundi 8h-10h", None, at(12, 7, 7, 0), 120),
        (&en, "monday 8am-10am", None, at(12, 7, 7, 0), 120),
        (&fr, "jeudi 18h30 à 20h", None, at(12, 3, 17, 30), 90),
        (&fr, "jeudi 18h30-20h", None, at(12, 3, 17, 30), 90),
        (&fr, "de 14h à 17h", None, at(12, 1, 13, 0), 180),
        (&en, "from 2pm to 5pm", None, at(12, 1, 13, 0), 180),
        // The same length said twice is no conflict.
        (&fr, "jeudi 18h30-20h", Some("1h30"), at(12, 3, 17, 30), 90),
        (&fr, "le 3 à 18h", Some("3h"), at(12, 3, 17, 0), 180),
        (&fr, "le 15 à 18h", None, at(12, 15, 17, 0), 120),
        (&en, "on the 3rd at 6pm", None, at(12, 3, 17, 0), 120),
        (&fr, "lundi en huit", None, at(12, 14, 8, 0), 120),
        (&fr, "vendredi après-midi", None, at(12, 4, 13, 0), 120),
        (&en, "friday afternoon", None, at(12, 4, 13, 0), 120),
        (
            &fr,
            "dans 1 mois",
            None,
            Utc.with_ymd_and_hms(2027, 1, 1, 10, 0, 0).unwrap(),
            120,
        ),
        (
            &en,
            "in 1 month",
            None,
            Utc.with_ymd_and_hms(2027, 1, 1, 10, 0, 0).unwrap(),
            120,
        ),
        (&en, "next week", None, at(12, 7, 8, 0), 120),
        (&fr, "la semaine prochaine", None, at(12, 7, 8, 0), 120),
    ];
    for (ctx, when, duration, start, minutes) in cases {
        let reply = run(&state, ctx, create_cmd(when, duration)).await;
        let id = *refreshed(&reply)
            .first()
            .unwrap_or_else(|| panic!("{when}: {reply:?}"));
        assert_eq!(saved(&state, id).await, (start, minutes), "{when} {duration:?}");
    }
}

#[tokio::test]
async fn an_edit_with_a_range_sets_the_length_and_one_without_keeps_it() {
    let (state, _clock, _dir) = on_a_tuesday().await;
    let org = organizer(10, "alice");
    let id = create(&state, &org, "AG", "jeudi 18h").await;
    let edit = |when: &str| cmd(Event, Some("edit"), &[("event", ev(id)), ("when", s(when))]);
    run(&state, &org, edit("vendredi 9h-12h")).await;
    assert_eq!(saved(&state, id).await, (at(12, 4, 8, 0), 180));
    run(&state, &org, edit("samedi 10h")).await;
    assert_eq!(saved(&state, id).await, (at(12, 5, 9, 0), 180));
}

#[tokio::test]
async fn dates_understood_but_wrong_are_refused_saying_why() {
    let (state, _clock, _dir) = on_a_tuesday().await;
    let fr = organizer(10, "alice");
    let en = locale(fr.clone(), Some("en-GB"));
    let past = |when: &str| {
        format!("Cette date est déjà passée ({when} (Europe/Paris)). Indiquez une date à venir.")
    };
    let cases = [
        (
            &fr,
            create_cmd("vendredi 19 décembre 2026 à 18h", None),
            "Le 19 décembre 2026 est un samedi, pas un vendredi. Précisez : \
             `vendredi 18 décembre 2026, 18:00 (Europe/Paris)` ou `samedi 19 décembre 2026, 18:00 (Europe/Paris)`."
                .to_owned(),
        ),
        (
            &en,
            create_cmd("friday 19 december 2026 at 6pm", None),
            "19 December 2026 is a Saturday, not a Friday. Say which: \
             `Friday 18 December 2026, 18:00 (Europe/Paris)` or `Saturday 19 December 2026, 18:00 (Europe/Paris)`."
                .to_owned(),
        ),
        (
            &fr,
            create_cmd("2040-01-01 10:00", None),
            "La date `2040-01-01 10:00` est trop loin : 10 ans à l'avance au plus, \
             soit jusqu'au 1er décembre 2036. Vérifiez l'année."
                .to_owned(),
        ),
        (
            &en,
            create_cmd("2040-01-01 10:00", None),
            "`2040-01-01 10:00` is too far ahead: at most 10 years ahead, that is until 1 December 2036. \
             Check the year."
                .to_owned(),
        ),
        (&fr, create_cmd("hier 18h", None), past("lundi 30 novembre 2026, 18:00")),
        (
            &en,
            create_cmd("yesterday 6pm", None),
            "That date has already passed (Monday 30 November 2026, 18:00 (Europe/Paris)). \
             Give a date in the future."
                .to_owned(),
        ),
        // A day and month said is this year's, like "aujourd'hui": past, not next year.
        (&fr, create_cmd("1/12 10h", None), past("mardi 1er décembre 2026, 10:00")),
        (&fr, create_cmd("aujourd'hui 10h", None), past("mardi 1er décembre 2026, 10:00")),
        (&fr, create_cmd("ce matin", None), past("mardi 1er décembre 2026, 09:00")),
        (
            &fr,
            create_cmd("jeudi 18h30-20h", Some("2h")),
            "L'horaire `jeudi 18h30-20h` dure déjà 1h30 ; la durée `2h` le contredit. Gardez l'un ou l'autre."
                .to_owned(),
        ),
        (
            &fr,
            cmd(
                Event,
                Some("create"),
                &[("title", s("AG")), ("when", s("jeudi 18h")), ("deadline", s("mercredi 18h-20h"))],
            ),
            "`mercredi 18h-20h` est une plage horaire ; ici, indiquez un seul moment, par exemple `jeudi 18h`."
                .to_owned(),
        ),
    ];
    let before = snapshot(&state).await;
    for (ctx, invocation, expected) in cases {
        let reply = run(&state, ctx, invocation.clone()).await;
        assert_eq!(private_text(&reply), expected, "{invocation:?}");
        assert!(reply.effects.is_empty(), "{reply:?}");
        assert_eq!(snapshot(&state).await, before, "half-saved by {invocation:?}");
    }
}

fn typed(text: &str) -> Invocation {
    Invocation::Autocomplete {
        command: Event,
        sub: Some("create".into()),
        focused: "when".into(),
        options: opts(&[("when", s(text))]),
    }
}

#[tokio::test]
async fn autocomplete_shows_how_each_spoken_date_was_read() {
    let (state, _clock, _dir) = on_a_tuesday().await;
    let fr = member(11, "bob");
    let en = locale(fr.clone(), Some("en-GB"));
    let cases = [
        (
            &fr,
            "mardi prochain 18h",
            "mardi 8 décembre 2026, 18:00 (Europe/Paris)",
        ),
        (
            &en,
            "next tuesday 6pm",
            "Tuesday 8 December 2026, 18:00 (Europe/Paris)",
        ),
        (
            &fr,
            "jeudi 18h30-20h",
            "jeudi 3 décembre 2026, 18:30–20:00 (Europe/Paris)",
        ),
        (
            &en,
            "from 2pm to 5pm",
            "Tuesday 1 December 2026, 14:00–17:00 (Europe/Paris)",
        ),
        (
            &fr,
            "lundi en huit",
            "lundi 14 décembre 2026, 09:00 (Europe/Paris)",
        ),
        (&fr, "le 15 à 18h", "mardi 15 décembre 2026, 18:00 (Europe/Paris)"),
        (
            &en,
            "friday afternoon",
            "Friday 4 December 2026, 14:00 (Europe/Paris)",
        ),
        (
            &fr,
            "hier 18h",
            "Déjà passé : lundi 30 novembre 2026, 18:00 (Europe/Paris)",
        ),
        (
            &en,
            "yesterday 6pm",
            "Already past: Monday 30 November 2026, 18:00 (Europe/Paris)",
        ),
        (
            &fr,
            "1/12 10h",
            "Déjà passé : mardi 1er décembre 2026, 10:00 (Europe/Paris)",
        ),
        (
            &fr,
            "2040-01-01 10:00",
            "Trop loin : au plus 10 ans à l'avance (jusqu'au 1er décembre 2036)",
        ),
        (
            &en,
            "2040-01-01 10:00",
            "Too far: at most 10 years ahead (until 1 December 2036)",
        ),
    ];
    for (ctx, text, expected) in cases {
        let reply = run(&state, ctx, typed(text)).await;
        let found = choices(&reply);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(
            (found[0].name.as_str(), found[0].value.as_str()),
            (expected, text)
        );
    }
}

#[tokio::test]
async fn autocomplete_offers_both_readings_of_a_weekday_that_is_not_the_dates() {
    let (state, _clock, _dir) = on_a_tuesday().await;
    let fr = organizer(10, "alice");
    let en = locale(fr.clone(), Some("en-GB"));
    let friday = "vendredi 18 décembre 2026, 18:00 (Europe/Paris)";
    let saturday = "samedi 19 décembre 2026, 18:00 (Europe/Paris)";
    let reply = run(&state, &fr, typed("vendredi 19 décembre 2026 à 18h")).await;
    let found: Vec<(&str, &str)> = choices(&reply)
        .iter()
        .map(|c| (c.name.as_str(), c.value.as_str()))
        .collect();
    let note = |reading: &str| format!("Le 19 décembre 2026 est un samedi : {reading} ?");
    assert_eq!(
        found,
        [
            (note(friday).as_str(), friday),
            (note(saturday).as_str(), saturday)
        ]
    );
    let reply = run(&state, &en, typed("friday 19 december 2026 at 6pm")).await;
    assert_eq!(
        choices(&reply)[0].name,
        "19 December 2026 is a Saturday: Friday 18 December 2026, 18:00 (Europe/Paris)?"
    );
    // Each choice, once picked, creates the event it showed.
    for (value, start) in [(friday, at(12, 18, 17, 0)), (saturday, at(12, 19, 17, 0))] {
        let id = create(&state, &fr, "AG", value).await;
        assert_eq!(saved(&state, id).await, (start, 120), "{value}");
    }
}
