//! The PostgreSQL side of src/store/plans.rs: the plans of the statements
//! the engine bench times, read as PostgreSQL runs them. Twenty servers are
//! seeded into one database and analysed; the benchmarked commands then run
//! through `handlers::handle` in server 1 on connections where
//! `auto_explain` reports the plan of every statement they execute (with
//! its real parameters, custom plans and then the generic plan a prepared
//! statement switches to). No plan may read a whole big table (a `Seq Scan`,
//! or an index walked without a condition), and every scan of the big tables
//! must be bounded by the server, an event, a series or a member: what a
//! command costs must not grow with the other servers' data (issue 15).

use std::sync::Arc;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::http::web::Page;
use rencontre::reply::{Body, Effect, Reply};
use rencontre::state::{AppState, ManualClock};
use rencontre::store::seed::{self, Scale};
use rencontre::store::Db;
use serde_json::Value;
use sqlx::Executor;

use super::with_postgres;

mod capture;
use capture::{explained, plans};

const SERVERS: u64 = 20;
/// Tables that grow with every server's data. The others (settings, one
/// row per server) are read by primary key or are too small to matter.
const BIG: [&str; 3] = ["events", "rsvps", "introductions"];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap()
}

fn ctx(user_id: u64, organizer: bool) -> Context {
    let permissions = Permissions {
        manage_events: organizer,
        ..Default::default()
    };
    let caller = Caller {
        user_id,
        name: format!("membre {user_id}"),
        locale: Some("fr".into()),
        roles: vec![],
        permissions,
    };
    Context {
        guild_id: 1,
        channel_id: 1_000_001,
        caller,
    }
}

fn command(name: CommandName, sub: Option<&str>, options: &[(&str, OptionValue)]) -> Invocation {
    let options = Options(options.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    Invocation::Command {
        command: name,
        sub: sub.map(str::to_owned),
        options,
    }
}

fn text(value: &str) -> OptionValue {
    OptionValue::Str(value.into())
}

/// Something shown, or an answer recorded: not a refusal.
fn succeeded(reply: &Reply) -> bool {
    let shows = match &reply.body {
        Body::Message(m) | Body::Update(m) => !m.embeds.is_empty() || !m.attachments.is_empty(),
        _ => false,
    };
    shows
        || reply
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RefreshCard { .. }))
}

/// Every scan node of a plan: (node type, table, index condition or filter).
fn scans(node: &Value, found: &mut Vec<(String, String, String)>) {
    if let Some(table) = node["Relation Name"].as_str() {
        let kind = node["Node Type"].as_str().unwrap_or_default().to_owned();
        let condition = node["Index Cond"].as_str().unwrap_or_default().to_owned();
        found.push((kind, table.to_owned(), condition));
    }
    // A bitmap heap scan's bounds are its bitmap index scans' conditions.
    if node["Node Type"] == "Bitmap Index Scan" {
        let condition = node["Index Cond"].as_str().unwrap_or_default().to_owned();
        found.push(("Bitmap Index Scan".into(), String::new(), condition));
    }
    for child in node["Plans"].as_array().into_iter().flatten() {
        scans(child, found);
    }
}

/// What is wrong with one statement's plan, if anything.
fn problems(plan: &Value) -> Vec<String> {
    let mut found = Vec::new();
    scans(&plan["Plan"], &mut found);
    let mut wrong = Vec::new();
    for (i, (kind, table, condition)) in found.iter().enumerate() {
        // What a write touches is the rows it names (its own scans are
        // checked like the others').
        if !BIG.contains(&table.as_str()) || kind == "ModifyTable" {
            continue;
        }
        // A bitmap heap scan reads what the index scans below it found.
        let condition = match kind.as_str() {
            "Bitmap Heap Scan" => found.get(i + 1).map_or("", |next| next.2.as_str()),
            _ => condition.as_str(),
        };
        let bounded_by = match table.as_str() {
            "rsvps" => ["event_id", "user_id", ""],
            "events" => ["guild_id", "(id = ", "series_id"],
            _ => ["guild_id", "", ""],
        };
        let bounded = bounded_by
            .iter()
            .any(|column| !column.is_empty() && condition.contains(column));
        if kind == "Seq Scan" || condition.is_empty() || !bounded {
            wrong.push(format!("{kind} on {table} ({condition:?})"));
        }
    }
    wrong
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL tests need RENCONTRE_TEST_POSTGRES=postgres://… (see README)"
)]
async fn the_benchmarked_commands_read_only_their_servers_rows() {
    let collected = plans();
    with_postgres(move |pg| async move {
        // 20 servers of 400 members, 200 events, 4,000 answers each: big
        // enough that reading one server by index beats reading them all.
        let scale = Scale {
            members: 400,
            events: 200,
            rsvps: 4_000,
            years: 3,
        };
        let db = Db::Postgres(pg.clone());
        let mut first = None;
        for guild in 1..=SERVERS {
            let summary = seed::generate(&db, guild, &scale, 2013, now()).await.unwrap();
            first.get_or_insert(summary);
        }
        let first = first.unwrap();
        pg.execute("ANALYZE").await.unwrap();
        let name: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(&pg)
            .await
            .unwrap();
        let explained = explained(&name).await;
        let state = AppState::new(Db::Postgres(explained.clone()), Arc::new(ManualClock::new(now())));
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM introductions WHERE guild_id = 1 ORDER BY id LIMIT 60")
                .fetch_all(&pg)
                .await
                .unwrap();
        let (member, organizer) = (ctx(members[0] as u64, false), ctx(members[1] as u64, true));
        let year = now().year() - 1;
        let largest = first.largest_event.to_string();
        let mut commands = vec![
            (
                "/agenda",
                &member,
                command(CommandName::Agenda, None, &[("period", text("all"))]),
            ),
            (
                "/event attendees, member",
                &member,
                command(
                    CommandName::Event,
                    Some("attendees"),
                    &[("event", text(&largest))],
                ),
            ),
            (
                "/event attendees, organizer",
                &organizer,
                command(
                    CommandName::Event,
                    Some("attendees"),
                    &[("event", text(&largest))],
                ),
            ),
            (
                "/calendar scope:all",
                &member,
                command(CommandName::Calendar, None, &[("scope", text("all"))]),
            ),
            (
                "/calendar scope:mine",
                &member,
                command(CommandName::Calendar, None, &[("scope", text("mine"))]),
            ),
            (
                "/report",
                &organizer,
                command(
                    CommandName::Report,
                    None,
                    &[("year", OptionValue::Int(year.into()))],
                ),
            ),
        ];
        for (what, word) in [
            (
                "/member search, a word most introductions hold",
                seed::COMMON_WORD,
            ),
            ("/member search, a word a third hold", "referencement"),
            ("/member search, a rare word", seed::RARE_WORD),
        ] {
            let search = command(CommandName::Member, Some("search"), &[("query", text(word))]);
            commands.push((what, &member, search));
        }
        let mut read = Vec::new();
        for (what, who, invocation) in &commands {
            collected.0.lock().unwrap().clear();
            // Seven runs: sqlx prepares each statement, and PostgreSQL plans
            // the first five executions with their parameters, then may
            // keep a generic plan.
            for _ in 0..7 {
                let reply = handlers::handle(&state, who, invocation.clone()).await;
                assert!(succeeded(&reply), "{what} was refused: {reply:?}");
            }
            read.push((
                what.to_string(),
                std::mem::take(&mut *collected.0.lock().unwrap()),
            ));
        }
        // The web agenda's pages (issue 12), once the server publishes it.
        let web = state.clone().with_feed_base("https://agenda.example.org");
        rencontre::store::public::set(&state.pool, 1, true, Some("plans"), "plans", "Plans", now())
            .await
            .unwrap()
            .expect("a free slug");
        let (upcoming, _) = rencontre::store::public::upcoming(&state.pool, 1, now(), 1, 0)
            .await
            .unwrap();
        let public = upcoming.first().map(|e| e.id).expect("an upcoming public event");
        for page in [
            Page::Agenda {
                page: 1,
                embed: false,
            },
            Page::Event(public),
            Page::Feed,
        ] {
            collected.0.lock().unwrap().clear();
            for _ in 0..7 {
                let rendered = rencontre::http::web::render(&web, "plans", page, None).await;
                assert!(matches!(rendered, Ok(Some(_))), "{page:?}: {rendered:?}");
            }
            read.push((
                format!("web agenda {page:?}"),
                std::mem::take(&mut *collected.0.lock().unwrap()),
            ));
        }
        // The clicks: 60 members on an event of capacity 50, one after
        // another (seats, then the waitlist), then one seated member leaves
        // (the first waiting one is promoted).
        collected.0.lock().unwrap().clear();
        let when = (now() + chrono::Duration::days(7))
            .format("%Y-%m-%d 18:30")
            .to_string();
        let create = command(
            CommandName::Event,
            Some("create"),
            &[
                ("title", text("Atelier référencement")),
                ("when", text(&when)),
                ("capacity", OptionValue::Int(50)),
            ],
        );
        let reply = handlers::handle(&state, &organizer, create).await;
        let event = reply
            .effects
            .iter()
            .find_map(|e| match e {
                Effect::RefreshCard { event_id } => Some(*event_id),
                _ => None,
            })
            .unwrap_or_else(|| panic!("the event was not created: {reply:?}"));
        for user in &members {
            let custom_id = format!("rsvp:v1:{event}:going");
            let reply = handlers::handle(
                &state,
                &ctx(*user as u64, false),
                Invocation::Component { custom_id },
            )
            .await;
            assert!(succeeded(&reply), "a click was refused: {reply:?}");
        }
        let custom_id = format!("rsvp:v1:{event}:declined");
        let reply = handlers::handle(&state, &member, Invocation::Component { custom_id }).await;
        assert!(succeeded(&reply), "leaving was refused: {reply:?}");
        read.push((
            "RSVP clicks".into(),
            std::mem::take(&mut *collected.0.lock().unwrap()),
        ));

        let mut wrong = Vec::new();
        for (what, notices) in &read {
            // No plan would mean the plans were not collected: this test
            // would then prove nothing.
            assert!(!notices.is_empty(), "no plan was reported for {what}");
            for notice in notices {
                let json = &notice[notice.find('{').unwrap_or(0)..];
                let plan: Value = serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("an auto_explain plan that is not JSON ({e}): {notice}"));
                let problems = problems(&plan);
                if !problems.is_empty() {
                    let query = plan["Query Text"].as_str().unwrap_or_default();
                    wrong.push(format!("{what}: {}\n  in {query}", problems.join(", ")));
                }
            }
        }
        explained.close().await;
        wrong.dedup();
        assert!(
            wrong.is_empty(),
            "plans reading beyond their server:\n{}",
            wrong.join("\n")
        );
    })
    .await;
}
