//! The agenda and calendar queries gained a lower bound on the start (so
//! they stop walking past events); checked here against the unbounded
//! condition they replaced.

use chrono::Duration;

use super::{now, seeded, GUILD};
use crate::store::{events, feeds};

/// The events not over at `now()` as the queries found them before they
/// were bounded below.
async fn unbounded(pool: &crate::store::Db, until: i64) -> Vec<i64> {
    let crate::store::Db::Sqlite(pool) = pool else {
        unreachable!("the plan tests run on SQLite")
    };
    sqlx::query_scalar(
        "SELECT id FROM events WHERE guild_id = ? AND ends_at > ? AND starts_at < ? ORDER BY starts_at, id",
    )
    .bind(crate::store::sql_id(GUILD))
    .bind(crate::store::to_ts(now()))
    .bind(until)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The lower bound added to the agenda and calendar queries changes which
/// index entries are read, never which events come back: compared with the
/// unbounded condition on the seeded association plus an event that began
/// six days ago and is not over (the longest kind the handlers allow).
#[tokio::test]
async fn bounded_queries_return_what_the_unbounded_ones_did() {
    let (pool, _conn, _dir) = seeded().await;
    let long = crate::domain::event::EventFields {
        title: "Semaine du numérique".into(),
        description: None,
        location: None,
        starts_at: now() - Duration::days(6),
        ends_at: now() + Duration::days(1),
        capacity: None,
        rsvp_deadline: None,
        restricted_role: None,
        channel_id: None,
        repeat: None,
    };
    let long_id = events::insert(&pool, GUILD, &long, 7, now() - Duration::days(30))
        .await
        .unwrap();
    for until in [None, Some(now() + Duration::days(7))] {
        let expected = unbounded(&pool, until.map(crate::store::to_ts).unwrap_or(i64::MAX)).await;
        assert!(expected.contains(&long_id), "{expected:?}");
        let (page, total) = events::upcoming(&pool, GUILD, now(), until, 1000, 0)
            .await
            .unwrap();
        assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), expected);
        assert_eq!(total, expected.len() as i64);
        let (second, _) = events::upcoming(&pool, GUILD, now(), until, 5, 5).await.unwrap();
        let second_page = expected.get(5..10.min(expected.len())).unwrap_or_default();
        assert_eq!(second.iter().map(|e| e.id).collect::<Vec<_>>(), second_page);
    }
    let (entries, _) = feeds::content(&pool, GUILD, None, now()).await.unwrap();
    let all = unbounded(&pool, i64::MAX).await;
    assert!(all.len() > 5, "the association has events to come: {all:?}");
    assert_eq!(entries.iter().map(|e| e.event_id).collect::<Vec<_>>(), all);
}
