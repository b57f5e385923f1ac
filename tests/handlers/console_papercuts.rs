//! What members and organizers notice in replies (issue 14's papercuts),
//! checked through the console in French and in English: dates, plurals,
//! units, file names, typed text, leaving after the deadline, capacity,
//! restricted events, the organizers' list.

use crate::support;

use chrono::Duration;
use rencontre::console::Console;

async fn run(console: &Console, line: &str) -> String {
    let out = console.line(line).await;
    println!("> {line}\n{out}");
    out
}

async fn organizer_console() -> (
    Console,
    std::sync::Arc<rencontre::state::ManualClock>,
    support::TestDatabase,
) {
    let (state, clock, dir) = support::state().await;
    let console = Console::new(state);
    run(
        &console,
        "/setup channels agenda:#agenda introductions:#presentations",
    )
    .await;
    run(&console, ":as alice organizer").await;
    (console, clock, dir)
}

#[tokio::test]
async fn an_end_on_another_day_shows_its_date() {
    let (console, _clock, _dir) = organizer_console().await;
    let out = run(
        &console,
        r#"/event create title:"Salon" when:"2026-12-04 18:00" duration:"3 jours""#,
    )
    .await;
    assert!(out.contains("→ lundi 7 décembre 2026, 18:00"), "{out}");
    assert!(!out.contains("→ 18:00"), "{out}");

    // Twenty hours from 18:00 ends the next day at 14:00, in English too.
    run(&console, ":locale en").await;
    run(
        &console,
        r#"/event create title:"Hackathon" when:"2026-12-10 18:00" duration:"20h""#,
    )
    .await;
    let out = run(&console, "/event show event:Hackathon").await;
    assert!(out.contains("→ Friday 11 December 2026, 14:00"), "{out}");

    // The same day keeps the short end.
    let out = run(
        &console,
        r#"/event create title:"Atelier" when:"2026-12-12 18:00" duration:"2h""#,
    )
    .await;
    assert!(out.contains("\n→ 20:00"), "{out}");
}

#[tokio::test]
async fn counts_agree_with_their_words() {
    let (console, _clock, _dir) = organizer_console().await;
    let out = run(&console, "/agenda").await;
    assert!(out.contains("0 résultat") && !out.contains("(s)"), "{out}");
    run(&console, r#"/event create title:"Salon" when:"2026-12-04 18:00""#).await;
    let out = run(&console, "/agenda").await;
    assert!(out.contains("Page 1/1 · 1 résultat"), "{out}");
    assert!(!out.contains("résultats") && !out.contains("(s)"), "{out}");
    run(&console, r#"/event create title:"Forum" when:"2026-12-05 18:00""#).await;
    let out = run(&console, "/agenda").await;
    assert!(out.contains("2 résultats"), "{out}");

    run(&console, ":as bob").await;
    let out = run(&console, "/calendar scope:mine").await;
    assert!(out.contains("(aucun événement)"), "{out}");
    let out = run(&console, "/calendar").await;
    assert!(out.contains("(2 événements)"), "{out}");
    run(&console, ":locale en").await;
    let out = run(&console, "/calendar scope:mine").await;
    assert!(out.contains("(no events)"), "{out}");
    let out = run(&console, "/agenda").await;
    assert!(out.contains("2 results") && !out.contains("(s)"), "{out}");

    // A field's name no longer has to agree with "compris".
    run(&console, ":locale fr").await;
    let out = run(&console, "/rsvp event:Salon status:going guests:50").await;
    assert!(
        out.contains("Invités : choisissez un nombre entre 0 et 10"),
        "{out}"
    );
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/report year:1999").await;
    assert!(
        out.contains("Année : choisissez un nombre entre 2000 et 2100."),
        "{out}"
    );
}

#[tokio::test]
async fn units_command_names_and_file_names_follow_the_reader() {
    let (console, _clock, _dir) = organizer_console().await;
    run(&console, ":as root admin").await;
    run(&console, r#"/setup reminders offsets:"2j,2h,30min""#).await;
    let out = run(&console, "/setup show").await;
    assert!(out.contains("Rappels: 2j,2h,30min"), "{out}");
    run(&console, ":locale en").await;
    let out = run(&console, "/setup show").await;
    assert!(out.contains("Reminders: 2d,2h,30min"), "{out}");

    let out = run(&console, "/report year:2026").await;
    assert!(
        out.contains("report-2026.png") && out.contains("report-2026.md"),
        "{out}"
    );
    let out = run(&console, "/calendar scope:mine").await;
    assert!(out.contains("my-events.ics"), "{out}");
    run(&console, ":locale fr").await;
    let out = run(&console, "/report year:2026").await;
    assert!(
        out.contains("bilan-2026.png") && out.contains("bilan-2026.csv"),
        "{out}"
    );
    let out = run(&console, "/calendar scope:mine").await;
    assert!(out.contains("mes-evenements.ics"), "{out}");

    // Discord shows a French member the French names of commands.
    run(&console, "/setup channels introductions:#presentations").await;
    run(&console, ":as eve").await;
    run(&console, "/intro").await;
    let out = run(&console, r#":form name:"Eve""#).await;
    assert!(out.contains("publiée dans #presentations"), "{out}");
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/announce pending:true").await;
    assert!(!out.contains("/announce"), "{out}");
    let out = run(&console, "/announce cancel:42").await;
    assert!(out.contains("`/annoncer`") && !out.contains("/announce"), "{out}");
}

#[tokio::test]
async fn skills_are_kept_as_typed_without_the_blanks() {
    let (console, _clock, _dir) = organizer_console().await;
    run(&console, ":as mohammed").await;
    run(&console, "/intro").await;
    run(
        &console,
        r#":form name:"Mohammed" skills:"formation,  ingénierie ,, ,IA""#,
    )
    .await;
    let out = run(&console, "/member show user:@mohammed").await;
    assert!(out.contains("Compétences: formation, ingénierie, IA"), "{out}");
}

#[tokio::test]
async fn after_the_deadline_a_member_can_still_free_their_seat() {
    let (console, clock, _dir) = organizer_console().await;
    run(
        &console,
        r#"/event create title:"Dîner" when:"2026-12-10 19:00" capacity:1 deadline:"2026-12-05 12:00""#,
    )
    .await;
    run(&console, ":as bob").await;
    run(&console, ":click Je participe").await;
    run(&console, ":as carol").await;
    let out = run(&console, ":click Je participe").await;
    assert!(out.contains("liste d'attente"), "{out}");

    clock.advance(Duration::days(7));
    run(&console, ":as dave").await;
    let out = run(&console, "/event show event:1").await;
    // Joining is closed; stepping back is not.
    assert!(
        out.contains("[Je participe (off)]") && out.contains("[Je ne peux pas]"),
        "{out}"
    );
    let out = run(&console, "/rsvp event:1 status:going").await;
    assert!(out.contains("Les inscriptions sont closes"), "{out}");

    run(&console, ":as bob").await;
    let out = run(&console, "/rsvp event:1 status:declined").await;
    assert!(out.contains("vous ne venez pas"), "{out}");
    assert!(out.contains("DM @carol: Bonne nouvelle"), "{out}");
    assert!(out.contains("Participants: 1/1"), "{out}");

    run(&console, ":locale en").await;
    let out = run(&console, "/rsvp event:1 status:going").await;
    assert!(
        out.contains("Sign-ups are closed") && out.contains("Can't go"),
        "{out}"
    );
}

#[tokio::test]
async fn a_capacity_can_be_removed() {
    let (console, _clock, _dir) = organizer_console().await;
    run(
        &console,
        r#"/event create title:"Conférence" when:"2026-12-10 19:00" capacity:1"#,
    )
    .await;
    run(&console, ":as bob").await;
    run(&console, ":click Je participe").await;
    run(&console, ":as carol").await;
    run(&console, ":click Je participe").await;
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/event edit event:1 capacity:0").await;
    assert!(out.contains("DM @carol: Bonne nouvelle"), "{out}");
    assert!(out.contains("Participants: 2\n"), "{out}");
    let out = run(&console, "/agenda").await;
    assert!(out.contains("👥 2") && !out.contains("👥 2/"), "{out}");
    // Creating still needs at least one seat when a capacity is given.
    let out = run(
        &console,
        r#"/event create title:"X" when:"2026-12-11 19:00" capacity:0"#,
    )
    .await;
    assert!(
        out.contains("Nombre de places : choisissez un nombre entre 1 et 10"),
        "{out}"
    );
}

#[tokio::test]
async fn announcing_a_cancelled_event_warns_the_organizer() {
    let (console, _clock, _dir) = organizer_console().await;
    run(&console, r#"/event create title:"Salon" when:"2026-12-10 19:00""#).await;
    run(&console, "/event cancel event:1").await;
    run(&console, "/announce event:1").await;
    let out = run(&console, r#":form title:"Rappel" message:"Venez""#).await;
    assert!(out.contains("Attention : « Salon » est annulé"), "{out}");
    run(&console, ":locale en").await;
    run(&console, "/announce event:1").await;
    let out = run(&console, r#":form title:"Reminder" message:"Come""#).await;
    assert!(out.contains("Note: \"Salon\" is cancelled"), "{out}");

    // An event that goes ahead gets no such note.
    run(&console, r#"/event create title:"Forum" when:"2026-12-11 19:00""#).await;
    run(&console, "/announce event:Forum").await;
    let out = run(&console, r#":form title:"Forum" message:"Come""#).await;
    assert!(!out.contains("cancelled"), "{out}");
}

#[tokio::test]
async fn a_restricted_event_says_so_and_offers_no_buttons_to_others() {
    let (console, _clock, _dir) = organizer_console().await;
    run(
        &console,
        r#"/event create title:"Conseil" when:"2026-12-10 19:00" restricted_to:@bureau"#,
    )
    .await;
    run(&console, ":as bob").await;
    let out = run(&console, "/event show event:1").await;
    assert!(out.contains("Réservé à: @bureau"), "{out}");
    assert!(
        out.contains("[Je participe (off)] [Peut-être (off)] [Je ne peux pas (off)]"),
        "{out}"
    );
    let out = run(&console, "/agenda").await;
    assert!(out.contains("🔒 Réservé à @bureau"), "{out}");
    run(&console, ":locale en").await;
    let out = run(&console, "/agenda").await;
    assert!(out.contains("🔒 Reserved for @bureau"), "{out}");

    // Its organizers still get live buttons.
    run(&console, ":as alice organizer").await;
    let out = run(&console, "/event show event:1").await;
    assert!(out.contains("[Je participe]"), "{out}");
}

#[tokio::test]
async fn typed_markdown_is_shown_as_typed() {
    let (console, _clock, _dir) = organizer_console().await;
    run(
        &console,
        r#"/event create title:"Soirée *VIP" when:"2026-12-10 19:00""#,
    )
    .await;
    let out = run(&console, "/agenda").await;
    // The title is the link to its card; its star stays a star.
    assert!(
        out.contains("**[Soirée \\*VIP](https://discord.com/channels/"),
        "{out}"
    );

    run(&console, ":as mallory").await;
    run(&console, "/intro").await;
    run(
        &console,
        r#":form name:"Mallory" about:"Voir [la doc officielle](https://evil.example) **vite**""#,
    )
    .await;
    let out = run(&console, "/member show user:@mallory").await;
    assert!(
        out.contains("Voir \\[la doc officielle\\](https://evil.example) **vite**"),
        "{out}"
    );
}

#[tokio::test]
async fn organizers_see_notes_and_who_cannot_come() {
    let (console, _clock, _dir) = organizer_console().await;
    run(&console, r#"/event create title:"Salon" when:"2026-12-10 19:00""#).await;
    run(&console, ":as bob").await;
    run(&console, r#"/rsvp event:1 status:going note:"arrive vers 20h""#).await;
    run(&console, ":as carol").await;
    run(&console, r#"/rsvp event:1 status:declined note:"en déplacement""#).await;

    run(&console, ":as alice organizer").await;
    let out = run(&console, "/event attendees event:1").await;
    assert!(out.contains("bob — « arrive vers 20h »"), "{out}");
    assert!(
        out.contains("Ne viennent pas (1): carol — « en déplacement »"),
        "{out}"
    );
    run(&console, ":locale en").await;
    let out = run(&console, "/event attendees event:1").await;
    assert!(out.contains("Can't go (1): carol"), "{out}");
    assert!(out.contains("attendees-1.csv"), "{out}");

    // Members see who comes, not the notes nor who declined.
    run(&console, ":as dave").await;
    let out = run(&console, "/event attendees event:1").await;
    assert!(out.contains("bob") && !out.contains("20h"), "{out}");
    assert!(!out.contains("carol"), "{out}");
}

#[tokio::test]
async fn a_refused_introduction_reopens_filled_in() {
    let (console, clock, _dir) = organizer_console().await;
    run(&console, ":as bob").await;
    run(&console, "/intro").await;
    let out = run(
        &console,
        r#":form name:"Bob Martin" organization:"Coteo" about:"Agence web" website:"pas un site""#,
    )
    .await;
    assert!(out.contains("Ce site web ne ressemble pas"), "{out}");
    assert!(out.contains("[Corriger ma présentation]"), "{out}");
    assert!(!out.contains("#presentations"), "nothing saved: {out}");

    // The button reopens the form with everything typed, to fix one field.
    let out = run(&console, ":click Corriger ma présentation").await;
    assert!(
        out.contains("name * — Nom (≤") && out.contains(r#"= "Bob Martin""#),
        "{out}"
    );
    assert!(
        out.contains(r#"= "Coteo""#) && out.contains(r#"= "Agence web""#),
        "{out}"
    );
    assert!(out.contains(r#"= "pas un site""#), "{out}");
    let out = run(
        &console,
        r#":form name:"Bob Martin" organization:"Coteo" about:"Agence web" website:"coteo.fr""#,
    )
    .await;
    assert!(out.contains("#presentations: == Bob Martin =="), "{out}");

    // Once saved, the form opens with the introduction, not the old draft.
    let out = run(&console, "/intro").await;
    assert!(out.contains(r#"= "https://coteo.fr""#), "{out}");

    // In English too; and a draft does not outlive its half hour.
    run(&console, ":as carol").await;
    run(&console, ":locale en").await;
    run(&console, "/intro").await;
    let out = run(&console, r#":form name:"Carol" website:"nope""#).await;
    assert!(out.contains("[Fix my introduction]"), "{out}");
    clock.advance(Duration::minutes(31));
    let out = run(&console, ":click Fix my introduction").await;
    assert!(!out.contains("nope"), "{out}");
}
