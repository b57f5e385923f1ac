//! Issue 13, through the handlers: a thread per event card (`/setup
//! threads`), `/setup check`'s threads and files rows, events created
//! `from` an earlier one, and the names of who is going on cards.

use crate::support::{self, calls, outlet};

use std::sync::Arc;

use calls::*;
use chrono::Duration;
use outlet::{Recorder, Sent};
use rencontre::access::{bits, AccessProbe, BotAccess, ProbeFuture};
use rencontre::delivery::deliver;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::jobs::run_due;
use rencontre::reply::Reply;
use rencontre::state::AppState;

use CommandName::{Event, Setup};

/// Thursday 3 December 2026, 18:30 in Paris.
const WHEN: &str = "2026-12-03 18:30";
const POSTING: u64 = bits::VIEW_CHANNEL | bits::SEND_MESSAGES | bits::EMBED_LINKS;
const THREADS: u64 = bits::CREATE_PUBLIC_THREADS | bits::SEND_MESSAGES_IN_THREADS;

/// Reports fixed permissions, as Discord would compute them.
struct Fixed(BotAccess);

impl AccessProbe for Fixed {
    fn bot_access<'a>(&'a self, _guild_id: u64, channels: &'a [u64]) -> ProbeFuture<'a> {
        let mut access = self.0.clone();
        access.channels.retain(|(id, _)| channels.contains(id));
        Box::pin(async move { Ok(access) })
    }
}

fn bits_here(channel_bits: u64) -> Arc<Fixed> {
    Arc::new(Fixed(BotAccess {
        server: POSTING,
        channels: vec![(CHANNEL, Some(channel_bits))],
    }))
}

fn threads_on(on: bool) -> rencontre::handlers::Invocation {
    cmd(Setup, Some("threads"), &[("enabled", OptionValue::Bool(on))])
}

/// Runs and carries out the reply's effects on `out`, like a front-end.
async fn act(
    state: &AppState,
    out: &Recorder,
    ctx: &rencontre::handlers::Context,
    invocation: rencontre::handlers::Invocation,
) -> Reply {
    let reply = run(state, ctx, invocation).await;
    deliver(state, out, reply.effects.clone()).await;
    reply
}

#[tokio::test]
async fn a_card_gets_its_thread_going_members_join_it_hears_of_changes_and_it_is_archived() {
    let (state, clock, _dir) = support::state().await;
    let state = state.with_access(bits_here(POSTING | THREADS));
    let out = Recorder::default();
    let on = run(&state, &admin(1, "root"), threads_on(true)).await;
    assert!(
        private_text(&on).contains("Fils de discussion activés"),
        "{}",
        private_text(&on)
    );

    let alice = organizer(10, "alice");
    let reply = act(&state, &out, &alice, new_event("Rencontres numériques", WHEN)).await;
    let event = refreshed(&reply)[0];
    let threads = out.threads.lock().unwrap().clone();
    assert_eq!(threads.len(), 1, "one thread, on the card");
    let (thread, on_message, name) = threads[0].clone();
    assert_eq!(name, "Rencontres numériques");
    let card = rencontre::store::events::get_any(&state.pool, event)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        card.card_message_id,
        Some(on_message),
        "started on the card's message"
    );

    // Going joins the thread; maybe does not.
    act(
        &state,
        &out,
        &member(21, "bob"),
        click(&format!("rsvp:v1:{event}:going")),
    )
    .await;
    act(
        &state,
        &out,
        &member(22, "carol"),
        click(&format!("rsvp:v1:{event}:maybe")),
    )
    .await;
    assert_eq!(*out.thread_members.lock().unwrap(), vec![(thread, 21)]);

    // A new place is told in the thread, in plain text.
    let edit = cmd(
        Event,
        Some("edit"),
        &[("event", ev(event)), ("location", s("EILCO, Calais"))],
    );
    act(&state, &out, &alice, edit).await;
    let told = out.posts_in(thread);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].contains("« Rencontres numériques » change") && told[0].contains("📍 EILCO, Calais"),
        "{told:?}"
    );

    // Archived a day after the end, not before, and once.
    let ends = card.ends_at;
    clock.set(ends + Duration::hours(23));
    run_due(&state, &out).await.unwrap();
    assert!(out.archived.lock().unwrap().is_empty(), "not yet");
    clock.set(ends + Duration::hours(25));
    run_due(&state, &out).await.unwrap();
    run_due(&state, &out).await.unwrap();
    assert_eq!(*out.archived.lock().unwrap(), vec![thread]);
}

#[tokio::test]
async fn a_cancellation_is_told_in_the_thread_which_is_still_archived() {
    let (state, clock, _dir) = support::state().await;
    let state = state.with_access(bits_here(POSTING | THREADS));
    let out = Recorder::default();
    run(&state, &admin(1, "root"), threads_on(true)).await;
    let alice = organizer(10, "alice");
    let reply = act(&state, &out, &alice, new_event("Conférence 4G", WHEN)).await;
    let event = refreshed(&reply)[0];
    let thread = out.threads.lock().unwrap()[0].0;
    let cancel = cmd(
        Event,
        Some("cancel"),
        &[("event", ev(event)), ("reason", s("salle indisponible"))],
    );
    act(&state, &out, &alice, cancel).await;
    assert_eq!(
        out.posts_in(thread),
        vec!["❌ « Conférence 4G » est annulé : salle indisponible".to_owned()]
    );
    clock.advance(Duration::days(6));
    run_due(&state, &out).await.unwrap();
    assert_eq!(*out.archived.lock().unwrap(), vec![thread]);
}

#[tokio::test]
async fn without_the_thread_permissions_setup_threads_says_which_and_saves_nothing() {
    let (state, _clock, _dir) = support::state().await;
    let state = state.with_access(bits_here(POSTING | bits::SEND_MESSAGES_IN_THREADS));
    let out = Recorder::default();
    let before = snapshot(&state).await;
    let reply = run(&state, &admin(1, "root"), threads_on(true)).await;
    assert!(message(&reply).private);
    assert_eq!(
        private_text(&reply),
        "Fils de discussion non activés. Dans <#100> : Je ne peux pas ouvrir un fil sur les fiches d'événement.\n\
         Solution : Modifier le salon → Permissions → Rencontre, autorisez « Créer des fils publics ».\n\
         Puis relancez `/setup threads enabled:True`."
    );
    assert_eq!(snapshot(&state).await, before, "nothing saved");
    act(
        &state,
        &out,
        &organizer(10, "alice"),
        new_event("Rencontres numériques", WHEN),
    )
    .await;
    assert!(out.threads.lock().unwrap().is_empty(), "no thread");
}

#[tokio::test]
async fn only_admins_may_turn_threads_or_names_on() {
    let (state, _clock, _dir) = support::state().await;
    let before = snapshot(&state).await;
    for who in [member(21, "bob"), organizer(10, "alice")] {
        let reply = run(&state, &who, threads_on(true)).await;
        assert_eq!(private_text(&reply), NOT_ADMIN);
        let names = cmd(Setup, Some("card-names"), &[("enabled", OptionValue::Bool(true))]);
        assert_eq!(private_text(&run(&state, &who, names).await), NOT_ADMIN);
    }
    assert_eq!(snapshot(&state).await, before);
}

#[tokio::test]
async fn setup_check_has_the_threads_and_files_rows() {
    let (state, _clock, _dir) = support::state().await;
    let root = admin(1, "root");
    run(
        &state,
        &root,
        cmd(
            Setup,
            Some("channels"),
            &[("agenda", OptionValue::Channel(CHANNEL))],
        ),
    )
    .await;
    let state = state.with_access(bits_here(POSTING | THREADS | bits::ATTACH_FILES));
    run(&state, &root, threads_on(true)).await;
    // Later someone takes the thread permissions and Attach Files away.
    let state = state.with_access(bits_here(POSTING));
    let text = all_text(&run(&state, &root, cmd(Setup, Some("check"), &[])).await);
    assert!(
        text.contains("Fils de discussion: <#100>: Je ne peux pas ouvrir un fil sur les fiches d'événement, écrire dans les fils et y ajouter les participants.\nSolution : Modifier le salon → Permissions → Rencontre, autorisez « Créer des fils publics », « Envoyer des messages dans les fils »."),
        "{text}"
    );
    assert!(
        text.contains("Fichiers joints: <#100>: Je ne peux pas joindre des fichiers (bilan, listes CSV, calendrier).\nSolution : Modifier le salon → Permissions → Rencontre, autorisez « Joindre des fichiers »."),
        "{text}"
    );
    let state = state.with_access(bits_here(POSTING | THREADS | bits::ATTACH_FILES));
    let text = all_text(&run(&state, &root, cmd(Setup, Some("check"), &[])).await);
    assert!(
        text.contains("Fils de discussion: <#100>: tout ce qu'il faut est autorisé."),
        "{text}"
    );
    assert!(
        text.contains("Fichiers joints: <#100>: tout ce qu'il faut est autorisé."),
        "{text}"
    );
}

#[tokio::test]
async fn an_event_from_an_earlier_one_takes_its_fields_and_explicit_options_win() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    let options = [
        ("title", s("Café numérique")),
        ("when", s("2026-12-03 18:30-20:00")),
        ("location", s("Le Channel, Calais")),
        ("description", s("Un café entre membres")),
        ("capacity", OptionValue::Int(12)),
        ("restricted_to", OptionValue::Role(ORGANIZER_ROLE)),
        ("channel", OptionValue::Channel(300)),
        ("deadline", s("2026-12-02 12:00")),
    ];
    let first = create_event(&state, &alice, &options).await;

    // Autocomplete finds it by title and date.
    let typed = rencontre::handlers::Invocation::Autocomplete {
        command: Event,
        sub: Some("create".into()),
        focused: "from".into(),
        options: opts(&[("from", s("café"))]),
    };
    let found = run(&state, &alice, typed).await;
    assert_eq!(choices(&found).len(), 1);
    assert!(
        choices(&found)[0]
            .name
            .starts_with("Café numérique — jeudi 3 décembre 2026"),
        "{:?}",
        choices(&found)
    );
    assert_eq!(choices(&found)[0].value, first.to_string());

    let again = [
        ("from", s(&first.to_string())),
        ("when", s("2026-12-17 18:30")),
        ("capacity", OptionValue::Int(20)),
    ];
    let second = create_event(&state, &alice, &again).await;
    let a = rencontre::store::events::get_any(&state.pool, first)
        .await
        .unwrap()
        .unwrap();
    let b = rencontre::store::events::get_any(&state.pool, second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.title, a.title);
    assert_eq!(b.location, a.location);
    assert_eq!(b.description, a.description);
    assert_eq!(b.ends_at - b.starts_at, Duration::minutes(90), "same length");
    assert_eq!(b.restricted_role, Some(ORGANIZER_ROLE));
    assert_eq!(b.channel_id, Some(300));
    assert_eq!(b.capacity, Some(20), "the option given wins");
    assert_eq!(b.rsvp_deadline, None, "the old deadline is no default");
    assert_eq!(b.starts_at.timestamp(), unix(2026, 12, 17, 17, 30));
}

#[tokio::test]
async fn from_needs_when_and_an_event_of_this_server() {
    let (state, _clock, _dir) = support::state().await;
    let alice = organizer(10, "alice");
    let theirs = create(
        &state,
        &in_guild(organizer(10, "alice"), OTHER_GUILD),
        "Chez les autres",
        WHEN,
    )
    .await;
    let ours = create(&state, &alice, "Café numérique", WHEN).await;
    let before = snapshot(&state).await;
    let forged = cmd(
        Event,
        Some("create"),
        &[("from", s(&theirs.to_string())), ("when", s("2026-12-17 18:30"))],
    );
    assert_eq!(
        private_text(&run(&state, &alice, forged).await),
        unknown_event(&theirs.to_string())
    );
    let no_when = cmd(Event, Some("create"), &[("from", s(&ours.to_string()))]);
    assert_eq!(
        private_text(&run(&state, &alice, no_when).await),
        "Date : ce champ est obligatoire."
    );
    // Another server's events are not suggested either.
    let typed = rencontre::handlers::Invocation::Autocomplete {
        command: Event,
        sub: Some("create".into()),
        focused: "from".into(),
        options: opts(&[("from", s("chez"))]),
    };
    assert!(choices(&run(&state, &alice, typed).await).is_empty());
    assert_eq!(snapshot(&state).await, before, "nothing saved");
}

#[tokio::test]
async fn cards_show_who_is_going_when_asked_first_twenty_then_more_never_the_waitlist() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let root = admin(1, "root");
    let alice = organizer(10, "alice");
    let options = [
        ("title", s("Atelier")),
        ("when", s(WHEN)),
        ("capacity", OptionValue::Int(22)),
    ];
    let event = create_event(&state, &alice, &options).await;
    // 22 going (one with a name that would ping), 1 waiting.
    for i in 0..23u64 {
        let name = if i == 0 {
            "**@everyone**".to_owned()
        } else {
            format!("membre{i:02}")
        };
        run(
            &state,
            &member(100 + i, &name),
            click(&format!("rsvp:v1:{event}:going")),
        )
        .await;
    }
    let refresh = |out: &Recorder| {
        out.sent
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find_map(|s| match s {
                Sent::Post { text, .. } | Sent::Edit { text, .. } => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    deliver(
        &state,
        &out,
        vec![rencontre::reply::Effect::RefreshCard { event_id: event }],
    )
    .await;
    assert!(!refresh(&out).contains("Qui vient"), "off by default");
    run(
        &state,
        &root,
        cmd(Setup, Some("card-names"), &[("enabled", OptionValue::Bool(true))]),
    )
    .await;
    deliver(
        &state,
        &out,
        vec![rencontre::reply::Effect::RefreshCard { event_id: event }],
    )
    .await;
    let card = refresh(&out);
    // Shown as typed, never as formatting; in an embed it never pings.
    assert!(
        card.contains("Qui vient: \\*\\*@everyone\\*\\*, membre01, "),
        "{card}"
    );
    assert!(
        card.contains("membre19 +2"),
        "20 names then the 2 others counted: {card}"
    );
    assert!(!card.contains("membre22"), "the waitlist never shows: {card}");
}

#[tokio::test]
async fn each_agenda_entry_links_to_its_card() {
    let (state, _clock, _dir) = support::state().await;
    let out = Recorder::default();
    let alice = organizer(10, "alice");
    let reply = act(&state, &out, &alice, new_event("Soirée [VIP]", WHEN)).await;
    let event = refreshed(&reply)[0];
    let posted = rencontre::store::events::get_any(&state.pool, event)
        .await
        .unwrap()
        .unwrap();
    let (channel, card) = (posted.card_channel_id.unwrap(), posted.card_message_id.unwrap());
    let agenda = all_text(&run(&state, &member(21, "bob"), cmd(CommandName::Agenda, None, &[])).await);
    // The typed brackets cannot break (or dress up) the link.
    let link = format!("**[Soirée \\[VIP\\]](https://discord.com/channels/1/{channel}/{card})**");
    assert!(agenda.contains(&link), "{agenda}");
}

#[tokio::test]
async fn a_member_promoted_from_the_waitlist_joins_the_thread() {
    let (state, _clock, _dir) = support::state().await;
    let state = state.with_access(bits_here(POSTING | THREADS));
    let out = Recorder::default();
    run(&state, &admin(1, "root"), threads_on(true)).await;
    let options = [
        ("title", s("Atelier")),
        ("when", s(WHEN)),
        ("capacity", OptionValue::Int(1)),
    ];
    let reply = act(
        &state,
        &out,
        &organizer(10, "alice"),
        cmd(Event, Some("create"), &options),
    )
    .await;
    let event = refreshed(&reply)[0];
    let thread = out.threads.lock().unwrap()[0].0;
    act(
        &state,
        &out,
        &member(21, "bob"),
        click(&format!("rsvp:v1:{event}:going")),
    )
    .await;
    act(
        &state,
        &out,
        &member(23, "dave"),
        click(&format!("rsvp:v1:{event}:going")),
    )
    .await;
    assert_eq!(
        *out.thread_members.lock().unwrap(),
        vec![(thread, 21)],
        "waiting is not going"
    );
    act(
        &state,
        &out,
        &member(21, "bob"),
        click(&format!("rsvp:v1:{event}:declined")),
    )
    .await;
    run_due(&state, &out).await.unwrap();
    assert_eq!(
        *out.thread_members.lock().unwrap(),
        vec![(thread, 21), (thread, 23)]
    );
}
