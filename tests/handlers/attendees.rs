//! `/event attendees` on long lists: members, who read only the heads of the
//! lists, see exactly what organizers see (who read every answer for their
//! CSV, and also see who can't come), and both show the lists in arrival order, cut where the field is
//! full with the number left out.

use crate::support::{self, calls};

use calls::*;
use chrono::Duration;
use rencontre::domain::rsvp::{Asker, RsvpChoice};
use rencontre::handlers::CommandName::Event;
use rencontre::reply::Reply;
use rencontre::state::AppState;
use rencontre::store::{self, rsvps};

async fn event(state: &AppState, title: &str, capacity: Option<i64>) -> i64 {
    let starts_at = support::now() + Duration::days(3);
    let fields = rencontre::domain::event::EventFields {
        title: title.into(),
        description: None,
        location: None,
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        capacity,
        rsvp_deadline: None,
        restricted_role: None,
        channel_id: None,
        repeat: None,
    };
    store::events::insert(&state.pool, GUILD, &fields, 7, support::now())
        .await
        .unwrap()
}

async fn answer(state: &AppState, event_id: i64, user_id: u64, name: &str, choice: RsvpChoice, guests: i64) {
    let request = rsvps::Request {
        guild_id: GUILD,
        event_id,
        user_id,
        user_name: name.to_owned(),
        choice,
        guests: Some(guests),
        note: None,
        asker: Asker::default(),
    };
    rsvps::record(&state.pool, &request, support::now())
        .await
        .unwrap();
}

async fn attendees(state: &AppState, event_id: i64, organizer: bool) -> Reply {
    let who = if organizer {
        calls::organizer(2, "Org")
    } else {
        member(1, "Mem")
    };
    run(
        state,
        &who,
        cmd(Event, Some("attendees"), &[("event", ev(event_id))]),
    )
    .await
}

/// The member's embed is the organizer's, who also gets the CSV.
async fn same_view(state: &AppState, event_id: i64) -> Reply {
    let (seen, full) = (
        attendees(state, event_id, false).await,
        attendees(state, event_id, true).await,
    );
    // Organizers also see who can't come, in a last field of their own.
    let mut shared = message(&full).embeds.clone();
    let declined = shared[0].fields.pop().unwrap();
    assert!(declined.name.starts_with("Ne viennent pas ("), "{declined:?}");
    assert_eq!(message(&seen).embeds, shared);
    assert!(message(&seen).attachments.is_empty());
    assert_eq!(message(&full).attachments.len(), 1);
    full
}

#[tokio::test]
async fn members_see_what_organizers_see_on_long_and_short_lists() {
    let (state, _clock, _dir) = support::state().await;
    let long = event(&state, "Assemblée générale", Some(300)).await;
    let tiny = event(&state, "Noms courts", None).await;
    let empty = event(&state, "Personne", None).await;
    for i in 0..700u64 {
        // Names of 1 to 30 characters, some with guests: a waitlist forms.
        let name = format!("{}{}", "é".repeat((i * 7 % 30) as usize), i % 10);
        let choice = [
            RsvpChoice::Going,
            RsvpChoice::Going,
            RsvpChoice::Maybe,
            RsvpChoice::Declined,
        ][(i % 4) as usize];
        answer(&state, long, 1_000 + i, &name, choice, (i % 3) as i64).await;
        if i % 9 == 0 {
            rsvps::check_in(&state.pool, GUILD, long, 1_000 + i, support::now())
                .await
                .unwrap();
        }
        // One-character and empty names: hundreds fit in a field, more than
        // a first read gives.
        let short = if i % 2 == 0 { "x" } else { "" };
        let choice = [RsvpChoice::Going, RsvpChoice::Maybe][(i % 2) as usize];
        answer(&state, tiny, 1_000 + i, short, choice, 0).await;
    }
    for id in [long, tiny, empty] {
        same_view(&state, id).await;
    }
    let text = all_text(&attendees(&state, long, false).await);
    assert!(
        text.contains("Liste d'attente (") && text.contains("): 1. "),
        "places: {text}"
    );
    assert!(text.contains("de plus"), "long lists are cut: {text}");
    let text = all_text(&attendees(&state, empty, false).await);
    assert!(text.contains("Participent (0): —"), "{text}");
}

#[tokio::test]
async fn the_going_list_is_in_arrival_order_up_to_a_full_field() {
    let (state, _clock, _dir) = support::state().await;
    let id = event(&state, "Rencontres numériques", Some(5)).await;
    for i in 0..200u64 {
        answer(
            &state,
            id,
            1_000 + i,
            &format!("Membre numéro {i:03}"),
            RsvpChoice::Going,
            0,
        )
        .await;
    }
    let reply = same_view(&state, id).await;
    let fields = &message(&reply).embeds[0].fields;
    assert_eq!(fields[0].name, "Participent (5)");
    let going: Vec<&str> = fields[0].value.lines().collect();
    assert_eq!(
        going,
        (0..5)
            .map(|i| format!("Membre numéro {i:03}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(fields[2].name, "Liste d'attente (195)");
    // "… and N more" follows the last name shown, on its line.
    let (names, more) = fields[2].value.split_once('…').unwrap();
    assert!(more.starts_with(" et ") && more.ends_with(" de plus"), "{more}");
    let shown: Vec<&str> = names.lines().collect();
    assert!(
        shown.len() > 40 && fields[2].value.chars().count() <= 1_000,
        "{shown:?}"
    );
    for (place, line) in shown.iter().enumerate() {
        assert_eq!(*line, format!("{}. Membre numéro {:03}", place + 1, place + 5));
    }
    let left = (195 - shown.len()).to_string();
    assert!(more.contains(&left), "{more} should say {left} more");
    // The CSV lists everyone: a header and one line per answer.
    let csv = String::from_utf8(message(&reply).attachments[0].bytes.clone()).unwrap();
    assert_eq!(csv.lines().count(), 201);
}

// ---------------------------------------------------------------------------
// `/report`'s figures against numbers counted by hand.

fn in_2027(month: u32, day: u32, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, month, day, hour, minute, 0).unwrap()
}

async fn answer_in(state: &AppState, guild: u64, event: i64, who: u64, status: &str, guests: i64) {
    let mut options = vec![("event", ev(event)), ("status", s(status))];
    if guests > 0 {
        options.push(("guests", rencontre::handlers::OptionValue::Int(guests)));
    }
    let ctx = in_guild(member(who, &format!("m{who}")), guild);
    let reply = run(
        state,
        &ctx,
        cmd(rencontre::handlers::CommandName::Rsvp, None, &options),
    )
    .await;
    assert_not_internal(&private_text(&reply));
}

/// January: capacity 3, Alice brings two guests (3 seats), Bob waits,
/// Carol may come, Dave declines. February: Alice and Eve with two guests
/// (4 seats), Bob may come; at the door Alice and a walk-in, Frank, are
/// checked in. Not counted: a cancelled date, one not yet held, another
/// server's. One introduction posted in February.
#[tokio::test]
async fn the_report_counts_what_was_held_as_counted_by_hand() {
    let (state, clock, _dir) = support::state().await;
    let org = organizer(10, "org");
    let user = |id: u64, name: &str| rencontre::handlers::OptionValue::User {
        id,
        name: name.into(),
    };
    let january = create_event(
        &state,
        &org,
        &[
            ("title", s("Janvier")),
            ("when", s("2027-01-14 18:00")),
            ("capacity", rencontre::handlers::OptionValue::Int(3)),
        ],
    )
    .await;
    let february = create(&state, &org, "Février", "2027-02-11 18:00").await;
    let cancelled = create(&state, &org, "Annulé", "2027-02-20 18:00").await;
    let later = create(&state, &org, "Plus tard", "2027-03-20 18:00").await;
    let elsewhere = create(
        &state,
        &in_guild(organizer(11, "other"), OTHER_GUILD),
        "Ailleurs",
        "2027-01-20 18:00",
    )
    .await;
    answer_in(&state, GUILD, january, 21, "going", 2).await;
    answer_in(&state, GUILD, january, 22, "going", 0).await;
    answer_in(&state, GUILD, january, 23, "maybe", 0).await;
    answer_in(&state, GUILD, january, 24, "declined", 0).await;
    answer_in(&state, GUILD, february, 21, "going", 0).await;
    answer_in(&state, GUILD, february, 25, "going", 2).await;
    answer_in(&state, GUILD, february, 22, "maybe", 0).await;
    answer_in(&state, GUILD, cancelled, 27, "going", 0).await;
    answer_in(&state, GUILD, later, 28, "going", 0).await;
    answer_in(&state, OTHER_GUILD, elsewhere, 29, "going", 0).await;
    run(
        &state,
        &org,
        cmd(Event, Some("cancel"), &[("event", ev(cancelled))]),
    )
    .await;

    clock.set(in_2027(2, 1, 9, 0));
    let posted = run(
        &state,
        &member(30, "gaelle"),
        form(
            "intro:v1:form",
            &[("name", "Gaëlle"), ("about", "Graphiste à Arras.")],
        ),
    )
    .await;
    assert_not_internal(&private_text(&posted));

    clock.set(in_2027(2, 11, 18, 10));
    for (id, name) in [(21, "m21"), (26, "frank")] {
        let reply = run(
            &state,
            &org,
            cmd(
                Event,
                Some("check-in"),
                &[("event", ev(february)), ("member", user(id, name))],
            ),
        )
        .await;
        assert_not_internal(&private_text(&reply));
    }

    clock.set(in_2027(3, 1, 9, 0));
    let report = run(
        &state,
        &org,
        cmd(
            rencontre::handlers::CommandName::Report,
            None,
            &[("year", rencontre::handlers::OptionValue::Int(2027))],
        ),
    )
    .await;
    let message = message(&report);
    let figure = |name: &str| -> String {
        message.embeds[0]
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.clone())
            .unwrap_or_else(|| panic!("no field {name}: {message:?}"))
    };
    assert_eq!(figure("Événements tenus"), "2");
    assert_eq!(figure("Participations (invités compris)"), "7");
    assert_eq!(figure("Personnes différentes"), "3", "Alice, Eve and Frank");
    assert_eq!(figure("Présences enregistrées"), "2");
    assert_eq!(figure("Nouvelles présentations"), "1");
    assert_eq!(figure("Mois le plus suivi"), "février");

    let csv = message
        .attachments
        .iter()
        .find(|a| a.filename.ends_with(".csv"))
        .map(|a| String::from_utf8(a.bytes.clone()).unwrap())
        .expect("the CSV is attached");
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(
        lines,
        ["2027-01-14,Janvier,3,1,0", "2027-02-11,Février,4,1,2"],
        "{csv}"
    );
    for absent in ["Annulé", "Plus tard", "Ailleurs"] {
        assert!(!csv.contains(absent), "{absent} counted: {csv}");
    }
}

/// A check-in writes answers, so the event's counts row too: it waits for
/// a write to the same server under way (a promotion locks answers then
/// counts on PostgreSQL; without the write lock the two deadlocked), then
/// counts the arrival.
#[tokio::test]
async fn a_check_in_waits_for_a_write_under_way_then_counts() {
    let (state, _clock, _db) = support::state().await;
    let id = event(&state, "Rencontre numérique", Some(10)).await;
    answer(&state, id, 1_001, "Awa", RsvpChoice::Going, 0).await;
    let write = store::begin_write_in(&state.pool, &[GUILD]).await.unwrap();
    let door = {
        let state = state.clone();
        tokio::spawn(async move {
            let walk_in =
                rsvps::check_in_anyone(&state.pool, GUILD, id, 1_002, "Basile", support::now()).await;
            let on_answer = rsvps::check_in(&state.pool, GUILD, id, 1_001, support::now()).await;
            (walk_in.unwrap(), on_answer.unwrap())
        })
    };
    // Never a false failure: a slow machine only makes this wait pass.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !door.is_finished(),
        "the check-in went past an open write transaction"
    );
    write.rollback().await.unwrap();
    let (walk_in, on_answer) = door.await.unwrap();
    assert_eq!((walk_in, on_answer), (rsvps::CheckIn::WalkIn, true));
    let counts = store::events::counts_one(&state.pool, id).await.unwrap();
    assert_eq!((counts.going_members, counts.checked_in), (1, 2));
}
