//! Privacy: export everything held about a member, erase it leaving only
//! anonymous counts, purge a server the bot left, and consistent backups.

use crate::support::{self, outlet};

use chrono::Duration;
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::reply::{Body, Effect, Reply};
use rencontre::state::AppState;
use rencontre::store;

const ERIN: u64 = 777_000_111_222_333_444;

fn ctx(guild: u64, user: u64, organizer: bool) -> Context {
    Context {
        guild_id: guild,
        channel_id: 100,
        caller: Caller {
            user_id: user,
            name: format!("user{user}"),
            locale: Some("fr".into()),
            roles: vec![],
            permissions: Permissions {
                manage_events: organizer,
                ..Default::default()
            },
        },
    }
}

async fn run(state: &AppState, who: &Context, invocation: Invocation) -> Reply {
    handlers::handle(state, who, invocation).await
}

fn cmd(command: CommandName, sub: Option<&str>, opts: &[(&str, OptionValue)]) -> Invocation {
    let options = Options(opts.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    Invocation::Command {
        command,
        sub: sub.map(Into::into),
        options,
    }
}

fn s(v: &str) -> OptionValue {
    OptionValue::Str(v.into())
}

async fn event(state: &AppState, guild: u64, title: &str, when: &str, capacity: i64) -> i64 {
    let reply = run(
        state,
        &ctx(guild, 10, true),
        cmd(
            CommandName::Event,
            Some("create"),
            &[
                ("title", s(title)),
                ("when", s(when)),
                ("capacity", OptionValue::Int(capacity)),
            ],
        ),
    )
    .await;
    reply
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshCard { event_id } => Some(*event_id),
            _ => None,
        })
        .unwrap()
}

async fn rsvp(state: &AppState, guild: u64, user: u64, event: i64, note: &str) {
    run(
        state,
        &ctx(guild, user, false),
        cmd(
            CommandName::Rsvp,
            None,
            &[
                ("event", s(&event.to_string())),
                ("status", s("going")),
                ("note", s(note)),
            ],
        ),
    )
    .await;
}

/// Rows anywhere in the database whose columns hold `id`, by table.
async fn traces_of(state: &AppState, id: u64) -> Vec<String> {
    // Each engine lists its tables and columns its own way.
    let postgres = matches!(state.pool, rencontre::store::Db::Postgres(_));
    let (tables_sql, columns_sql) = if postgres {
        (
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1",
        )
    } else {
        (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
            "SELECT name FROM pragma_table_info($1)",
        )
    };
    let tables: Vec<String> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(tables_sql)
        .fetch_all(db)
        .await)
    .unwrap();
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<String> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(columns_sql)
            .bind(&table)
            .fetch_all(db)
            .await)
        .unwrap();
        if columns.is_empty() {
            continue;
        }
        let condition: Vec<String> = columns
            .iter()
            .map(|c| format!("instr(CAST(\"{c}\" AS TEXT), $1) > 0"))
            .collect();
        let sql = format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE {}",
            condition.join(" OR ")
        );
        let count: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_one(db)
            .await)
        .unwrap();
        if count > 0 {
            found.push(format!("{table}: {count}"));
        }
    }
    found
}

#[tokio::test]
async fn export_then_erase_leaves_no_trace_and_keeps_the_counts() {
    let (state, clock, _dir) = support::state().await;
    let past = event(&state, 1, "Conférence fibre", "2026-11-30 18:00", 5).await;
    let upcoming = event(&state, 1, "Salon Entrepreneurs Expo", "2026-12-10 10:00", 1).await;
    rsvp(&state, 1, ERIN, past, "je viens avec un collègue").await;
    rsvp(&state, 1, 22, past, "").await;
    rsvp(&state, 1, ERIN, upcoming, "").await;
    rsvp(&state, 1, 23, upcoming, "").await; // waitlisted behind Erin
    let erin = ctx(1, ERIN, false);
    let form = [
        ("name", "Erin Leroy"),
        ("organization", "XYZ"),
        ("about", "Trésorière"),
        ("skills", "fibre"),
        ("website", ""),
    ];
    let fields = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    run(
        &state,
        &erin,
        Invocation::Modal {
            custom_id: "intro:v1:form".into(),
            fields,
        },
    )
    .await;
    run(&state, &erin, cmd(CommandName::Reminders, Some("off"), &[])).await;

    // Export: everything about Erin, nothing about others.
    let reply = run(&state, &erin, cmd(CommandName::Privacy, Some("export"), &[])).await;
    let Body::Message(message) = &reply.body else {
        panic!()
    };
    assert!(message.private);
    let json = String::from_utf8(message.attachments[0].bytes.clone()).unwrap();
    for expected in [
        "Erin Leroy",
        "Trésorière",
        "Conférence fibre",
        "Salon Entrepreneurs Expo",
        "je viens avec un collègue",
        // An on/off setting: 0 on SQLite, false on PostgreSQL.
        if matches!(state.pool, rencontre::store::Db::Postgres(_)) {
            "\"reminders_enabled\": false"
        } else {
            "\"reminders_enabled\": 0"
        },
    ] {
        assert!(json.contains(expected), "{expected} missing from {json}");
    }
    assert!(!json.contains("user22") && !json.contains("\"user_id\": \"22\""));

    // The past event happened; its figures for the yearly report.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 10, 0, 0).unwrap());
    let before = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();

    // Delete asks first, then erases on the button.
    let ask = run(&state, &erin, cmd(CommandName::Privacy, Some("delete"), &[])).await;
    let Body::Message(ask) = &ask.body else { panic!() };
    assert_eq!(ask.rows[0][0].custom_id, "privacy:v1:delete");
    assert!(
        !traces_of(&state, ERIN).await.is_empty(),
        "nothing erased before the confirmation"
    );
    let done = run(
        &state,
        &erin,
        Invocation::Component {
            custom_id: "privacy:v1:delete".into(),
        },
    )
    .await;
    // The freed seat went to member 23, told by the job runner (which
    // also writes the languages members were seen in: not Erin's).
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert_eq!(out.dms_to(23).len(), 1, "{:?}", out.sent());
    assert!(!done.effects.is_empty());

    assert_eq!(
        traces_of(&state, ERIN).await,
        Vec::<String>::new(),
        "the member's id is gone everywhere"
    );
    let after = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();
    assert_eq!(
        (after.total_going, after.unique_attendees),
        (before.total_going, before.unique_attendees)
    );
    let notes: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps WHERE note LIKE '%collègue%'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(notes, 0);
}

fn click(custom_id: &str) -> Invocation {
    Invocation::Component {
        custom_id: custom_id.into(),
    }
}

async fn introduce(state: &AppState, who: &Context, name: &str, about: &str) {
    let form = [
        ("name", name),
        ("organization", "XYZ"),
        ("about", about),
        ("skills", "fibre"),
        ("website", ""),
    ];
    let fields = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    run(
        state,
        who,
        Invocation::Modal {
            custom_id: "intro:v1:form".into(),
            fields,
        },
    )
    .await;
}

#[tokio::test]
async fn the_export_lists_every_table_that_holds_the_member() {
    let (state, clock, _dir) = support::state().await;
    let state = state.with_feed_base("http://127.0.0.1:1");
    let erin = ctx(1, ERIN, false);
    // Erin organizes, answers, introduces herself, subscribes, writes an
    // announcement and gets a reminder: a row in every table that can name her.
    let created = run(
        &state,
        &ctx(1, ERIN, true),
        cmd(
            CommandName::Event,
            Some("create"),
            &[("title", s("Atelier fibre")), ("when", s("2026-12-02 18:00"))],
        ),
    )
    .await;
    let event_id = created
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::RefreshCard { event_id } => Some(*event_id),
            _ => None,
        })
        .unwrap();
    rsvp(&state, 1, ERIN, event_id, "").await;
    introduce(&state, &erin, "Erin Leroy", "Trésorière").await;
    run(&state, &erin, cmd(CommandName::Reminders, Some("off"), &[])).await;
    run(&state, &erin, cmd(CommandName::Reminders, Some("on"), &[])).await;
    run(&state, &erin, cmd(CommandName::Calendar, None, &[])).await;
    rencontre::on_db!(&state.pool, |db| sqlx::query(
        "INSERT INTO announcements (guild_id, channel_id, author_id, title, message, created_at)
         VALUES (1, 100, $1, 'Bienvenue', 'Le mot de la trésorière', 0)",
    )
    .bind(ERIN as i64)
    .execute(db)
    .await
    .map(drop))
    .unwrap();
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 17, 1, 0).unwrap());
    let out = outlet::Recorder::default();
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert!(!out.dms_to(ERIN).is_empty(), "the 24 h reminder reached Erin");

    let reply = run(&state, &erin, cmd(CommandName::Privacy, Some("export"), &[])).await;
    let Body::Message(message) = &reply.body else {
        panic!()
    };
    let export: serde_json::Value = serde_json::from_slice(&message.attachments[0].bytes).unwrap();
    let exported = export["tables"].as_object().unwrap();
    // Every table where her id appears, whatever the column, is in the export
    // with her rows.
    let holding: Vec<String> = traces_of(&state, ERIN)
        .await
        .into_iter()
        .map(|t| t.split(':').next().unwrap().to_owned())
        .collect();
    for table in [
        "calendar_feeds",
        "job_deliveries",
        "member_prefs",
        "introductions",
        "rsvps",
        "events",
        "announcements",
    ] {
        assert!(
            holding.iter().any(|t| t == table),
            "{table} holds Erin: {holding:?}"
        );
    }
    for table in &holding {
        let rows = exported.get(table).and_then(|v| v.as_array());
        assert!(
            rows.is_some_and(|rows| !rows.is_empty()),
            "{table} holds Erin but is not in her export: {export:#}"
        );
    }
    let text = export.to_string();
    for expected in [
        "Atelier fibre",
        "Le mot de la trésorière",
        "Trésorière",
        "\"scope\":\"all\"",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
}

/// The database, its log and anything beside them, lowercased: what someone
/// reading the files would find.
fn raw_files(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with("test.db") {
            bytes.extend(std::fs::read(&path).unwrap());
        }
    }
    bytes.make_ascii_lowercase();
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn erased_text_is_gone_from_the_database_files() {
    let (state, clock, dir) = support::sqlite_state().await;
    let past = event(&state, 1, "Conférence fibre", "2026-11-30 18:00", 5).await;
    let erin = ctx(1, ERIN, false);
    rsvp(&state, 1, ERIN, past, "arrivera avec Pterodactylus").await;
    introduce(
        &state,
        &erin,
        "Erin Quetzalcoatlus",
        "Trésorière, Archaeopteryx et compagnie",
    )
    .await;
    // Others write after her, as in a living server.
    for user in 0..30u64 {
        introduce(
            &state,
            &ctx(1, 900 + user, false),
            &format!("Membre {user}"),
            "Développeuse web",
        )
        .await;
    }
    let markers = ["quetzalcoatlus", "archaeopteryx", "pterodactylus"];
    let before = raw_files(dir.path());
    for marker in markers {
        assert!(
            holds(&before, marker),
            "{marker} is written somewhere before erasure"
        );
    }

    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 10, 0, 0).unwrap());
    run(&state, &erin, click("privacy:v1:delete")).await;
    let after = raw_files(dir.path());
    for marker in markers {
        assert!(
            !holds(&after, marker),
            "{marker} is still in the database files after erasure"
        );
    }
    // The others' introductions are still found.
    let found = run(
        &state,
        &erin,
        cmd(
            CommandName::Member,
            Some("search"),
            &[("query", s("développeuse"))],
        ),
    )
    .await;
    let Body::Message(found) = &found.body else {
        panic!()
    };
    let text = format!("{found:?}");
    assert!(text.contains("Membre 0"), "{text}");
}

#[tokio::test]
async fn anonymized_past_answers_share_no_pseudonym_and_no_exact_time() {
    let (state, clock, _dir) = support::state().await;
    let first = event(&state, 1, "Conférence fibre", "2026-11-30 18:00", 5).await;
    let second = event(&state, 1, "Rencontres numériques", "2026-12-01 18:00", 5).await;
    for event_id in [first, second] {
        rsvp(&state, 1, ERIN, event_id, "").await;
        rsvp(&state, 1, 22, event_id, "").await;
        // Checked in at the door, 17 minutes after the start.
        rencontre::on_db!(&state.pool, |db| sqlx::query(
            "UPDATE rsvps SET checked_in_at = (SELECT starts_at + 1020 FROM events WHERE id = $1)
             WHERE event_id = $1",
        )
        .bind(event_id)
        .execute(db)
        .await
        .map(drop))
        .unwrap();
    }
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 5, 10, 0, 0).unwrap());
    let before = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();
    run(&state, &ctx(1, ERIN, false), click("privacy:v1:delete")).await;

    let rows: Vec<(i64, i64, Option<i64>, i64)> = rencontre::on_db!(&state.pool, |db| sqlx::query_as(
        "SELECT r.user_id, r.responded_at, r.checked_in_at, e.starts_at
         FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.user_id < 0 ORDER BY e.starts_at",
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(rows.len(), 2, "both past answers kept for the report");
    assert_ne!(rows[0].0, rows[1].0, "no id links the two answers to one person");
    for (_, responded_at, checked_in_at, starts_at) in &rows {
        assert_eq!(*responded_at, *starts_at, "no time of her own");
        assert_eq!(*checked_in_at, Some(*starts_at), "checked in, but not when");
    }
    let after = store::report::year(&state.pool, 1, 2026, chrono_tz::Europe::Paris, state.now())
        .await
        .unwrap();
    assert_eq!(
        (after.total_going, after.total_checked_in),
        (before.total_going, before.total_checked_in)
    );
}

#[tokio::test]
async fn the_delete_confirmation_can_be_cancelled() {
    let (state, _clock, _dir) = support::state().await;
    let erin = ctx(1, ERIN, false);
    introduce(&state, &erin, "Erin Leroy", "Trésorière").await;
    let ask = run(&state, &erin, cmd(CommandName::Privacy, Some("delete"), &[])).await;
    let Body::Message(ask) = &ask.body else { panic!() };
    let buttons: Vec<(&str, &str)> = ask.rows[0]
        .iter()
        .map(|b| (b.label.as_str(), b.custom_id.as_str()))
        .collect();
    assert_eq!(
        buttons,
        [
            ("Tout supprimer", "privacy:v1:delete"),
            ("Annuler", "privacy:v1:cancel")
        ]
    );
    let english = Context {
        caller: Caller {
            locale: Some("en-GB".into()),
            ..erin.caller.clone()
        },
        ..erin.clone()
    };
    let ask = run(&state, &english, cmd(CommandName::Privacy, Some("delete"), &[])).await;
    let Body::Message(ask) = &ask.body else { panic!() };
    assert_eq!(ask.rows[0][1].label, "Cancel");

    let cancelled = run(&state, &erin, click("privacy:v1:cancel")).await;
    let Body::Update(answer) = &cancelled.body else {
        panic!("the question is replaced: {cancelled:?}")
    };
    assert!(answer.private);
    assert!(
        answer
            .content
            .as_deref()
            .unwrap_or_default()
            .contains("Rien n'a été supprimé"),
        "{answer:?}"
    );
    assert!(answer.rows.is_empty(), "no button left to press by mistake");
    assert!(cancelled.effects.is_empty());
    assert!(
        traces_of(&state, ERIN)
            .await
            .iter()
            .any(|t| t.starts_with("introductions")),
        "nothing erased"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_its_log_and_backups_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let (state, _clock, dir) = support::sqlite_state().await;
    event(&state, 1, "AG annuelle", "2026-12-20 18:00", 10).await;
    for name in ["test.db", "test.db-wal", "test.db-shm"] {
        assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
    }
    let copy = dir.path().join("backup.db");
    store::backup(&state.pool, &copy).await.unwrap();
    assert_eq!(mode(&copy), 0o600, "the backup");
    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let events: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(events, 1, "the backup is whole");

    // A database an older version left readable by all is tightened.
    let old = dir.path().join("old.db");
    drop(
        store::connect(&format!("sqlite://{}", old.display()))
            .await
            .unwrap(),
    );
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(
        store::connect(&format!("sqlite://{}", old.display()))
            .await
            .unwrap(),
    );
    assert_eq!(mode(&old), 0o600);
}

#[tokio::test]
async fn a_server_the_bot_left_is_purged_after_the_grace_period_unless_it_came_back() {
    let (state, clock, _dir) = support::state().await;
    let a = event(&state, 1, "Rencontres numériques", "2026-12-03 18:30", 5).await;
    rsvp(&state, 1, 21, a, "").await;
    event(&state, 2, "Autre association", "2026-12-04 18:30", 5).await;
    let out = outlet::Recorder::default();

    // Removed, then re-added within the grace period: nothing is lost.
    store::guilds::left(&state.pool, 1, state.now()).await.unwrap();
    store::guilds::present(&state.pool, 1).await.unwrap();
    clock.advance(store::guilds::GRACE + Duration::days(1));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    let count = |guild: i64| {
        let pool = state.pool.clone();
        async move {
            rencontre::on_db!(&pool, |db| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM events WHERE guild_id = $1"
            )
            .bind(guild)
            .fetch_one(db)
            .await)
            .unwrap()
        }
    };
    assert_eq!(count(1).await, 1);

    // Removed for good: purged after the grace period, the other server untouched.
    store::guilds::left(&state.pool, 1, state.now()).await.unwrap();
    clock.advance(Duration::days(29));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert_eq!(count(1).await, 1, "kept during the grace period");
    clock.advance(Duration::days(2));
    rencontre::jobs::run_due(&state, &out).await.unwrap();
    assert_eq!(count(1).await, 0);
    let rsvps: i64 = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(rsvps, 0);
    assert_eq!(count(2).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_is_consistent_and_restores() {
    let (state, _clock, dir) = support::sqlite_state().await;
    let event_id = event(&state, 1, "AG annuelle", "2026-12-20 18:00", 10_000).await;
    // Members keep answering while the backup is taken.
    let writer = {
        let state = state.clone();
        tokio::spawn(async move {
            for user in 0..400u64 {
                rsvp(&state, 1, 5_000 + user, event_id, "").await;
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let committed_before: i64 =
        rencontre::on_db!(&state.pool, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
            .fetch_one(db)
            .await)
        .unwrap();
    let copy = dir.path().join("backup.db");
    store::backup(&state.pool, &copy).await.unwrap();
    writer.await.unwrap();

    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let check: String = rencontre::on_db!(&restored, |db| sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(check, "ok");
    let rows: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(db)
        .await)
    .unwrap();
    assert!(
        rows >= committed_before,
        "{rows} rows in the copy, {committed_before} committed before it started"
    );
    let seats: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar(
        "SELECT COALESCE(SUM(1 + guests), 0) FROM rsvps WHERE status = 'going'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(seats, rows, "every copied answer is whole");
    assert!(
        store::backup(&state.pool, &copy).await.is_err(),
        "an existing file is never overwritten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backup_command_copies_a_database_in_use() {
    let (state, _clock, dir) = support::sqlite_state().await;
    let event_id = event(&state, 1, "AG annuelle", "2026-12-20 18:00", 10_000).await;
    for user in 0..50u64 {
        rsvp(&state, 1, 6_000 + user, event_id, "").await;
    }
    // Writes keep coming while the command runs.
    let writer = {
        let state = state.clone();
        tokio::spawn(async move {
            for user in 50..300u64 {
                rsvp(&state, 1, 6_000 + user, event_id, "").await;
            }
        })
    };
    let copy = dir.path().join("copy.db");
    let database = format!("sqlite://{}", dir.path().join("test.db").display());
    let target = copy.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_rencontre"))
            .arg("backup")
            .arg(&target)
            .env("DATABASE_URL", database)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    writer.await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let rows: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(db)
        .await)
    .unwrap();
    assert!(
        rows >= 50,
        "every answer committed before the backup is in it: {rows}"
    );
    let check: String = rencontre::on_db!(&restored, |db| sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(check, "ok");
}
