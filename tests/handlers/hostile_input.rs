//! A corpus of hostile values pushed through options and form fields: each
//! is refused clearly or stored inert, nothing crashes, nothing pings, and
//! nothing of another server leaks.

use crate::support::{self, calls, outlet};


use std::collections::{HashMap, HashSet};

use calls::*;
use rencontre::directory::GuildFacts;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::reply::{Body, Effect};

const INTERNAL: &str = "Désolé, quelque chose s'est mal passé";

/// Texts that must be stored exactly as typed (they are legitimate, if odd).
const INERT: [&str; 6] = [
    "Rencontre\u{200b} numérique", // zero-width space
    "\u{202e}elbuod\u{202c} Café", // right-to-left override
    "Soirée 🎉🥂 de fin d'année",
    "**gras** _it_ ~~barré~~ `code` [lien](https://x.y)",
    "@everyone @here <@&123> <@456>",
    "'; DROP TABLE events; -- \" NEAR(x)",
];

#[tokio::test]
async fn odd_but_legitimate_titles_are_stored_verbatim_and_never_ping() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    for (i, title) in INERT.iter().enumerate() {
        let when = format!("2026-12-{:02} 18:30", 3 + i);
        let reply = run(&state, &alice, new_event(title, &when)).await;
        let text = private_text(&reply);
        assert!(text.contains("créé pour le"), "{title:?}: {text}");
        let Body::Message(message) = &reply.body else {
            panic!()
        };
        assert_eq!(message.ping_role, None, "replies never ping");
    }
    let (events, total) = rencontre::store::events::upcoming(&state.pool, GUILD, state.now(), None, 50, 0)
        .await
        .unwrap();
    assert_eq!(total, INERT.len() as i64);
    for title in INERT {
        assert!(
            events.iter().any(|e| e.title == title),
            "{title:?} stored verbatim"
        );
    }
    // The agenda shows them and still pings nobody.
    let agenda = run(&state, &member(20, "bob"), cmd(CommandName::Agenda, None, &[])).await;
    let Body::Message(message) = &agenda.body else {
        panic!()
    };
    assert_eq!(message.ping_role, None);
    assert!(all_text(&agenda).contains("@everyone @here"));
}

#[tokio::test]
async fn hostile_values_are_refused_with_a_clear_message_and_nothing_saved() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    let admin = admin(1, "root");
    // A real event, so that the RSVP cases reach the checks of its options.
    let event = create(&state, &alice, "Rencontre numérique", "2026-12-03 18:30").await;
    let before = snapshot(&state).await;
    let cases: Vec<(&str, rencontre::handlers::Invocation, &str)> = vec![
        (
            "empty title",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("   ")), ("when", s("demain 18h"))],
            ),
            "obligatoire",
        ),
        (
            "zero-width only title",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("\u{0007}\u{0008}")), ("when", s("demain 18h"))],
            ),
            "obligatoire",
        ),
        (
            "huge capacity",
            cmd(
                CommandName::Event,
                Some("create"),
                &[
                    ("title", s("x")),
                    ("when", s("demain 18h")),
                    ("capacity", OptionValue::Int(i64::MAX)),
                ],
            ),
            "entre 1 et 10\u{202f}000",
        ),
        (
            "negative capacity",
            cmd(
                CommandName::Event,
                Some("create"),
                &[
                    ("title", s("x")),
                    ("when", s("demain 18h")),
                    ("capacity", OptionValue::Int(-5)),
                ],
            ),
            "entre 1 et 10\u{202f}000",
        ),
        (
            "far past",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("x")), ("when", s("1900-01-01 10:00"))],
            ),
            "déjà passée",
        ),
        (
            "far future",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("x")), ("when", s("3000-01-01 10:00"))],
            ),
            "est trop loin : 10 ans à l'avance au plus, soit jusqu'au 29 novembre 2036.",
        ),
        (
            "emoji date",
            cmd(
                CommandName::Event,
                Some("create"),
                &[("title", s("x")), ("when", s("🎉 demain"))],
            ),
            "n'ai pas compris la date",
        ),
        (
            "huge guests",
            cmd(
                CommandName::Rsvp,
                None,
                &[
                    ("event", ev(event)),
                    ("status", s("going")),
                    ("guests", OptionValue::Int(i64::MIN)),
                ],
            ),
            "Invités : choisissez un nombre entre 0 et 10.",
        ),
        (
            "mention as search",
            cmd(
                CommandName::Member,
                Some("search"),
                &[("query", s("<@&123> @everyone"))],
            ),
            "Aucune présentation",
        ),
        (
            "FTS operators only",
            cmd(
                CommandName::Member,
                Some("search"),
                &[("query", s("\"* - ( ) ^ :"))],
            ),
            "au moins un mot",
        ),
    ];
    for (name, invocation, expected) in cases {
        let reply = run(&state, &alice, invocation).await;
        let text = private_text(&reply);
        assert!(!text.contains(INTERNAL), "{name}: internal error: {text}");
        assert!(text.contains(expected), "{name}: {text}");
        assert!(!text.is_empty(), "{name}: no answer");
    }
    for (zone, expected) in [
        ("Mars/Olympus_Mons", "pas un fuseau horaire connu"),
        ("../../etc/passwd", "pas un fuseau horaire connu"),
    ] {
        let reply = run(
            &state,
            &admin,
            cmd(CommandName::Setup, Some("timezone"), &[("zone", s(zone))]),
        )
        .await;
        assert!(
            private_text(&reply).contains(expected),
            "{zone}: {}",
            private_text(&reply)
        );
    }
    for offsets in ["-1h", "999999999h", "0", "1h,2h,3h,4h,5h,6h"] {
        let reply = run(
            &state,
            &admin,
            cmd(CommandName::Setup, Some("reminders"), &[("offsets", s(offsets))]),
        )
        .await;
        assert!(
            private_text(&reply).contains("n'ai pas compris les délais"),
            "{offsets}: {}",
            private_text(&reply)
        );
    }
    assert_eq!(before, snapshot(&state).await, "nothing was saved");
}

#[tokio::test]
async fn forged_buttons_and_forms_cannot_reach_another_server() {
    let (state, _clock, _dir) = support::state().await;
    let other = in_guild(organizer(10, "eve"), OTHER_GUILD);
    let theirs = create(&state, &other, "Secret de l'autre serveur", "2026-12-05 18:00").await;
    let before = snapshot(&state).await;
    let mallory = organizer(66, "mallory");
    for forged in [
        click(&format!("rsvp:v1:{theirs}:going")),
        click(&format!("checkin:v1:{theirs}")),
        form(
            &format!("announce:v1:100:{theirs}:-:-"),
            &[("title", "x"), ("message", "y")],
        ),
        cmd(CommandName::Event, Some("attendees"), &[("event", ev(theirs))]),
        cmd(CommandName::Event, Some("cancel"), &[("event", ev(theirs))]),
    ] {
        let reply = run(&state, &mallory, forged).await;
        let text = all_text(&reply);
        assert!(!text.contains("Secret de l'autre serveur"), "leaked: {text}");
        assert!(!text.contains(INTERNAL), "{text}");
    }
    assert_eq!(before, snapshot(&state).await);
}

const ELSEWHERE: &str =
    "Ce salon ou ce rôle n'appartient pas à ce serveur. Choisissez un salon et un rôle d'ici avec `/announce`.";

/// An organizer of one server (anyone can invite the bot to their own)
/// names a channel or role of another server the bot is in: refused when
/// the form opens, when it is sent, and when the announcement is posted.
#[tokio::test]
async fn announcements_cannot_aim_at_another_servers_channel_or_role() {
    let (state, _clock, _dir) = support::state().await;
    // The gateway described the other server: channel 200, role 20.
    state.directory.set_guild(
        OTHER_GUILD,
        GuildFacts {
            owner_id: 9,
            roles: HashMap::from([(OTHER_GUILD, 0), (20, 0)]),
            channels: HashSet::from([200]),
        },
    );
    let mallory = organizer(66, "mallory");
    let before = snapshot(&state).await;
    for options in [
        vec![("channel", OptionValue::Channel(200))],
        vec![
            ("channel", OptionValue::Channel(100)),
            ("ping", OptionValue::Role(20)),
        ],
        vec![("channel", OptionValue::Channel(0))],
    ] {
        let reply = run(&state, &mallory, cmd(CommandName::Announce, None, &options)).await;
        assert_eq!(private_text(&reply), ELSEWHERE, "{options:?}");
    }
    assert_eq!(before, snapshot(&state).await, "no form was opened");

    // A form naming a channel the bot did not know yet; by the time it is
    // sent, the bot knows the channel is the other server's.
    let opened = open_announce(&state, &mallory, &[("channel", OptionValue::Channel(250))]).await;
    state.directory.add_channel(OTHER_GUILD, 250);
    let fields = [("title", "Piège"), ("message", "@everyone")];
    let reply = run(&state, &mallory, form(&opened, &fields)).await;
    assert_eq!(private_text(&reply), ELSEWHERE);
    assert!(reply.effects.is_empty());
    let saved: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM announcements"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(saved, 0, "nothing saved");

    // Posting asks the outlet (Discord) again: a channel it places in
    // another server gets nothing.
    let opened = open_announce(&state, &mallory, &[("channel", OptionValue::Channel(260))]).await;
    let reply = run(&state, &mallory, form(&opened, &fields)).await;
    let [Effect::PublishAnnouncement { announcement_id }] = reply.effects[..] else {
        panic!("{reply:?}")
    };
    let out = outlet::Recorder::default();
    out.foreign.lock().unwrap().insert(260, OTHER_GUILD);
    rencontre::delivery::deliver(&state, &out, reply.effects.clone()).await;
    assert!(out.sent().is_empty(), "nothing posted: {:?}", out.sent());
    let status: String = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT status FROM announcements WHERE id = $1"
    )
    .bind(announcement_id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(status, "failed");
}

/// Beyond events: another server's introductions, time zone, scheduled
/// announcements, reminder choices and activity never show or count here.
#[tokio::test]
async fn nothing_else_of_another_server_shows_or_counts_here() {
    use rencontre::handlers::CommandName::{Announce, Member, Reminders, Report, Rsvp, Setup};
    let (state, clock, _dir) = support::state().await;
    state.directory.set_guild(
        OTHER_GUILD,
        GuildFacts {
            owner_id: 9,
            roles: HashMap::from([(OTHER_GUILD, 0)]),
            channels: HashSet::from([200]),
        },
    );
    let there = |ctx| in_guild(ctx, OTHER_GUILD);
    let eve = there(organizer(11, "eve"));
    // Over there: Zoé introduces herself, the time zone is Martinique's, an
    // announcement waits, Bob turns reminders off, an event is held.
    let posted = run(
        &state,
        &there(member(40, "zoe")),
        form(
            "intro:v1:form",
            &[("name", "Zoé Numérique"), ("about", "Conseil numérique")],
        ),
    )
    .await;
    assert!(
        private_text(&posted).contains("enregistrée"),
        "{}",
        private_text(&posted)
    );
    run(
        &state,
        &there(admin(1, "root")),
        cmd(Setup, Some("timezone"), &[("zone", s("America/Martinique"))]),
    )
    .await;
    let form_id = open_announce(
        &state,
        &eve,
        &[
            ("channel", OptionValue::Channel(200)),
            ("at", s("2026-12-05 09:00")),
        ],
    )
    .await;
    let scheduled = run(
        &state,
        &eve,
        form(
            &form_id,
            &[("title", "Salon de Lille"), ("message", "Rendez-vous")],
        ),
    )
    .await;
    let waiting = rencontre::store::announcements::pending(&state.pool, OTHER_GUILD)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1, "{}", private_text(&scheduled));
    run(
        &state,
        &there(member(41, "bob")),
        cmd(Reminders, Some("off"), &[]),
    )
    .await;
    let theirs = create(&state, &eve, "Soirée de l'autre serveur", "2026-11-30 18:30").await;
    run(&state, &there(member(41, "bob")), rsvp(theirs, "going")).await;

    // Here: none of it.
    let carol = member(20, "carol");
    let search = run(
        &state,
        &carol,
        cmd(Member, Some("search"), &[("query", s("numérique"))]),
    )
    .await;
    assert!(
        private_text(&search).contains("Aucune présentation"),
        "{}",
        all_text(&search)
    );
    let alice = organizer(10, "alice");
    let pending = run(
        &state,
        &alice,
        cmd(Announce, None, &[("pending", OptionValue::Bool(true))]),
    )
    .await;
    assert_eq!(private_text(&pending), "Aucune annonce programmée.");
    let shown = run(&state, &admin(1, "root"), cmd(Setup, Some("show"), &[])).await;
    assert!(
        all_text(&shown).contains("Fuseau horaire: Europe/Paris"),
        "{}",
        all_text(&shown)
    );

    // Bob turned reminders off over there, not here: reminded here.
    let ours = create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    let reply = run(
        &state,
        &member(41, "bob"),
        cmd(Rsvp, None, &[("event", ev(ours)), ("status", s("going"))]),
    )
    .await;
    assert!(
        private_text(&reply).contains("vous participez"),
        "{}",
        private_text(&reply)
    );
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 2, 17, 31, 0).unwrap());
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    let dms = out.dms_to(41);
    assert_eq!(dms.len(), 1, "{:?}", out.sent());
    assert!(dms[0].contains("Rencontres numériques"), "{}", dms[0]);

    // The report here counts nothing held over there.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 9, 0, 0).unwrap());
    let report = run(&state, &alice, cmd(Report, None, &[])).await;
    let held = message(&report).embeds[0]
        .fields
        .iter()
        .find(|f| f.name == "Événements tenus")
        .map(|f| f.value.clone());
    assert_eq!(held.as_deref(), Some("0"), "{}", all_text(&report));
}
