//! Another server's ids forged into buttons, forms and options: nothing of
//! it reached, shown or counted.

use super::*;

#[tokio::test]
async fn forged_buttons_and_forms_cannot_reach_another_server() {
    let (state, _clock, _dir) = support::state().await;
    let other = in_guild(organizer(10, "eve"), OTHER_GUILD);
    let theirs = create(&state, &other, "Secret de l'autre serveur", "2026-12-05 18:00").await;
    let before = snapshot(&state).await;
    let mallory = organizer(66, "mallory");
    for forged in [
        rsvp_button(theirs, "going"),
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
