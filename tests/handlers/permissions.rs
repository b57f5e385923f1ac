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

#[tokio::test]
async fn forged_announcement_forms_are_checked_again() {
    let (state, _dir, id) = world().await;
    let fields = [
        ("title", "Assemblée générale"),
        ("message", "@everyone venez nombreux"),
    ];
    let options = [("channel", OptionValue::Channel(300)), ("event", ev(id))];
    let opened = open_announce(&state, &as_(RoleOrganizer), &options).await;
    let before = snapshot(&state).await;
    // A member cannot post by sending the form directly, even with a real token.
    let reply = run(&state, &as_(Standing::Member), form(&opened, &fields)).await;
    assert!(
        says(&reply, NOT_ORGANIZER) && reply.effects.is_empty(),
        "{reply:?}"
    );
    // Nor can another organizer use it, nor anyone a made-up or old-style id.
    for (ctx, id) in [
        (as_(Organizer), opened.clone()),
        (
            as_(RoleOrganizer),
            "announce:v2:0123456789abcdef0123456789abcdef".into(),
        ),
        (as_(RoleOrganizer), format!("announce:v1:300:{id}:-:-")),
    ] {
        let reply = run(&state, &ctx, form(&id, &fields)).await;
        let refused = says(&reply, EXPIRED_FORM) || says(&reply, STALE);
        assert!(refused && reply.effects.is_empty(), "{id}: {reply:?}");
    }
    assert_eq!(snapshot(&state).await, before);

    // The organizer who opened it can; the message is stored as typed, pings nobody.
    let reply = run(&state, &as_(RoleOrganizer), form(&opened, &fields)).await;
    assert!(says(&reply, "Annonce publiée dans <#300>."), "{reply:?}");
    let [Effect::PublishAnnouncement { announcement_id }] = reply.effects[..] else {
        panic!("{reply:?}")
    };
    let saved = store::announcements::get(&state.pool, announcement_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (saved.event_id, saved.ping_role, saved.author_id),
        (Some(id), None, 52)
    );
    // A form is used once.
    let again = run(&state, &as_(RoleOrganizer), form(&opened, &fields)).await;
    assert!(
        says(&again, EXPIRED_FORM) && again.effects.is_empty(),
        "{again:?}"
    );
    assert_eq!(saved.message, "@everyone venez nombreux");
}

#[tokio::test]
async fn the_organizer_role_follows_the_setting() {
    let (state, _dir, _id) = world().await;
    let rita = as_(RoleOrganizer);
    let atelier = new_event("Atelier", "2026-12-10 18:00");
    assert_eq!(refreshed(&run(&state, &rita, atelier.clone()).await).len(), 1);

    // Organizers cannot change the setup, not even the organizer role.
    let new_role = cmd(Setup, Some("organizers"), &[("role", OptionValue::Role(901))]);
    for standing in [Standing::Member, Organizer, RoleOrganizer] {
        let reply = run(&state, &as_(standing), new_role.clone()).await;
        assert!(says(&reply, NOT_ADMIN), "{standing:?}: {reply:?}");
    }
    // Manage Server alone is enough to configure.
    let mut manager = member(55, "max");
    manager.caller.permissions.manage_guild = true;
    let reply = run(&state, &manager, cmd(Setup, Some("show"), &[])).await;
    assert_eq!(
        embed_title(&reply),
        Some("Configuration de Rencontre"),
        "{reply:?}"
    );
    let reply = run(&state, &as_(Admin), new_role).await;
    assert!(
        all_text(&reply).contains("Rôle organisateur: <@&901>"),
        "{reply:?}"
    );

    // The old role no longer makes an organizer; the new one does.
    let before = snapshot(&state).await;
    assert!(says(&run(&state, &rita, atelier.clone()).await, NOT_ORGANIZER));
    assert_eq!(snapshot(&state).await, before);
    let nora = with_role(54, "nora", 901);
    assert_eq!(refreshed(&run(&state, &nora, atelier).await).len(), 1);
}

#[tokio::test]
async fn restricted_events_take_rsvps_from_the_role_only() {
    let (state, _dir, _id) = world().await;
    let role = ("restricted_to", OptionValue::Role(777));
    let options = [
        ("title", s("Conseil d'administration")),
        ("when", s("2026-12-08 18:00")),
        role,
    ];
    let id = create_event(&state, &organizer(2, "alice"), &options).await;
    let before = snapshot(&state).await;
    for invocation in [rsvp(id, "going"), click(&format!("rsvp:v1:{id}:going"))] {
        let reply = run(&state, &member(60, "mallory"), invocation).await;
        assert!(
            says(&reply, "Cet événement est réservé au rôle <@&777>."),
            "{reply:?}"
        );
        assert_eq!(snapshot(&state).await, before);
    }
    let reply = run(&state, &with_role(61, "board", 777), rsvp(id, "going")).await;
    let going = "C'est noté : vous participez à « Conseil d'administration ».";
    assert!(says(&reply, going), "{reply:?}");
}

#[tokio::test]
async fn servers_never_reach_each_others_events() {
    let (state, _dir, _id) = world().await;
    let secret = "Secret du bureau B";
    let b_org = in_guild(organizer(70, "zoe"), OTHER_GUILD);
    let b_id = create(&state, &b_org, secret, "2026-12-04 18:30").await;
    run(
        &state,
        &in_guild(member(71, "yann"), OTHER_GUILD),
        rsvp(b_id, "going"),
    )
    .await;
    let theirs = open_announce(&state, &b_org, &[("channel", OptionValue::Channel(300))]).await;
    let before = snapshot(&state).await;

    for standing in STANDINGS {
        let ctx = as_(standing);
        let organizer = standing != Standing::Member;
        for text in [b_id.to_string(), secret.to_owned()] {
            let event = ("event", s(&text));
            // (organizers only?, invocation)
            let attempts = [
                (
                    true,
                    cmd(Event, Some("edit"), &[event.clone(), ("title", s("Pirate"))]),
                ),
                (true, cmd(Event, Some("cancel"), std::slice::from_ref(&event))),
                (true, cmd(Announce, None, std::slice::from_ref(&event))),
                (false, cmd(Event, Some("show"), std::slice::from_ref(&event))),
                (false, cmd(Event, Some("attendees"), std::slice::from_ref(&event))),
                (false, cmd(Rsvp, None, &[event.clone(), ("status", s("going"))])),
            ];
            for (organizers_only, invocation) in attempts {
                let reply = run(&state, &ctx, invocation.clone()).await;
                let expected = match organizers_only && !organizer {
                    true => NOT_ORGANIZER.to_owned(),
                    false => unknown_event(&text),
                };
                assert!(says(&reply, &expected), "{standing:?} {invocation:?}: {reply:?}");
                assert!(reply.effects.is_empty(), "{reply:?}");
            }
        }
        for id in [format!("rsvp:v1:{b_id}:going"), format!("checkin:v1:{b_id}")] {
            let text = private_text(&run(&state, &ctx, click(&id)).await);
            assert!(text == GONE || text == STALE, "{standing:?} {id}: {text}");
        }
        // B's own form submitted from A, even by the same user id.
        let mut ctx_b_user = ctx.clone();
        ctx_b_user.caller.user_id = b_org.caller.user_id;
        let reply = run(
            &state,
            &ctx_b_user,
            form(&theirs, &[("title", "t"), ("message", "m")]),
        )
        .await;
        let expected = if organizer { EXPIRED_FORM } else { NOT_ORGANIZER };
        assert!(says(&reply, expected), "{standing:?}: {reply:?}");
        assert_eq!(
            snapshot(&state).await,
            before,
            "{standing:?} changed another server"
        );

        // Nothing of B shows up in A's lists either.
        let autocomplete = Invocation::Autocomplete {
            command: Rsvp,
            sub: None,
            focused: "event".into(),
            options: opts(&[("event", s(""))]),
        };
        let agenda = cmd(Agenda, None, &[]);
        for shown in [
            &run(&state, &ctx, autocomplete).await,
            &run(&state, &ctx, agenda).await,
        ] {
            let shown = all_text(shown);
            assert!(shown.contains(TITLE) && !shown.contains("Secret"), "{shown}");
        }
        let reply = run(&state, &ctx, cmd(Calendar, None, &[])).await;
        let ics = String::from_utf8_lossy(&message(&reply).attachments[0].bytes).into_owned();
        assert!(
            ics.contains("SUMMARY:Rencontres num") && !ics.contains("Secret"),
            "{ics}"
        );
    }
    let b_event = store::events::get(&state.pool, OTHER_GUILD, b_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((b_event.title.as_str(), b_event.cancelled), (secret, false));
    assert_eq!(store::rsvps::list(&state.pool, b_id).await.unwrap().len(), 1);
}

/// *Create Events* alone (Discord's rule for its own scheduled events): one
/// creates events and edits or cancels the ones one created; nothing more.
#[tokio::test]
async fn create_events_alone_changes_only_ones_own_events() {
    let (state, _dir, theirs) = world().await;
    let mut maker = member(60, "camille");
    maker.caller.permissions.create_events = true;
    let mine = create(&state, &maker, "Atelier SEO", "2026-12-10 18:30").await;
    let other_mine = create(&state, &maker, "Atelier fibre", "2026-12-11 18:30").await;

    let reply = run(
        &state,
        &maker,
        on("edit", mine, &[("title", "Atelier SEO local")]),
    )
    .await;
    assert!(
        says(
            &reply,
            "Événement « Atelier SEO local » modifié ; sa fiche est à jour."
        ),
        "{reply:?}"
    );
    let reply = run(&state, &maker, on("cancel", other_mine, &[])).await;
    assert!(
        says(
            &reply,
            "Événement « Atelier fibre » annulé ; les inscrits sont prévenus."
        ),
        "{reply:?}"
    );

    let before = snapshot(&state).await;
    let not_mine = "Vous ne pouvez modifier ou annuler que les événements que vous avez créés ; pour les autres, demandez à un organisateur.";
    for invocation in [
        on("edit", theirs, &[("title", "Pirate")]),
        on("cancel", theirs, &[]),
    ] {
        let reply = run(&state, &maker, invocation).await;
        assert!(says(&reply, not_mine) && reply.effects.is_empty(), "{reply:?}");
    }
    // Organizer-only commands stay closed.
    for invocation in [
        cmd(Announce, None, &[("channel", OptionValue::Channel(300))]),
        cmd(Report, None, &[]),
    ] {
        let reply = run(&state, &maker, invocation).await;
        assert!(says(&reply, NOT_ORGANIZER), "{reply:?}");
    }
    let reply = run(&state, &maker, on("attendees", theirs, &[])).await;
    assert!(files(&reply).is_empty(), "no attendee CSV: {reply:?}");
    assert_eq!(snapshot(&state).await, before, "nothing of another's changed");
    let event = store::events::get(&state.pool, GUILD, theirs)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((event.title.as_str(), event.cancelled), (TITLE, false));
}
