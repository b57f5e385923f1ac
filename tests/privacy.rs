//! Privacy: export everything held about a member, erase it leaving only
//! anonymous counts, purge a server the bot left, and consistent backups.

#[path = "support/outlet.rs"]
mod outlet;
mod support;

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
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&state.pool)
    .await
    .unwrap();
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(&state.pool)
        .await
        .unwrap();
        if columns.is_empty() {
            continue;
        }
        let condition: Vec<String> = columns
            .iter()
            .map(|c| format!("instr(CAST(\"{c}\" AS TEXT), ?1) > 0"))
            .collect();
        let sql = format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE {}",
            condition.join(" OR ")
        );
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_one(&state.pool)
            .await
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
        "\"reminders_enabled\": false",
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
    assert!(
        done.effects
            .iter()
            .any(|e| matches!(e, Effect::Dm { user_id: 23, .. })),
        "the freed seat went to member 23"
    );

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
    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps WHERE note LIKE '%collègue%'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(notes, 0);
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
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM events WHERE guild_id = ?")
                .bind(guild)
                .fetch_one(&pool)
                .await
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
    let rsvps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(rsvps, 0);
    assert_eq!(count(2).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_is_consistent_and_restores() {
    let (state, _clock, dir) = support::state().await;
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
    let committed_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let copy = dir.path().join("backup.db");
    store::backup(&state.pool, &copy).await.unwrap();
    writer.await.unwrap();

    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&restored)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&restored)
        .await
        .unwrap();
    assert!(
        rows >= committed_before,
        "{rows} rows in the copy, {committed_before} committed before it started"
    );
    let seats: i64 =
        sqlx::query_scalar("SELECT COALESCE(SUM(1 + guests), 0) FROM rsvps WHERE status = 'going'")
            .fetch_one(&restored)
            .await
            .unwrap();
    assert_eq!(seats, rows, "every copied answer is whole");
    assert!(
        store::backup(&state.pool, &copy).await.is_err(),
        "an existing file is never overwritten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backup_command_copies_a_database_in_use() {
    let (state, _clock, dir) = support::state().await;
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
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&restored)
        .await
        .unwrap();
    assert!(
        rows >= 50,
        "every answer committed before the backup is in it: {rows}"
    );
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&restored)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}
