//! Publishing the agenda: opt-in for admins, slugs, and bad input a plain 404.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_is_opt_in_for_admins_and_off_answers_404_at_once() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    let event = create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    assert_eq!(
        get(address, "/coteo/").await.status,
        404,
        "nothing before opting in"
    );

    // Members and organizers cannot publish; nothing is saved.
    let before = snapshot(&state).await;
    for ctx in [member(21, "bob"), alice.clone()] {
        let refusal = setup_public(&state, &ctx, true, Some("coteo")).await;
        assert!(refusal.contains("Gérer le serveur"), "{refusal}");
    }
    assert_eq!(snapshot(&state).await, before);

    let root = admin(1, "root");
    let on = setup_public(&state, &root, true, Some("coteo")).await;
    let url = format!("http://{address}/coteo/");
    assert!(on.contains(&url), "{on}");
    let shown = all_text(&run(&state, &root, cmd(CommandName::Setup, Some("show"), &[])).await);
    assert!(shown.contains(&url), "/setup show lists the address: {shown}");

    let paths = [
        "/coteo/".to_owned(),
        "/coteo/embed".to_owned(),
        "/coteo/agenda.ics".to_owned(),
        format!("/coteo/events/{event}"),
        format!("/coteo/events/{event}.ics"),
    ];
    for path in &paths {
        assert_eq!(get(address, path).await.status, 200, "{path}");
    }
    assert_eq!(
        get(address, "/coteo").await.header("location"),
        Some(url.as_str())
    );

    let off = setup_public(&state, &root, false, None).await;
    assert!(off.contains("n'est plus publié"), "{off}");
    for path in &paths {
        let answer = get(address, path).await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(answer.body.contains("Page introuvable"), "{}", answer.body);
    }
    let shown = all_text(&run(&state, &root, cmd(CommandName::Setup, Some("show"), &[])).await);
    assert!(!shown.contains(&url), "{shown}");

    // Back on without a slug: the same address.
    let again = setup_public(&state, &root, true, None).await;
    assert!(again.contains(&url), "{again}");
    assert_eq!(get(address, "/coteo/").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slugs_default_to_the_server_name_and_are_checked() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    state.directory.set_guild(GUILD, GuildFacts::default());
    state.directory.set_name(GUILD, "Les Rencontres d'Été");
    state.directory.set_name(OTHER_GUILD, "Les Rencontres d'Été");
    let root = admin(1, "root");
    let on = setup_public(&state, &root, true, None).await;
    assert!(
        on.contains(&format!("http://{address}/les-rencontres-d-ete/")),
        "{on}"
    );

    // Another server of the same name gets the next free one, and cannot take ours.
    let other = in_guild(admin(2, "other"), OTHER_GUILD);
    let theirs = setup_public(&state, &other, true, None).await;
    assert!(theirs.contains("/les-rencontres-d-ete-2/"), "{theirs}");
    let before = snapshot(&state).await;
    let taken = setup_public(&state, &other, true, Some("les-rencontres-d-ete")).await;
    assert!(taken.contains("déjà prise"), "{taken}");

    for (bad, says) in [
        ("Coteo", "minuscules"),
        ("co teo", "minuscules"),
        ("../admin", "minuscules"),
        ("café", "minuscules"),
        ("metrics", "réservé"),
        ("healthz", "réservé"),
        ("feeds", "réservé"),
        ("calendar", "réservé"),
    ] {
        let refusal = setup_public(&state, &root, true, Some(bad)).await;
        assert!(refusal.contains(says), "{bad}: {refusal}");
        assert_not_internal(&refusal);
    }
    assert_eq!(snapshot(&state).await, before, "refusals save nothing");

    // A new slug moves the pages.
    setup_public(&state, &root, true, Some("coteo")).await;
    assert_eq!(get(address, "/coteo/").await.status, 200);
    assert_eq!(get(address, "/les-rencontres-d-ete/").await.status, 404);
    assert_eq!(
        get(address, "/healthz").await.body,
        "ok\n",
        "reserved paths keep working"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_plain_404_page() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    setup_public(&state, &admin(1, "root"), true, Some("coteo")).await;
    let ours = create(&state, &alice, "Rencontres numériques", "2026-12-03 18:30").await;
    let theirs = create(
        &state,
        &in_guild(alice.clone(), OTHER_GUILD),
        "Autre serveur",
        "2026-12-04 18:30",
    )
    .await;
    assert_eq!(get(address, &format!("/coteo/events/{ours}")).await.status, 200);
    for path in [
        "/inconnu/".to_owned(),
        "/coteo/events/999999".into(),
        format!("/coteo/events/{theirs}"),
        format!("/coteo/events/{theirs}.ics"),
        "/coteo/events/abc".into(),
        "/coteo/events/-1".into(),
        "/coteo/events/1e3".into(),
        "/coteo/events/99999999999999999999999".into(),
        "/coteo/?page=999999999".into(),
        "/coteo/?page=0".into(),
        "/coteo/?page=2".into(),
        "/coteo/?page=abc".into(),
        "/coteo/../healthz/".into(),
        "/coteo/events/..%2f..%2fetc%2fpasswd".into(),
        "/%2e%2e/".into(),
        "/COTEO/".into(),
        "/coteo%00/".into(),
        "/coteo/events/".into(),
        "/coteo/unknown".into(),
    ] {
        let answer = get(address, &path).await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(
            answer.body.contains("Page introuvable"),
            "{path}: {}",
            answer.body
        );
        assert!(
            !answer.body.contains("error") && !answer.body.contains("panicked"),
            "{path}"
        );
    }
}
