//! Caching and framing of the pages, and the public feed.

use super::*;

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

trait EtagLike {
    fn etag_like(&self) -> bool;
}

impl EtagLike for web::Answer {
    fn etag_like(&self) -> bool {
        self.header("etag")
            .is_some_and(|t| t.starts_with('"') && t.ends_with('"'))
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
