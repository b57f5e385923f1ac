//! Date polls through the handlers and the store: the card and its
//! buttons, answers changed and taken back, bad input refused with nothing
//! saved, who may close and see names, another server's poll, closing into
//! an event with its reminders and DMs (exactly once, also across a restart
//! in the middle), the deadline job, the report, French and English.

use crate::support::{self, calls, outlet};

use calls::*;
use chrono::{Duration, TimeZone, Utc};
use outlet::{text_of, Recorder, Sent};
use rencontre::handlers::{CommandName, Context, Invocation, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::{Effect, Reply};
use rencontre::state::AppState;
use rencontre::store;

use CommandName::{Poll, Report};

/// Thursday 3 December 2026 18:30, Friday 4 December 12:00, Saturday 5
/// December 9:00 (Paris); today is Sunday 29 November.
const DATES: &str = "2026-12-03 18:30; 2026-12-04 12:00; 2026-12-05 9h";

fn alice() -> Context {
    organizer(10, "alice")
}

async fn create_poll(state: &AppState, options: &[(&str, OptionValue)]) -> (Reply, i64) {
    let reply = run(state, &alice(), cmd(Poll, Some("create"), options)).await;
    let id = reply
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshPoll { poll_id } => Some(*poll_id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no poll created: {reply:?}"));
    (reply, id)
}

/// "Apéro" over [`DATES`], its card posted in channel 100.
async fn apero(state: &AppState, out: &Recorder) -> i64 {
    let (reply, id) = create_poll(state, &[("title", s("Apéro")), ("dates", s(DATES))]).await;
    rencontre::delivery::deliver(state, out, reply.effects).await;
    id
}

fn tap(poll: i64, position: u8, answer: &str) -> Invocation {
    click(&format!("poll:v1:{poll}:{position}:{answer}"))
}

/// The last version of the poll's card (posted or edited) in channel 100.
fn card(out: &Recorder) -> String {
    out.sent()
        .into_iter()
        .rev()
        .find_map(|s| match s {
            Sent::Post { channel: 100, text }
            | Sent::Edit {
                channel: 100, text, ..
            } if text.contains("📊") => Some(text),
            _ => None,
        })
        .expect("a poll card")
}

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

/// bob yes and carol if need be on Thursday, dave only Friday, erin (an
/// English client) yes on Thursday.
async fn answered(state: &AppState, id: i64) {
    run(state, &member(21, "bob"), tap(id, 0, "yes")).await;
    run(state, &member(22, "carol"), tap(id, 0, "if_need_be")).await;
    run(state, &member(23, "dave"), tap(id, 1, "yes")).await;
    run(
        state,
        &locale(member(24, "erin"), Some("en-GB")),
        tap(id, 0, "yes"),
    )
    .await;
}

#[tokio::test]
async fn closing_creates_the_event_like_event_create_and_tells_who_could_come_once() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    answered(&state, id).await;
    let reply = run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s("Apéro"))]),
    )
    .await;
    assert_eq!(
        private_text(&reply),
        "Sondage « Apéro » clos : l'événement aura lieu le <t:1796319000:F>, sa fiche est publiée dans <#100>. \
         Les 3 personnes qui peuvent venir sont prévenues par message privé."
    );
    rencontre::delivery::deliver(&state, &out, reply.effects).await;
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    let event_id = poll.event_id.expect("the event");
    let event = store::events::get(&state.pool, GUILD, event_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.title, "Apéro");
    assert_eq!(
        event.starts_at,
        Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap()
    );
    assert_eq!(event.ends_at - event.starts_at, Duration::hours(2));
    // Its reminders are planned as for `/event create`.
    let reminders: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'reminder' AND ref_id = $1 AND status = 'pending'",
    )
    .bind(event_id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(reminders, 2);
    run_due(&state, &out).await.unwrap();
    let event = store::events::get(&state.pool, GUILD, event_id)
        .await
        .unwrap()
        .unwrap();
    let card_id = event.card_message_id.expect("the event card was posted");
    assert!(out
        .posts_in(100)
        .iter()
        .any(|p| p.contains("Apéro") && !p.contains("📊")));
    let link = format!("https://discord.com/channels/1/100/{card_id}");
    for user in [21, 22] {
        let dms = out.dms_to(user);
        assert_eq!(dms.len(), 1, "{:?}", out.sent());
        assert_eq!(
            dms[0],
            format!(
                "Le sondage « Apéro » est clos : l'événement aura lieu le <t:1796319000:F>. \
                 Vous pouviez venir à cette date ; répondez sur sa fiche : {link}"
            )
        );
    }
    assert!(
        out.dms_to(24)[0].starts_with("The poll \"Apéro\" is closed"),
        "{:?}",
        out.dms_to(24)
    );
    assert!(out.dms_to(23).is_empty(), "dave could not come on Thursday");
    // The card shows the result; a late tap is told the poll is closed.
    assert!(
        card(&out).contains("Sondage clos. Date retenue : <t:1796319000:F>"),
        "{}",
        card(&out)
    );
    let reply = run(&state, &member(23, "dave"), tap(id, 0, "yes")).await;
    let text = private_text(&reply);
    assert!(
        text.starts_with("Ce sondage est clos.\nSondage clos. Date retenue"),
        "{text}"
    );
    assert!(
        text.contains("✔ 1. jeu. 3/12 18h30 — ✅ 2 oui · 🤷 1 si besoin"),
        "{text}"
    );
    // Nothing more, however often the runner looks; closing again changes nothing.
    run_due(&state, &out).await.unwrap();
    let again = run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s("Apéro")), ("date", s("2"))]),
    )
    .await;
    assert!(private_text(&again).starts_with("Ce sondage est clos."));
    run_due(&state, &out).await.unwrap();
    assert_eq!(
        out.sent().iter().filter(|s| matches!(s, Sent::Dm { .. })).count(),
        3
    );
    let events: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM events"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test]
async fn the_organizer_may_pick_another_date_and_a_past_one_is_refused() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    answered(&state, id).await;
    clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap());
    let reply = run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s("Apéro")), ("date", s("1"))]),
    )
    .await;
    assert!(
        private_text(&reply).starts_with("Cette date est déjà passée"),
        "{reply:?}"
    );
    let reply = run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s("Apéro")), ("date", s("9"))]),
    )
    .await;
    assert!(
        private_text(&reply).starts_with("Ce sondage n'a pas de date `9`"),
        "{reply:?}"
    );
    let reply = run(
        &state,
        &alice(),
        cmd(
            Poll,
            Some("close"),
            &[("poll", s(&id.to_string())), ("date", s("vendredi 12h"))],
        ),
    )
    .await;
    assert!(private_text(&reply).contains("<t:1796382000:F>"), "{reply:?}");
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(23).len(), 1, "dave could come on Friday");
    assert!(out.dms_to(21).is_empty());
}

#[tokio::test]
async fn dms_after_a_close_reach_each_member_once_across_a_restart_in_the_middle() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    answered(&state, id).await;
    run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s("Apéro"))]),
    )
    .await;
    // First run: carol's DM fails for a reason that may pass; bob and erin
    // are told, and the job waits to retry.
    let first = Recorder::default();
    first.failing_dms.lock().unwrap().insert(22);
    run_due(&state, &first).await.unwrap();
    assert_eq!(first.dms_to(21).len(), 1);
    assert_eq!(first.dms_to(24).len(), 1);
    // The bot is killed while the retry is under way (claimed, never finished).
    clock.advance(Duration::minutes(10));
    let claimed = store::jobs::claim_due(&state.pool, clock_now(&state), 50)
        .await
        .unwrap();
    assert!(
        claimed.iter().any(|j| j.kind == store::jobs::Kind::PollClosed),
        "{claimed:?}"
    );
    let state = AppState::new(state.pool.clone(), state.clock.clone());
    rencontre::jobs::resume_after_restart(&state).await;
    let second = Recorder::default();
    run_due(&state, &second).await.unwrap();
    assert_eq!(second.dms_to(22).len(), 1, "{:?}", second.sent());
    assert!(
        second.dms_to(21).is_empty() && second.dms_to(24).is_empty(),
        "{:?}",
        second.sent()
    );
    // The event card was posted once: the second run edits it.
    let posts = |r: &Recorder| r.posts_in(100).iter().filter(|p| !p.contains("📊")).count();
    assert_eq!(posts(&first) + posts(&second), 1);
}

fn clock_now(state: &AppState) -> chrono::DateTime<Utc> {
    state.now()
}

#[tokio::test]
async fn the_deadline_closes_the_poll_at_its_leading_date_even_after_a_restart() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let (reply, id) = create_poll(
        &state,
        &[
            ("title", s("Apéro")),
            ("dates", s(DATES)),
            ("deadline", s("2026-12-02 12:00")),
        ],
    )
    .await;
    rencontre::delivery::deliver(&state, &out, reply.effects).await;
    assert!(card(&out).contains("Clôture : <t:"), "{}", card(&out));
    answered(&state, id).await;
    run_due(&state, &out).await.unwrap();
    assert!(store::polls::get(&state.pool, GUILD, id)
        .await
        .unwrap()
        .unwrap()
        .closed_at
        .is_none());
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 11, 0, 1).unwrap());
    let state = AppState::new(state.pool.clone(), state.clock.clone());
    rencontre::jobs::resume_after_restart(&state).await;
    run_due(&state, &out).await.unwrap();
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    assert_eq!(poll.chosen, Some(0));
    assert!(poll.event_id.is_some());
    assert_eq!(out.dms_to(21).len(), 1);
    assert!(card(&out).contains("Date retenue"), "{}", card(&out));
}

#[tokio::test]
async fn a_poll_nobody_answered_closes_at_its_deadline_without_an_event() {
    let (state, clock, _dir) = support::state().await;
    let out = Recorder::default();
    let (_, id) = create_poll(
        &state,
        &[
            ("title", s("Apéro")),
            ("dates", s(DATES)),
            ("deadline", s("2026-12-02 12:00")),
        ],
    )
    .await;
    let reply = run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s("Apéro"))]),
    )
    .await;
    assert_eq!(
        private_text(&reply),
        "Personne n'a encore répondu : choisissez la date avec l'option `date`."
    );
    clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap());
    run_due(&state, &out).await.unwrap();
    let poll = store::polls::get(&state.pool, GUILD, id).await.unwrap().unwrap();
    assert!(poll.closed_at.is_some() && poll.event_id.is_none());
    assert!(
        card(&out).contains("Sondage clos sans date retenue."),
        "{}",
        card(&out)
    );
}

#[tokio::test]
async fn the_report_counts_polls_held() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let id = apero(&state, &out).await;
    run(&state, &member(21, "bob"), tap(id, 0, "yes")).await;
    apero(&state, &out).await;
    run(
        &state,
        &alice(),
        cmd(Poll, Some("close"), &[("poll", s(&id.to_string()))]),
    )
    .await;
    let reply = run(
        &state,
        &alice(),
        cmd(Report, None, &[("year", OptionValue::Int(2026))]),
    )
    .await;
    assert!(
        all_text(&reply).contains("Sondages de date clos: 1"),
        "{}",
        all_text(&reply)
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
