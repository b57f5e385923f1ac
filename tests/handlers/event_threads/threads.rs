//! A thread per event card: started, joined, told of changes, archived;
//! the permissions it needs and who may turn it on.

use super::*;

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
    act(&state, &out, &member(21, "bob"), rsvp_button(event, "going")).await;
    act(&state, &out, &member(22, "carol"), rsvp_button(event, "maybe")).await;
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
    act(&state, &out, &member(21, "bob"), rsvp_button(event, "going")).await;
    act(&state, &out, &member(23, "dave"), rsvp_button(event, "going")).await;
    assert_eq!(
        *out.thread_members.lock().unwrap(),
        vec![(thread, 21)],
        "waiting is not going"
    );
    act(&state, &out, &member(21, "bob"), rsvp_button(event, "declined")).await;
    run_due(&state, &out).await.unwrap();
    assert_eq!(
        *out.thread_members.lock().unwrap(),
        vec![(thread, 21), (thread, 23)]
    );
}
