//! A SQLite deployment with rows in every table.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rencontre::domain::poll::Answer;
use rencontre::store::{self, Db};
use sqlx::SqlitePool;

pub const GUILD: u64 = 111_111_111_111_111_111;
pub const ORGANIZER: u64 = 222_222_222_222_222_222;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap()
}

/// A SQLite deployment with rows in every table: the seeded association,
/// then what the seed does not write, through the store as the bot would.
pub async fn seeded_sqlite(dir: &tempfile::TempDir) -> (Db, String) {
    let url = format!("sqlite://{}", dir.path().join("rencontre.db").display());
    let db = store::connect(&url).await.unwrap();
    store::seed::generate(&db, GUILD, &store::seed::Scale::small(), 42, now())
        .await
        .unwrap();
    use store::settings::Change;
    for change in [
        Change::Mirror(true),
        Change::CardNames(true),
        Change::Threads {
            on: true,
            admin: ORGANIZER,
        },
    ] {
        store::settings::update(&db, GUILD, change, now()).await.unwrap();
    }
    let fields = rencontre::domain::event::EventFields {
        title: "Atelier « réparer »".into(),
        description: Some("Apportez vos appareils".into()),
        location: Some("La Fabrique".into()),
        starts_at: now() + Duration::days(3),
        ends_at: now() + Duration::days(3) + Duration::hours(2),
        capacity: Some(12),
        rsvp_deadline: Some(now() + Duration::days(2)),
        restricted_role: None,
        channel_id: Some(333),
        repeat: Some("weekly".into()),
    };
    let series = store::series::insert_series(
        &db,
        GUILD,
        chrono_tz::Europe::Paris,
        &fields,
        &[60, 1440],
        ORGANIZER,
        now(),
    )
    .await
    .unwrap();
    store::threads::set(&db, series[0], 444_444).await.unwrap();
    let poll = store::polls::insert(
        &db,
        GUILD,
        &rencontre::domain::poll::NewPoll {
            title: "Prochaine AG".into(),
            description: None,
            channel_id: 333,
            deadline: Some(now() + Duration::days(5)),
            dates: vec![
                rencontre::domain::poll::PollDate {
                    starts_at: now() + Duration::days(10),
                    length: None,
                },
                rencontre::domain::poll::PollDate {
                    starts_at: now() + Duration::days(11),
                    length: Some(Duration::hours(2)),
                },
            ],
            created_by: ORGANIZER,
        },
        now(),
    )
    .await
    .unwrap();
    store::polls::tap(&db, GUILD, poll, 0, 555, "Zoé", Answer::Yes, now())
        .await
        .unwrap();
    store::polls::tap(&db, GUILD, poll, 1, 556, "Éric", Answer::IfNeedBe, now())
        .await
        .unwrap();
    store::feeds::token(&db, GUILD, 555, store::feeds::FeedScope::Mine, false, now())
        .await
        .unwrap();
    let announcement = store::announcements::Announcement {
        id: 0,
        guild_id: GUILD,
        channel_id: 333,
        author_id: ORGANIZER,
        title: "Fermeture".into(),
        message: "Le local est fermé lundi.".into(),
        event_id: Some(series[0]),
        ping_role: None,
        post_at: Some(now() + Duration::hours(5)),
    };
    store::announcements::insert(&db, &announcement, now())
        .await
        .unwrap();
    let form = store::announce_forms::AnnounceForm {
        channel_id: 333,
        event_id: None,
        ping_role: Some(777),
        post_at: None,
    };
    store::announce_forms::open(&db, GUILD, ORGANIZER, &form, now())
        .await
        .unwrap();
    store::public::set(
        &db,
        GUILD,
        true,
        Some("la-fabrique"),
        "la-fabrique",
        "La Fabrique",
        now(),
    )
    .await
    .unwrap()
    .unwrap();
    store::prefs::set_reminders(&db, GUILD, 555, false, now())
        .await
        .unwrap();
    store::prefs::mark_dms_closed(&db, GUILD, 556, now())
        .await
        .unwrap();
    store::bot_state::set(&db, "application_commands", "v42")
        .await
        .unwrap();
    let place = store::runners::Place {
        host: Some("boot/pid:[4026531836]".into()),
        process: Some("4242:123456".into()),
    };
    store::runners::heartbeat(&db, now(), &place).await.unwrap();
    assert_eq!(store::gateway::take_identify_turn(&db, 3).await.unwrap(), None);
    let lease = chrono::Duration::minutes(50);
    assert!(store::gateway::lease(&db, "sweep", "runner-a", now(), lease)
        .await
        .unwrap());
    let Db::Sqlite(pool) = &db else { unreachable!() };
    // One SQLite process remembers the interactions it saw in memory and
    // never writes this table; a row is put there by hand so that its copy
    // is compared too.
    sqlx::query("INSERT INTO interactions_seen (id, seen_at) VALUES (999888777, ?1)")
        .bind(now().timestamp())
        .execute(pool)
        .await
        .unwrap();
    let job: i64 = sqlx::query_scalar("SELECT min(id) FROM jobs")
        .fetch_one(pool)
        .await
        .unwrap();
    store::jobs::record_delivery(&db, job, 555, now()).await.unwrap();
    // The newest event deleted: SQLite's AUTOINCREMENT never hands its id
    // out again, and neither may PostgreSQL after the copy.
    sqlx::query("DELETE FROM events WHERE id = (SELECT max(id) FROM events)")
        .execute(pool)
        .await
        .unwrap();
    (db, url)
}

pub fn sqlite_pool(db: &Db) -> Option<&SqlitePool> {
    match db {
        Db::Sqlite(pool) => Some(pool),
        Db::Postgres(_) => None,
    }
}
