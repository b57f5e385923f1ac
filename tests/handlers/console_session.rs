//! A whole association evening, scripted through the console: the same
//! handlers and database a Discord member would reach.

use crate::support;

use rencontre::console::Console;

async fn run(console: &Console, line: &str) -> String {
    let out = console.line(line).await;
    println!("> {line}\n{out}");
    out
}

#[tokio::test]
async fn a_scripted_evening_from_setup_to_search() {
    let (state, _clock, _dir) = support::state().await;
    let console = Console::new(state);

    // The admin picks channels and the organizer role.
    let out = run(
        &console,
        "/setup channels agenda:#agenda introductions:#presentations",
    )
    .await;
    assert!(out.contains("Salon agenda: #agenda"), "{out}");
    run(&console, "/setup organizers role:@bureau").await;

    // A member cannot create events.
    run(&console, ":as mallory").await;
    let out = run(
        &console,
        r#"/event create title:"Pirate" when:"2026-12-10 18:00""#,
    )
    .await;
    assert!(out.contains("Seuls les organisateurs"), "{out}");
    assert!(!out.contains("#agenda:"), "nothing may be posted: {out}");

    // An organizer creates an event with two seats; its card is posted.
    run(&console, ":as alice organizer").await;
    let out = run(
        &console,
        r#"/event create title:"Rencontres numériques" when:"2026-12-03 18:30" capacity:2 location:"Boulogne-sur-Mer""#,
    )
    .await;
    assert!(out.contains("créé pour le jeudi 3 décembre 2026, 18:30"), "{out}");
    assert!(out.contains("#agenda: == Rencontres numériques =="), "{out}");
    assert!(out.contains("Participants: 0/2"), "{out}");

    // Three members click Going on the card; the third is waitlisted.
    run(&console, ":as bob").await;
    let out = run(&console, ":click Je participe").await;
    assert!(
        out.contains("vous participez à « Rencontres numériques »"),
        "{out}"
    );
    assert!(out.contains("Participants: 1/2"), "{out}");
    run(&console, ":as carol").await;
    run(&console, ":click Je participe").await;
    run(&console, ":as dave").await;
    let out = run(&console, ":click Je participe").await;
    assert!(out.contains("vous êtes n° 1 sur la liste d'attente"), "{out}");
    assert!(out.contains("Liste d'attente: 1"), "{out}");

    // Bob can't come after all: Dave is promoted and told by DM.
    run(&console, ":as bob").await;
    let out = run(&console, ":click Je ne peux pas").await;
    assert!(out.contains("vous ne venez pas"), "{out}");
    assert!(out.contains("DM @dave: Bonne nouvelle"), "{out}");
    assert!(out.contains("Participants: 2/2"), "{out}");

    // The organizer sees who comes, with a CSV.
    run(&console, ":as alice organizer").await;
    let out = run(&console, r#"/event attendees event:"Rencontres numériques""#).await;
    assert!(out.contains("Participent (2)"), "{out}");
    assert!(out.contains("carol") && out.contains("dave"), "{out}");
    assert!(out.contains("participants-1.csv"), "{out}");

    // Members introduce themselves; search finds them without accents.
    run(&console, ":as eve").await;
    let out = run(&console, "/intro").await;
    assert!(out.contains("(form) Présentez-vous"), "{out}");
    let out = run(
        &console,
        r#":form name:"Eve Martin" organization:"Coteo" about:"Agence de communication" skills:"référencement, réseaux sociaux" website:"coteo.fr""#,
    )
    .await;
    assert!(out.contains("#presentations: == Eve Martin =="), "{out}");
    run(&console, ":as mohammed").await;
    run(&console, "/intro").await;
    run(
        &console,
        r#":form name:"Mohammed B." organization:"EILCO" skills:"ingénierie, 4G""#,
    )
    .await;
    let out = run(&console, "/member search query:referencement").await;
    assert!(out.contains("Eve Martin") && !out.contains("Mohammed"), "{out}");
    let out = run(&console, "/member search query:eilco").await;
    assert!(out.contains("Mohammed B."), "{out}");

    // The same command answered in English for an English-speaking member.
    run(&console, ":locale en").await;
    let out = run(&console, "/agenda").await;
    assert!(out.contains("Agenda — upcoming"), "{out}");
    assert!(out.contains("Thursday 3 December 2026, 18:30"), "{out}");
}

#[test]
fn the_binary_runs_a_script_from_standard_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("console.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontre"))
        .args(["console", "--db"])
        .arg(&db)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let script = "\
:as alice admin
/event create title:\"AG annuelle\" when:\"dans 3 jours\" capacity:1
:as bob
:locale en
/agenda
:click Je participe
:quit
/agenda
";
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("#general: == AG annuelle =="), "{stdout}");
    assert!(stdout.contains("Agenda — upcoming"), "{stdout}");
    assert!(stdout.contains("you're going to \"AG annuelle\""), "{stdout}");
    // Nothing after :quit runs.
    assert_eq!(stdout.matches("Agenda — upcoming").count(), 1, "{stdout}");
    assert!(db.exists());
}

/// Every mistake at the console says what went wrong and what to type, and
/// changes nothing: the same line, corrected, then works.
#[tokio::test]
async fn console_mistakes_say_what_to_type() {
    let (state, _clock, _dir) = support::state().await;
    let console = Console::new(state);
    run(&console, ":as alice organizer").await;
    for (line, expected) in [
        ("hello", "! unknown line `hello`; :help lists what works"),
        ("/fete", "! unknown command /fete"),
        ("/event", "! /event needs one of: create,"),
        ("/event fly", "! /event has no `fly`; try one of: create,"),
        (
            r#"/event create colour:"red""#,
            "! unknown option `colour`; options: when, title,",
        ),
        (
            "/event create capacity:beaucoup",
            "! capacity must be a whole number",
        ),
        ("/announce pending:perhaps", "! pending must be true or false"),
        ("/event create title", "! expected key:value, got `title`"),
        (r#"/event create title:"Soirée"#, "! unclosed quote"),
        (
            ":as bob chief",
            "! unknown standing `chief`: member, organizer or admin",
        ),
        (
            ":click Participer",
            "! no button `Participer` on the messages shown",
        ),
        (":form title:x", "! no form is open"),
        (":complete", "! usage: :complete /command [sub] key:\"text\""),
    ] {
        let out = run(&console, line).await;
        assert!(out.starts_with(expected), "{line:?} said {out:?}");
    }

    // A mistyped field leaves the form open; the corrected line sends it.
    let out = run(&console, "/intro").await;
    assert!(out.contains("name"), "{out}");
    let out = run(&console, r#":form nom:"Alice""#).await;
    assert!(
        out.starts_with("! the form has no field `nom`; fields: name,"),
        "{out}"
    );
    let out = run(
        &console,
        r#":form name:"Alice Martin" about:"Développeuse à Calais, je cherche des partenaires.""#,
    )
    .await;
    assert!(!out.starts_with('!'), "{out}");
    assert!(out.contains("Votre présentation est enregistrée"), "{out}");
}
