//! Checks that do not stop at the command: forged forms, the organizer
//! role setting, events restricted to a role.

use super::*;

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
    for invocation in [rsvp(id, "going"), rsvp_button(id, "going")] {
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
