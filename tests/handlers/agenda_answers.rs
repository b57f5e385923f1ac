//! From the agenda to an answer in one tap (issue 13): `/agenda`'s menu
//! "Répondre pour…" and `/event show`'s buttons answer exactly like the
//! card, through the handlers and the console.

use crate::support::{self, calls};

use calls::*;
use rencontre::console::Console;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::reply::Reply;

use CommandName::{Agenda, Event};

const WHEN: &str = "2026-12-03 18:30";

fn menu_values(reply: &Reply) -> Vec<(String, String)> {
    message(reply)
        .select
        .iter()
        .flat_map(|s| s.options.iter().map(|o| (o.label.clone(), o.value.clone())))
        .collect()
}

#[tokio::test]
async fn the_agenda_menu_answers_exactly_like_the_card() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    let cafe = create_event(
        &state,
        &alice,
        &[
            ("title", s("Café numérique")),
            ("when", s(WHEN)),
            ("capacity", OptionValue::Int(1)),
        ],
    )
    .await;
    let reserved = create_event(
        &state,
        &alice,
        &[
            ("title", s("Bureau")),
            ("when", s("2026-12-04 18:30")),
            ("restricted_to", OptionValue::Role(ORGANIZER_ROLE)),
        ],
    )
    .await;
    let bob = member(21, "bob");
    let agenda = run(&state, &bob, cmd(Agenda, None, &[])).await;
    let select = message(&agenda).select.clone().expect("a menu");
    assert_eq!(select.placeholder, "Répondre pour…");
    assert_eq!(
        menu_values(&agenda),
        vec![
            (
                "Je participe · Café numérique".to_owned(),
                format!("rsvp:v1:{cafe}:going")
            ),
            (
                "Peut-être · Café numérique".to_owned(),
                format!("rsvp:v1:{cafe}:maybe")
            ),
            (
                "Je ne peux pas · Café numérique".to_owned(),
                format!("rsvp:v1:{cafe}:declined")
            ),
        ],
        "the event reserved to a role bob lacks ({reserved}) is not offered"
    );

    // Picking an option is pressing the card's button: same answer, the
    // card refreshed, the same capacity rule for the next one.
    let picked = run(&state, &bob, rsvp_button(cafe, "going")).await;
    assert_eq!(
        private_text(&picked),
        "C'est noté : vous participez à « Café numérique »."
    );
    assert_eq!(refreshed(&picked), vec![cafe]);
    let carol = member(22, "carol");
    let full = run(&state, &carol, rsvp_button(cafe, "going")).await;
    assert!(
        private_text(&full).contains("liste d'attente"),
        "{}",
        private_text(&full)
    );
    let again = all_text(&run(&state, &bob, cmd(Agenda, None, &[])).await);
    assert!(again.contains("✅ vous participez"), "{again}");
}

#[tokio::test]
async fn an_option_naming_another_servers_event_is_refused() {
    let (state, _clock, _dir) = support::state().await;
    let theirs = create(
        &state,
        &in_guild(organizer(10, "alice"), OTHER_GUILD),
        "Ailleurs",
        WHEN,
    )
    .await;
    let before = snapshot(&state).await;
    let forged = run(&state, &member(21, "bob"), rsvp_button(theirs, "going")).await;
    assert_eq!(private_text(&forged), GONE);
    assert!(refreshed(&forged).is_empty());
    assert_eq!(snapshot(&state).await, before, "nothing saved");
}

#[tokio::test]
async fn event_show_carries_the_answer_buttons() {
    let (state, _clock, _dir) = support::state().await;
    let id = create(&state, &organizer(10, "alice"), "Conférence 4G", WHEN).await;
    let bob = member(21, "bob");
    let shown = run(&state, &bob, cmd(Event, Some("show"), &[("event", ev(id))])).await;
    assert!(message(&shown).private);
    let ids: Vec<String> = message(&shown)
        .rows
        .iter()
        .flatten()
        .map(|b| b.custom_id.clone())
        .collect();
    assert_eq!(
        ids,
        ["going", "maybe", "declined"]
            .map(|c| format!("rsvp:v1:{id}:{c}"))
            .to_vec()
    );
    let pressed = run(&state, &bob, click(&ids[1])).await;
    assert_eq!(
        private_text(&pressed),
        "C'est noté : peut-être pour « Conférence 4G »."
    );
    assert_eq!(refreshed(&pressed), vec![id]);
}

#[tokio::test]
async fn the_console_picks_a_menu_option_with_click() {
    let (state, _clock, _dir) = support::state().await;
    let console = Console::new(state);
    console.line(":as alice organizer").await;
    console
        .line(r#"/event create title:"Café numérique" when:"2026-12-03 18:30""#)
        .await;
    console.line(":as bob").await;
    let agenda = console.line("/agenda").await;
    assert!(agenda.contains("▾ Répondre pour…"), "{agenda}");
    assert!(
        agenda.contains("[Je participe · Café numérique] (jeudi 3 décembre 2026"),
        "{agenda}"
    );
    let picked = console.line(":click Je participe · Café numérique").await;
    assert!(
        picked.contains("vous participez à « Café numérique »"),
        "{picked}"
    );
    assert!(picked.contains("Participants: 1"), "the card refreshed: {picked}");
}
