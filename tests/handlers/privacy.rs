//! Privacy: export everything held about a member, erase it leaving only
//! anonymous counts, purge a server the bot left, and consistent backups.

use crate::support::calls::{click, cmd, form, in_guild, locale, member, organizer, run, s};
use crate::support::{self, outlet};

use chrono::Duration;
use rencontre::handlers::{CommandName, Context, Invocation, OptionValue};
use rencontre::reply::{Body, Effect};
use rencontre::state::AppState;
use rencontre::store;

mod backups;
mod erasure;
mod export;

const ERIN: u64 = 777_000_111_222_333_444;

async fn event(state: &AppState, guild: u64, title: &str, when: &str, capacity: i64) -> i64 {
    let reply = run(
        state,
        &in_guild(organizer(10, "user10"), guild),
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
        &in_guild(member(user, &format!("user{user}")), guild),
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
    let mut found = Vec::new();
    for (table, columns) in support::calls::tables_and_columns(state).await {
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

async fn introduce(state: &AppState, who: &Context, name: &str, about: &str) {
    let fields = [
        ("name", name),
        ("organization", "XYZ"),
        ("about", about),
        ("skills", "fibre"),
        ("website", ""),
    ];
    run(state, who, form("intro:v1:form", &fields)).await;
}
