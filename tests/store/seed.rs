//! The synthetic association: same seed, same data; and data a member could
//! meet in real life (capacity kept, waitlists in order, the search index in
//! sync, check-ins only where someone came).

use chrono::{DateTime, TimeZone, Utc};
use rencontre::store::seed::{generate, Scale, Summary, COMMON_WORD, RARE_WORD};
use rencontre::store::Db;

use crate::support;

const GUILD: u64 = 1;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap()
}

async fn seeded(seed: u64) -> (Db, Summary, support::database::TestDatabase) {
    let database = support::database::TestDatabase::new().await;
    let pool = rencontre::store::connect(&database.url).await.unwrap();
    let summary = generate(&pool, GUILD, &Scale::small(), seed, now())
        .await
        .unwrap();
    (pool, summary, database)
}

/// Every stored value of the seeded tables, in a stable order.
async fn checksum(pool: &Db) -> String {
    let sql = "SELECT
        (SELECT group_concat(x, ';') FROM (SELECT concat_ws('|', id, user_id, name, organization, about,
            skills, website, created_at) AS x FROM introductions ORDER BY id) AS t) || '#' ||
        (SELECT group_concat(x, ';') FROM (SELECT concat_ws('|', id, title, description, location,
            starts_at, ends_at, capacity, rsvp_deadline, status, cancel_reason, created_by, created_at) AS x
            FROM events ORDER BY id) AS t) || '#' ||
        (SELECT group_concat(x, ';') FROM (SELECT concat_ws('|', event_id, user_id, user_name, status,
            guests, note, arrival_seq, responded_at, checked_in_at) AS x FROM rsvps
            ORDER BY event_id, user_id) AS t)";
    // PostgreSQL spells SQLite's group_concat string_agg.
    let sql = match pool {
        Db::Sqlite(_) => sql.to_owned(),
        Db::Postgres(_) => sql.replace("group_concat(x, ';')", "string_agg(x, ';')"),
    };
    rencontre::on_db!(pool, |db| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(db)
        .await)
    .unwrap()
}

async fn count(pool: &Db, sql: &'static str) -> i64 {
    rencontre::on_db!(pool, |db| sqlx::query_scalar(sql).fetch_one(db).await).unwrap()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_association() {
    let (a, summary_a, _da) = seeded(42).await;
    let (b, summary_b, _db) = seeded(42).await;
    let (c, _, _dc) = seeded(43).await;
    let (sum_a, sum_b, sum_c) = (checksum(&a).await, checksum(&b).await, checksum(&c).await);
    assert!(sum_a.len() > 100_000, "the checksum covers the data");
    assert_eq!(summary_a, summary_b);
    assert!(sum_a == sum_b, "same seed, different data");
    assert!(sum_a != sum_c, "another seed, the same data");
}

#[tokio::test]
async fn the_association_has_the_asked_size_and_the_summary_tells_it() {
    let (pool, s, _dir) = seeded(7).await;
    let scale = Scale::small();
    assert_eq!(s.members, u64::from(scale.members));
    assert_eq!(s.events, u64::from(scale.events));
    assert_eq!(s.rsvps, u64::from(scale.rsvps));
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM introductions").await as u64,
        s.members
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM events").await as u64, s.events);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM rsvps").await as u64, s.rsvps);
    let going = count(&pool, "SELECT COUNT(*) FROM rsvps WHERE status = 'going'").await;
    let checked = count(
        &pool,
        "SELECT COUNT(*) FROM rsvps WHERE checked_in_at IS NOT NULL",
    )
    .await;
    assert_eq!((going as u64, checked as u64), (s.going, s.check_ins));
    assert!(s.upcoming_events > 0 && s.upcoming_events < s.events / 4, "{s:?}");
    assert!(s.waitlisted > 0 && s.check_ins > 0, "{s:?}");
    let largest: i64 = rencontre::on_db!(&pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps WHERE event_id = $1"
    )
    .bind(s.largest_event)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(largest as u64, s.largest_event_rsvps);
    let assemblies = count(
        &pool,
        "SELECT COUNT(*) FROM events WHERE title LIKE 'Assemblée générale %'",
    )
    .await;
    assert_eq!(assemblies, 3, "one general assembly a year");
}

#[tokio::test]
async fn capacity_and_waitlists_are_as_the_bot_would_have_left_them() {
    let (pool, _, _dir) = seeded(11).await;
    let overbooked = count(
        &pool,
        "SELECT COUNT(*) FROM events e WHERE e.capacity IS NOT NULL AND e.capacity <
            (SELECT COALESCE(SUM(1 + guests), 0) FROM rsvps WHERE event_id = e.id AND status = 'going')",
    )
    .await;
    assert_eq!(overbooked, 0);
    // Nobody waits for seats that are free.
    let skipped = count(
        &pool,
        "SELECT COUNT(*) FROM rsvps w JOIN events e ON e.id = w.event_id WHERE w.status = 'waitlisted'
           AND 1 + w.guests <= e.capacity -
               (SELECT COALESCE(SUM(1 + guests), 0) FROM rsvps WHERE event_id = e.id AND status = 'going')",
    )
    .await;
    assert_eq!(skipped, 0);
    let waiting_without_capacity = count(
        &pool,
        "SELECT COUNT(*) FROM rsvps r JOIN events e ON e.id = r.event_id
         WHERE r.status = 'waitlisted' AND e.capacity IS NULL",
    )
    .await;
    assert_eq!(waiting_without_capacity, 0);
    // Each event's queue is numbered 1..n in order of arrival.
    let gaps = count(
        &pool,
        "SELECT COUNT(*) FROM (SELECT event_id FROM rsvps GROUP BY event_id
            HAVING MIN(arrival_seq) <> 1 OR MAX(arrival_seq) <> COUNT(*)
                OR COUNT(DISTINCT arrival_seq) <> COUNT(*)) AS gapped",
    )
    .await;
    assert_eq!(gaps, 0);
    // 1795910400: 29 November 2026, 00:00 UTC, the seed's day.
    let odd_check_ins = count(
        &pool,
        "SELECT COUNT(*) FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.checked_in_at IS NOT NULL
           AND (r.status <> 'going' OR e.status = 'cancelled' OR e.starts_at > 1795910400)",
    )
    .await;
    assert_eq!(odd_check_ins, 0);
    let early = count(
        &pool,
        "SELECT COUNT(*) FROM rsvps r JOIN events e ON e.id = r.event_id
         JOIN introductions i ON i.user_id = r.user_id
         WHERE r.responded_at < e.created_at OR r.responded_at < i.created_at
            OR r.responded_at > 1795946400 -- the seed's now(), 29 November 2026 10:00 UTC",
    )
    .await;
    assert_eq!(
        early, 0,
        "answers come after the announcement and the member's arrival, before now"
    );
}

#[tokio::test]
async fn the_search_index_is_in_sync_and_finds_skills_without_accents() {
    let (pool, _, _dir) = seeded(5).await;
    // SQLite's full-text index is a table of its own, kept by triggers:
    // it must agree with the introductions (PostgreSQL's is a column).
    if let Db::Sqlite(sqlite) = &pool {
        sqlx::query("INSERT INTO introductions_fts (introductions_fts, rank) VALUES ('integrity-check', 1)")
            .execute(sqlite)
            .await
            .unwrap();
    }
    let matches = |word: &'static str| {
        let pool = pool.clone();
        async move {
            let query = rencontre::store::intros::fts_query(word).unwrap();
            rencontre::store::intros::search(&pool, GUILD, &query, 1, 0)
                .await
                .map(|(_, total)| total)
        }
    };
    let members = count(&pool, "SELECT COUNT(*) FROM introductions").await;
    let common = matches("numerique").await.unwrap();
    assert!(common * 4 > members, "{COMMON_WORD}: {common} of {members}");
    assert!(matches("referencement").await.unwrap() > 0);
    let rare = matches(RARE_WORD).await.unwrap();
    assert!(rare * 20 < members, "{RARE_WORD}: {rare} of {members}");
}
