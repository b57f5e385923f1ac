//! Events made `from` an earlier one, and who the cards and the agenda show.

use super::*;

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
        run(&state, &member(100 + i, &name), rsvp_button(event, "going")).await;
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
