//! The web agenda (issue 12) over real HTTP: `/setup public`, the pages,
//! what they show and never show, caching, framing, bad input.

use crate::support::{self, calls, web};

use calls::*;
use chrono::Duration;
use rencontre::directory::GuildFacts;
use rencontre::handlers::{CommandName, OptionValue};
use web::{get, json_ld, request, setup_public, start};

const RESTRICTED_ROLE: u64 = 777;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_revalidate_with_etag_and_last_modified_answer_head_and_only_embed_frames() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    setup_public(&state, &admin(1, "root"), true, Some("coteo")).await;
    let id = create_event(
        &state,
        &alice,
        &[
            ("title", s("Rencontres numériques")),
            ("when", s("2026-12-03 18:30")),
            ("capacity", OptionValue::Int(10)),
        ],
    )
    .await;
    let first = get(address, "/coteo/").await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    let modified = first.header("last-modified").expect("a Last-Modified").to_owned();
    assert!(modified.ends_with(" GMT"), "{modified}");
    let again = request(address, "GET", "/coteo/", &[("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let since = request(address, "GET", "/coteo/", &[("If-Modified-Since", &modified)]).await;
    assert_eq!(since.status, 304);

    // A seat taken changes the page: a new ETag, a full answer.
    run(&state, &member(21, "bob"), rsvp(id, "going")).await;
    let changed = request(address, "GET", "/coteo/", &[("If-None-Match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert!(changed.body.contains("9 places restantes"), "{}", changed.body);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));

    // HEAD: the headers, no body.
    let head = request(address, "HEAD", &format!("/coteo/events/{id}"), &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.header("etag").is_some());
    assert!(head.body.is_empty());

    for path in [
        "/coteo/".to_owned(),
        format!("/coteo/events/{id}"),
        "/nope/".into(),
    ] {
        let answer = get(address, &path).await;
        assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{path}");
        assert!(
            answer
                .header("content-security-policy")
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
    let embed = get(address, "/coteo/embed").await;
    assert_eq!(embed.status, 200);
    assert_eq!(embed.header("x-frame-options"), None);
    assert!(embed
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors *"));
    assert!(!embed.body.contains("<h1>"), "no page chrome in the frame");
    assert!(
        embed.body.contains(r#"target="_blank""#),
        "links open outside the frame"
    );

    let css = get(address, "/static/rencontre.css").await;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.body.contains("prefers-color-scheme: dark"));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_feed_writes_series_as_rules_and_the_agenda_pages() {
    let (state, _clock, _dir) = support::state().await;
    let (address, state) = start(state).await;
    let alice = organizer(10, "alice");
    setup_public(&state, &admin(1, "root"), true, Some("coteo")).await;
    create_event(
        &state,
        &alice,
        &[
            ("title", s("Café du mardi")),
            ("when", s("2026-12-01 08:30")),
            ("repeat", s("weekly")),
        ],
    )
    .await;
    let feed = get(address, "/coteo/agenda.ics").await;
    assert_eq!(feed.status, 200);
    assert!(feed.body.contains("RRULE:FREQ=WEEKLY;BYDAY=TU"), "{}", feed.body);
    assert!(feed.etag_like());

    // Paged: 20 a page, the weekly dates (8 weeks ahead) plus 20 singles.
    for day in 0..20 {
        create(
            &state,
            &alice,
            &format!("Atelier {day:02}"),
            &format!("2027-01-{:02} 18:00", day + 5),
        )
        .await;
    }
    let first = get(address, "/coteo/").await;
    assert!(first.body.contains("Page 1 sur 2"), "{}", first.body);
    assert!(first.body.contains(r#"rel="next" href="#));
    let second = get(address, "/coteo/?page=2").await;
    assert_eq!(second.status, 200);
    assert!(second.body.contains("Atelier 19") && !second.body.contains("Atelier 00"));
    assert_eq!(get(address, "/coteo/?page=3").await.status, 404);
}

trait EtagLike {
    fn etag_like(&self) -> bool;
}

impl EtagLike for web::Answer {
    fn etag_like(&self) -> bool {
        self.header("etag")
            .is_some_and(|t| t.starts_with('"') && t.ends_with('"'))
    }
}
