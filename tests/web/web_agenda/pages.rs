//! What the pages show and never show: the agenda's list and an event's page.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agenda_lists_public_upcoming_events_soonest_first_and_no_member() {
    let (state, clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    let root = admin(1, "root");
    setup_public(&state, &root, true, Some("coteo")).await;
    let later = create(&state, &alice, "Salon Entrepreneurs Expo", "2026-12-15 10:00").await;
    let soon = create_event(
        &state,
        &alice,
        &[
            ("title", s("Rencontres numériques")),
            ("when", s("2026-12-03 18:30")),
            ("location", s("Médiathèque, 2 rue Haute")),
            ("capacity", OptionValue::Int(2)),
        ],
    )
    .await;
    let dropped = create(&state, &alice, "Conférence 4G", "2026-12-08 18:30").await;
    run(
        &state,
        &alice,
        cmd(
            CommandName::Event,
            Some("cancel"),
            &[("event", ev(dropped)), ("reason", s("Salle indisponible"))],
        ),
    )
    .await;
    let secret = create_event(
        &state,
        &alice,
        &[
            ("title", s("Réunion du bureau")),
            ("when", s("2026-12-01 18:00")),
            ("restricted_to", OptionValue::Role(RESTRICTED_ROLE)),
        ],
    )
    .await;
    let past = create(&state, &alice, "Atelier passé", "2026-11-30 09:00").await;
    run(&state, &member(21, "Bérénice Secrète"), rsvp(soon, "going")).await;
    run(&state, &member(22, "Zoé Discrète"), rsvp(soon, "going")).await;
    run(&state, &member(23, "Yves Attente"), rsvp(soon, "going")).await;
    clock.advance(Duration::days(2)); // 1 December: "Atelier passé" is over.

    let page = get(address, "/coteo/").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    let order: Vec<usize> = [
        "Rencontres numériques",
        "Conférence 4G",
        "Salon Entrepreneurs Expo",
    ]
    .iter()
    .map(|t| body.find(t).unwrap_or_else(|| panic!("{t} listed: {body}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "soonest first: {order:?}");
    assert!(body.contains("jeudi 3 décembre 2026, 18:30"), "{body}");
    assert!(body.contains("Médiathèque, 2 rue Haute"));
    assert!(body.contains("complet"), "two seats, two going: {body}");
    assert!(body.contains("Annulé"), "{body}");
    assert!(
        !body.contains("Réunion du bureau"),
        "role-restricted events are never public"
    );
    assert!(!body.contains("Atelier passé"), "past events are not listed");
    assert!(body.contains(r#"<html lang="fr">"#));
    assert!(body.contains(&format!(
        r#"<link rel="alternate" type="text/calendar" href="http://{address}/coteo/agenda.ics""#
    )));

    let english = request(
        address,
        "GET",
        "/coteo/",
        &[("Accept-Language", "en-GB,en;q=0.9")],
    )
    .await;
    assert!(english.body.contains(r#"<html lang="en">"#));
    assert!(
        english.body.contains("Thursday 3 December 2026, 18:30"),
        "{}",
        english.body
    );
    assert!(english.body.contains("full") && english.body.contains("Cancelled"));

    // The event pages: no member's name anywhere, counts only.
    let event = get(address, &format!("/coteo/events/{soon}")).await;
    assert!(
        event.body.contains("1 personne"),
        "waitlist length: {}",
        event.body
    );
    let cancelled = get(address, &format!("/coteo/events/{dropped}")).await;
    assert!(cancelled.body.contains("Cet événement est annulé."));
    assert!(cancelled.body.contains("Salle indisponible"));
    for answer in [
        &page,
        &english,
        &event,
        &cancelled,
        &get(address, "/coteo/agenda.ics").await,
    ] {
        for name in ["Bérénice", "Zoé", "Yves", "alice"] {
            assert!(!answer.body.contains(name), "{name} in {}", answer.body);
        }
    }
    assert_eq!(get(address, &format!("/coteo/events/{secret}")).await.status, 404);
    assert_eq!(
        get(address, &format!("/coteo/events/{secret}.ics")).await.status,
        404
    );
    assert!(!get(address, "/coteo/agenda.ics")
        .await
        .body
        .contains("Réunion du bureau"));

    // A past event: reachable by its URL, marked so, for a year.
    let old = get(address, &format!("/coteo/events/{past}")).await;
    assert_eq!(old.status, 200);
    assert!(old.body.contains("Cet événement est passé."), "{}", old.body);
    clock.advance(Duration::days(367));
    assert_eq!(get(address, &format!("/coteo/events/{past}")).await.status, 404);
    let _ = later;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_page_is_described_for_search_engines_and_escapes_what_members_typed() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    state.directory.set_name(GUILD, "Coteo & Cie");
    let alice = organizer(10, "alice");
    setup_public(&state, &admin(1, "root"), true, Some("coteo")).await;
    let id = create_event(
        &state,
        &alice,
        &[
            ("title", s("<script>alert(1)</script> Soirée \"quiz\"")),
            ("when", s("2026-12-03 18:30-20:00")),
            ("location", s("Bar <b>Le Zinc</b>")),
            (
                "description",
                s("Avec <@21> et </script><img src=x onerror=alert(2)>"),
            ),
        ],
    )
    .await;
    rencontre::store::events::set_card(&state.pool, id, CHANNEL, 4242)
        .await
        .unwrap();
    let page = get(address, &format!("/coteo/events/{id}")).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(!body.contains("<script>alert") && !body.contains("<img src=x") && !body.contains("<b>Le"));
    assert!(
        body.contains("<h1>&#60;script&#62;alert(1)&#60;/script&#62; Soirée &#34;quiz&#34;</h1>"),
        "{body}"
    );
    assert!(
        !body.contains("<@21>") && !body.contains("@21"),
        "mentions lose their ids"
    );

    let data = json_ld(body);
    assert_eq!(data["@type"], "Event");
    assert_eq!(data["name"], "<script>alert(1)</script> Soirée \"quiz\"");
    assert_eq!(data["startDate"], "2026-12-03T18:30:00+01:00");
    assert_eq!(data["endDate"], "2026-12-03T20:00:00+01:00");
    assert_eq!(data["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        data["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(data["location"]["@type"], "Place");
    assert_eq!(data["location"]["address"], "Bar <b>Le Zinc</b>");
    assert_eq!(data["organizer"]["name"], "Coteo & Cie");

    let url = format!("http://{address}/coteo/events/{id}");
    assert!(body.contains(&format!(r#"<link rel="canonical" href="{url}">"#)));
    assert!(body.contains(&format!(r#"<meta property="og:url" content="{url}">"#)));
    assert!(body.contains(r#"<meta property="og:title" content="&#60;script&#62;"#));
    assert!(body.contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(body.contains(&format!("https://discord.com/channels/{GUILD}/{CHANNEL}/4242")));
    assert!(
        body.contains("1 h 30") && body.contains("(Europe/Paris)"),
        "{body}"
    );
    assert!(
        !body.contains("<script src") && !body.contains("javascript:"),
        "no JavaScript"
    );

    let ics = get(address, &format!("/coteo/events/{id}.ics")).await;
    assert_eq!(ics.header("content-type"), Some("text/calendar; charset=utf-8"));
    assert!(ics.body.contains("DTSTART:20261203T173000Z"), "{}", ics.body);

    // Moved: rescheduled, from its first start; a place change alone is not a move.
    run(
        &state,
        &alice,
        cmd(
            CommandName::Event,
            Some("edit"),
            &[("event", ev(id)), ("when", s("2026-12-04 19:00"))],
        ),
    )
    .await;
    run(
        &state,
        &alice,
        cmd(
            CommandName::Event,
            Some("edit"),
            &[("event", ev(id)), ("location", s("Café"))],
        ),
    )
    .await;
    let data = json_ld(&get(address, &format!("/coteo/events/{id}")).await.body);
    assert_eq!(data["eventStatus"], "https://schema.org/EventRescheduled");
    assert_eq!(data["startDate"], "2026-12-04T19:00:00+01:00");
    assert_eq!(data["previousStartDate"], "2026-12-03T18:30:00+01:00");

    // Cancelled: the page and its data say so.
    run(
        &state,
        &alice,
        cmd(CommandName::Event, Some("cancel"), &[("event", ev(id))]),
    )
    .await;
    let page = get(address, &format!("/coteo/events/{id}")).await;
    assert_eq!(
        json_ld(&page.body)["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    assert!(
        !page.body.contains("discord.com/channels"),
        "no answering a cancelled event"
    );
}
