//! Bugs members and organizers hit (issue 14), replayed through the console
//! exactly as they were reported: each test failed before its fix.

use crate::support;

use chrono::{Duration, TimeZone, Utc};
use rencontre::console::Console;

async fn run(console: &Console, line: &str) -> String {
    let out = console.line(line).await;
    println!("> {line}\n{out}");
    out
}

/// Bug 1: a party larger than the whole capacity could never be seated,
/// yet it was waitlisted and stayed first in line for good.
#[tokio::test]
async fn a_party_larger_than_the_capacity_is_refused_and_nothing_is_saved() {
    let (state, _clock, _dir) = support::state().await;
    let console = Console::new(state);
    run(&console, ":as alice organizer").await;
    run(
        &console,
        r#"/event create title:"Salon" when:"2026-12-04 14:00" capacity:3"#,
    )
    .await;

    run(&console, ":as bob").await;
    let out = run(&console, "/rsvp event:1 status:going guests:5").await;
    assert!(
        out.contains("Cet événement n'a que 3 places : vous pouvez amener au plus 2 invités."),
        "{out}"
    );
    assert!(!out.contains("liste d'attente"), "{out}");
    let out = run(&console, "/event attendees event:1").await;
    assert!(out.contains("Liste d'attente (0)"), "nothing saved: {out}");
    assert!(!out.contains("bob"), "nothing saved: {out}");

    // The largest party that fits is still welcome, in English too.
    run(&console, ":locale en").await;
    let out = run(&console, "/rsvp event:1 status:going guests:3").await;
    assert!(
        out.contains("This event only has 3 seats: you can bring at most 2 guests."),
        "{out}"
    );
    let out = run(&console, "/rsvp event:1 status:going guests:2").await;
    assert!(out.contains("you're going to \"Salon\""), "{out}");
}

/// Bug 4: the organizer at the door could only check in members who had
/// answered "going", and only until the end.
#[tokio::test]
async fn organizers_check_in_whoever_came_until_a_day_after_the_end() {
    let (state, clock, _dir) = support::state().await;
    let console = Console::new(state);
    run(&console, ":as alice organizer").await;
    run(
        &console,
        r#"/event create title:"Atelier" when:"2026-12-03 18:00" duration:2h capacity:1"#,
    )
    .await;
    run(&console, ":as bob").await;
    run(&console, "/rsvp event:1 status:going").await;
    run(&console, ":as carol").await;
    let out = run(&console, "/rsvp event:1 status:going").await;
    assert!(out.contains("liste d'attente"), "{out}");
    run(&console, ":as dave").await;
    run(&console, "/rsvp event:1 status:maybe").await;

    // During the event (Paris is UTC+1): the waitlisted member, the
    // "maybe" and a walk-in who never answered are all checked in.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap());
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/event check-in event:1 member:carol").await;
    assert!(
        out.contains("Présence de carol à « Atelier » enregistrée."),
        "{out}"
    );
    let out = run(&console, "/event check-in event:1 member:dave").await;
    assert!(
        out.contains("Présence de dave à « Atelier » enregistrée."),
        "{out}"
    );
    let out = run(&console, "/event check-in event:1 member:erin").await;
    assert!(out.contains("venu·e sans inscription"), "{out}");

    // After the end, the same evening or the next morning, still allowed.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap());
    let out = run(&console, "/event check-in event:1 member:bob").await;
    assert!(
        out.contains("Présence de bob à « Atelier » enregistrée."),
        "{out}"
    );

    // A check-in records attendance, it does not take a seat: the walk-in
    // holds none and carol still waits behind bob.
    let out = run(&console, "/event attendees event:1").await;
    assert!(out.contains("places : 1/1"), "{out}");
    assert!(out.contains("Liste d'attente (1)"), "{out}");
    assert!(out.contains("Venus sans inscription (1)"), "{out}");

    // Members' own button keeps its window: it is gone after the end.
    run(&console, ":as bob").await;
    let out = run(&console, "/event show event:1").await;
    assert!(!out.contains("[Je suis là]"), "{out}");

    // Past the day after, the organizer is told until when it was open.
    clock.advance(Duration::hours(24));
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/event check-in event:1 member:frank").await;
    assert!(out.contains("ferme 24 h après la fin"), "{out}");

    // The report counts all four who came, and nobody twice.
    let out = run(&console, "/report year:2026").await;
    assert!(out.contains("Présences enregistrées: 4"), "{out}");
    assert!(out.contains("Personnes différentes: 4"), "{out}");
}

/// Bug 7: `/announce cancel` suggested nothing while announcements waited.
#[tokio::test]
async fn announce_cancel_suggests_the_scheduled_announcements() {
    let (state, _clock, _dir) = support::state().await;
    let console = Console::new(state);
    run(&console, ":as alice organizer").await;
    for (title, at) in [("Vœux", "2026-12-31 10:00"), ("Bilan", "2026-12-15 09:00")] {
        run(&console, &format!(r#"/announce at:"{at}""#)).await;
        run(&console, &format!(r#":form title:"{title}" message:"À bientôt""#)).await;
    }
    let out = run(&console, r#":complete /announce cancel:"""#).await;
    assert!(out.contains("n° 2 · Bilan"), "{out}");
    assert!(out.contains("n° 1 · Vœux"), "{out}");
    assert!(out.find("Bilan") < out.find("Vœux"), "soonest first: {out}");
    let out = run(&console, ":complete /announce cancel:vœ").await;
    assert!(out.contains("Vœux") && !out.contains("Bilan"), "{out}");

    // A member does not see what organizers have scheduled.
    run(&console, ":as bob").await;
    let out = run(&console, r#":complete /announce cancel:"""#).await;
    assert!(!out.contains("Bilan") && !out.contains("Vœux"), "{out}");
}

/// Bug 8: `pending:True` (as the README writes it) opened the form.
#[tokio::test]
async fn console_booleans_ignore_case() {
    let (state, _clock, _dir) = support::state().await;
    let console = Console::new(state);
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/announce pending:True").await;
    assert!(out.contains("Aucune annonce programmée."), "{out}");
    assert!(!out.contains("(form)"), "{out}");
    let out = run(&console, "/announce pending:maybe").await;
    assert!(out.contains("pending must be true or false"), "{out}");
}
