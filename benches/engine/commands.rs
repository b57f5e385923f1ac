//! The commands members and organizers use most, timed in one server: the
//! same list, in the same order, wherever and on whichever engine it runs,
//! so that the tables can put the figures side by side.

use std::time::Instant;

use chrono::Datelike;
use chrono_tz::Europe::Paris;
use rencontre::handlers::{self, CommandName, Invocation, OptionValue};
use rencontre::http::web::Page;
use rencontre::state::AppState;
use rencontre::store::seed::{self, Summary};

use crate::calls::{command, create_event, ctx, measure, text};
use crate::config::Config;
use crate::stats::{stats, Stats};

/// One timed command: what it is, its figures, its p99 target in ms.
pub struct Line {
    pub what: String,
    pub stats: Stats,
    pub target: f64,
}

/// The server's first 1,000 members, oldest first (the clicking crowd; the
/// first is the member who reads, the second the organizer).
pub async fn crowd(state: &AppState, guild: u64) -> Vec<(u64, String)> {
    let sql = "SELECT user_id, name FROM introductions WHERE guild_id = $1 ORDER BY id LIMIT 1000";
    let rows = rencontre::on_db!(state.pool, |db| sqlx::query_as::<_, (i64, String)>(sql)
        .bind(guild as i64)
        .fetch_all(db)
        .await)
    .expect("members");
    rows.into_iter().map(|(id, name)| (id as u64, name)).collect()
}

/// Times every command in server `guild`, seeded as `summary` says.
pub async fn timed(config: &Config, state: &AppState, guild: u64, summary: &Summary) -> Vec<Line> {
    let (s, c, now) = (state, config, state.now());
    let crowd = crowd(state, guild).await;
    let member = ctx(guild, crowd[0].0, &crowd[0].1, false);
    let organizer = ctx(guild, crowd[1].0, &crowd[1].1, true);
    let pool = &state.pool;
    let mut lines: Vec<Line> = Vec::new();
    let mut add = |what: String, stats: Stats, target: f64| lines.push(Line { what, stats, target });

    let agenda = command(CommandName::Agenda, None, &[("period", text("all"))]);
    add(
        "/agenda period:all, page 1".into(),
        measure(s, c, &member, &agenda).await,
        10.0,
    );
    let (largest, n) = (summary.largest_event.to_string(), summary.largest_event_rsvps);
    let attendees = command(CommandName::Event, Some("attendees"), &[("event", text(largest))]);
    let what = format!("/event attendees ({n} answers), member");
    add(what, measure(s, c, &member, &attendees).await, 10.0);
    let what = format!("/event attendees ({n} answers), organizer + CSV");
    add(what, measure(s, c, &organizer, &attendees).await, 10.0);
    // The organizer's reply is the member's plus every answer read and the
    // CSV written: how much of it the reading is.
    let mut samples = Vec::new();
    for _ in 0..50 {
        let at = Instant::now();
        let all = rencontre::store::rsvps::attendees::all(pool, summary.largest_event).await;
        samples.push(at.elapsed());
        all.expect("the answers");
    }
    add(
        "  of which rsvps::attendees::all (SQL, every answer)".into(),
        stats(samples),
        10.0,
    );
    for word in [seed::COMMON_WORD, "referencement", seed::RARE_WORD] {
        let search = command(CommandName::Member, Some("search"), &[("query", text(word))]);
        add(
            format!("/member search {word}"),
            measure(s, c, &member, &search).await,
            10.0,
        );
    }
    for scope in ["all", "mine"] {
        let calendar = command(CommandName::Calendar, None, &[("scope", text(scope))]);
        add(
            format!("/calendar scope:{scope}"),
            measure(s, c, &member, &calendar).await,
            50.0,
        );
    }
    let year = now.with_timezone(&Paris).year() - 1;
    let report = command(
        CommandName::Report,
        None,
        &[("year", OptionValue::Int(year.into()))],
    );
    add(
        format!("/report year:{year}"),
        measure(s, c, &organizer, &report).await,
        50.0,
    );
    let mut samples = Vec::new();
    for _ in 0..20 {
        let at = Instant::now();
        let figures = rencontre::store::report::year(pool, guild, year, Paris, now).await;
        samples.push(at.elapsed());
        figures.expect("the report's figures");
    }
    add(
        format!("  of which store::report::year {year} (SQL)"),
        stats(samples),
        50.0,
    );
    // The web agenda (issue 12): a page rendered from the database to its
    // HTML, as the HTTP handler does before adding its headers.
    let web = state.clone().with_feed_base("https://agenda.example.org");
    let slug = format!("bench-{guild}");
    rencontre::store::public::set(pool, guild, true, Some(&slug), &slug, "Bench", now)
        .await
        .expect("the database")
        .expect("a free slug");
    let (upcoming, _) = rencontre::store::public::upcoming(pool, guild, now, 1, 0)
        .await
        .expect("the public events");
    let first = upcoming.first().map(|e| e.id).expect("an upcoming public event");
    for (what, page) in [
        (
            "web agenda /{slug}/, page 1",
            Page::Agenda {
                page: 1,
                embed: false,
            },
        ),
        ("web agenda /{slug}/events/{id}", Page::Event(first)),
        ("web agenda /{slug}/agenda.ics", Page::Feed),
    ] {
        let mut samples = Vec::new();
        for _ in 0..c.runs.min(100) {
            let at = Instant::now();
            let rendered = rencontre::http::web::render(&web, &slug, page, None).await;
            samples.push(at.elapsed());
            assert!(matches!(rendered, Ok(Some(_))), "{what}: {rendered:?}");
        }
        let target = if page == Page::Feed { 50.0 } else { 5.0 };
        add(what.into(), stats(samples), target);
    }
    // One member after another answers an open event (no contention).
    let event = create_event(s, &organizer, "Atelier référencement", 10_000).await;
    let mut samples = Vec::new();
    for (user, name) in &crowd {
        let custom_id = format!("rsvp:v1:{event}:going");
        let at = Instant::now();
        handlers::handle(
            s,
            &ctx(guild, *user, name, false),
            Invocation::Component { custom_id },
        )
        .await;
        samples.push(at.elapsed());
    }
    add(
        "RSVP button, one click at a time, open event".into(),
        stats(samples),
        50.0,
    );
    lines
}
