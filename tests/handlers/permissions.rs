//! Who may do what, through the handlers: every command as a member, an
//! organizer (Manage Events), an organizer by role and an admin. A refused
//! call answers privately and changes nothing; servers never see each
//! other's events.

use crate::support::{self, calls, outlet};

use calls::*;
use rencontre::handlers::{CommandName, Context, Invocation, OptionValue};
use rencontre::reply::{Body, Effect, Reply};
use rencontre::state::AppState;
use rencontre::store;

use CommandName::{Agenda, Announce, Calendar, Event, Member, Privacy, Reminders, Report, Rsvp, Setup};

const TITLE: &str = "Rencontres numériques";
const SAVED: Option<&str> = Some("Configuration enregistrée.");

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Everyone,
    Organizers,
    Admins,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Standing {
    Member,
    Organizer,
    RoleOrganizer,
    Admin,
}

use Standing::{Admin, Organizer, RoleOrganizer};

mod ownership;
mod roles;

const STANDINGS: [Standing; 4] = [Standing::Member, Organizer, RoleOrganizer, Admin];

fn as_(standing: Standing) -> Context {
    match standing {
        Standing::Member => member(50, "bob"),
        Organizer => organizer(51, "olga"),
        RoleOrganizer => with_role(52, "rita", ORGANIZER_ROLE),
        Admin => admin(53, "ada"),
    }
}

/// A server with an organizer role, an event with one attendee, and an introduction.
async fn world() -> (AppState, support::TestDatabase, i64) {
    let (state, _clock, dir) = support::state().await;
    let role = [("role", OptionValue::Role(ORGANIZER_ROLE))];
    let reply = run(&state, &admin(1, "ada"), cmd(Setup, Some("organizers"), &role)).await;
    assert_eq!(message(&reply).content.as_deref(), SAVED);
    let capacity = ("capacity", OptionValue::Int(30));
    let options = [("title", s(TITLE)), ("when", s("2026-12-03 18:30")), capacity];
    let id = create_event(&state, &organizer(2, "alice"), &options).await;
    let going = [
        ("event", ev(id)),
        ("status", s("going")),
        ("note", s("végétarien")),
    ];
    run(&state, &member(3, "carol"), cmd(Rsvp, None, &going)).await;
    let intro = [
        ("name", "Eve Martin"),
        ("organization", "Coteo"),
        ("skills", "fibre, SEO"),
    ];
    run(&state, &member(4, "eve"), form("intro:v1:form", &intro)).await;
    (state, dir, id)
}

/// `/event <sub> event:<id>` with string options.
fn on(sub: &str, id: i64, extra: &[(&str, &str)]) -> Invocation {
    let mut options = vec![("event", ev(id))];
    options.extend(extra.iter().map(|(n, v)| (*n, s(v))));
    cmd(Event, Some(sub), &options)
}

fn says(reply: &Reply, expected: &str) -> bool {
    matches!(&reply.body, Body::Message(m) if m.private && m.content.as_deref() == Some(expected))
}

fn embed_title(reply: &Reply) -> Option<&str> {
    message(reply).embeds.first().and_then(|e| e.title.as_deref())
}

fn files(reply: &Reply) -> Vec<&str> {
    message(reply)
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect()
}

type Build = fn(i64) -> Invocation;
/// Whether an allowed call did its job (given whether the caller organizes).
type Check = fn(&Reply, bool) -> bool;

const CASES: [(&str, Who, Build, Check); 14] = [
    (
        "/event create",
        Who::Organizers,
        |_| new_event("Atelier fibre", "2026-12-10 18:00"),
        |r, _| {
            private_text(r).starts_with("Événement « Atelier fibre » créé pour le <t:")
                && refreshed(r).len() == 1
        },
    ),
    (
        "/event edit",
        Who::Organizers,
        |id| on("edit", id, &[("location", "Calais")]),
        |r, _| {
            says(
                r,
                "Événement « Rencontres numériques » modifié ; sa fiche est à jour.",
            )
        },
    ),
    (
        "/event cancel",
        Who::Organizers,
        |id| on("cancel", id, &[("reason", "tempête")]),
        |r, _| {
            says(
                r,
                "Événement « Rencontres numériques » annulé ; les inscrits sont prévenus.",
            )
        },
    ),
    (
        "/announce",
        Who::Organizers,
        |_| cmd(Announce, None, &[("channel", OptionValue::Channel(300))]),
        |r, _| matches!(&r.body, Body::Modal(m) if m.title == "Nouvelle annonce"),
    ),
    (
        "/report",
        Who::Organizers,
        |_| cmd(Report, None, &[]),
        |r, _| {
            let files = files(r);
            embed_title(r) == Some("Bilan d'activité 2026")
                && files.contains(&"bilan-2026.csv")
                && files.contains(&"bilan-2026.md")
        },
    ),
    (
        "/event attendees",
        Who::Everyone,
        |id| on("attendees", id, &[]),
        |r, organizer| {
            let csv = files(r)
                .iter()
                .any(|f| f.starts_with("participants-") && f.ends_with(".csv"));
            embed_title(r) == Some("Participants — Rencontres numériques")
                && all_text(r).contains("carol")
                && csv == organizer
        },
    ),
    (
        "/setup show",
        Who::Admins,
        |_| cmd(Setup, Some("show"), &[]),
        |r, _| embed_title(r) == Some("Configuration de Rencontre") && all_text(r).contains("<@&900>"),
    ),
    (
        "/setup timezone",
        Who::Admins,
        |_| cmd(Setup, Some("timezone"), &[("zone", s("America/Martinique"))]),
        |r, _| {
            message(r).content.as_deref() == SAVED
                && all_text(r).contains("Fuseau horaire: America/Martinique")
        },
    ),
    (
        "/setup channels",
        Who::Admins,
        |_| cmd(Setup, Some("channels"), &[("agenda", OptionValue::Channel(200))]),
        |r, _| message(r).content.as_deref() == SAVED && all_text(r).contains("Salon agenda: <#200>"),
    ),
    (
        "/rsvp",
        Who::Everyone,
        |id| rsvp(id, "going"),
        |r, _| {
            says(r, "C'est noté : vous participez à « Rencontres numériques ».") && refreshed(r).len() == 1
        },
    ),
    (
        "/agenda",
        Who::Everyone,
        |_| cmd(Agenda, None, &[]),
        |r, _| {
            embed_title(r) == Some("Agenda — à venir") && all_text(r).contains("**Rencontres numériques**")
        },
    ),
    (
        "/member search",
        Who::Everyone,
        |_| cmd(Member, Some("search"), &[("query", s("fibre"))]),
        |r, _| all_text(r).contains("**Eve Martin** — Coteo"),
    ),
    (
        "/privacy export",
        Who::Everyone,
        |_| cmd(Privacy, Some("export"), &[]),
        |r, _| {
            let done = Some("Voici toutes les données que Rencontre conserve sur vous.");
            message(r).content.as_deref() == done && files(r) == ["rencontre-mes-donnees.json"]
        },
    ),
    (
        "/reminders off",
        Who::Everyone,
        |_| cmd(Reminders, Some("off"), &[]),
        |r, _| says(r, "Rappels désactivés."),
    ),
];

/// Runs one cell of the matrix on a fresh server; a description if it went wrong.
async fn cell(name: &str, who: Who, build: Build, check: Check, standing: Standing) -> Option<String> {
    let (state, _dir, id) = world().await;
    let before = snapshot(&state).await;
    let reply = run(&state, &as_(standing), build(id)).await;
    let organizer = standing != Standing::Member;
    let allowed = match who {
        Who::Everyone => true,
        Who::Organizers => organizer,
        Who::Admins => standing == Admin,
    };
    let fine = if allowed {
        check(&reply, organizer) && (!TELL_CAROL.contains(&name) || carol_told(&state).await)
    } else {
        let refusal = if who == Who::Admins {
            NOT_ADMIN
        } else {
            NOT_ORGANIZER
        };
        says(&reply, refusal) && reply.effects.is_empty() && snapshot(&state).await == before
    };
    let verdict = if allowed {
        "allowed"
    } else {
        "refused, changing nothing"
    };
    (!fine).then(|| format!("{name} as {standing:?} should be {verdict}; got {reply:?}"))
}

/// The commands that tell those who answered (carol) by DM.
const TELL_CAROL: [&str; 2] = ["/event edit", "/event cancel"];

/// Whether carol got a DM from the jobs now due.
async fn carol_told(state: &AppState) -> bool {
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(state, &out).await.unwrap();
    out.dms_to(3).len() == 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_command_as_every_standing() {
    let mut cells = tokio::task::JoinSet::new();
    for (name, who, build, check) in CASES {
        for standing in STANDINGS {
            cells.spawn(cell(name, who, build, check, standing));
        }
    }
    let failures: Vec<String> = cells.join_all().await.into_iter().flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
