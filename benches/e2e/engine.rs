//! Rencontre on one engine: its own process on a fresh database, the storm,
//! the sustained clicks, `/agenda`, then the stored answers checked.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::config::Engine;
use crate::database::TestDatabase;
use crate::figures::{clicks, create_event, long_run, storm, sustained, Figures, IN_FLIGHT, STORM_MEMBERS};
use crate::process::{rss_mib, rss_split_mib, spawn_rencontre};
use crate::support::fake_discord::*;
use crate::{LONG_RUN, WAIT};

/// How many interactions of each kind.
#[derive(Clone, Copy)]
pub struct Counts {
    pub storm: u64,
    pub sustained: u64,
    pub agendas: u64,
}

/// What one engine's run measured.
pub struct Run {
    pub engine: &'static str,
    pub ready: Duration,
    pub idle: f64,
    pub idle_split: (f64, f64),
    pub storm: Figures,
    pub after_storm: f64,
    /// The sustained clicks at each concurrency.
    pub sustained: Vec<(usize, Figures)>,
    /// Members who answered over the whole run.
    pub members: u64,
    pub agenda: Figures,
    pub after_agenda: f64,
    pub long_run: Option<String>,
    pub seats: i64,
    pub waitlisted: i64,
    pub first_seated: i64,
}

impl Run {
    /// Every click answered, exactly 50 seats given to the first 50
    /// arrivals, every other member who clicked waiting.
    pub fn exact(&self) -> bool {
        let complete = [&self.storm, &self.agenda]
            .into_iter()
            .chain(self.sustained.iter().map(|(_, f)| f))
            .all(Figures::complete);
        self.seats == 50 && self.first_seated == 50 && self.waitlisted == self.members as i64 - 50 && complete
    }
}

/// The bot on a fresh database of `engine`: `Err` says what went wrong.
pub async fn run(engine: &Engine, pin: bool, counts: Counts) -> Result<Run, String> {
    let database = match engine {
        Engine::Sqlite => TestDatabase::sqlite(),
        Engine::Postgres(server) => TestDatabase::postgres_on(server).await,
    };
    let fake = Arc::new(FakeDiscord::start().await);
    let started = Instant::now();
    let bot = spawn_rencontre(&fake, &database.url, pin);
    if !fake.wait_ready(WAIT).await {
        return Err("the bot did not connect".into());
    }
    let ready = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_mib(bot.0.id());
    let idle_split = rss_split_mib(bot.0.id());

    if !create_event(&fake).await {
        return Err("the event was not created".into());
    }
    // 1,000 members press Going at once on capacity 50 …
    let storm_figures = storm(
        &fake,
        &bot,
        counts.storm,
        IN_FLIGHT[0],
        clicks(10_000, STORM_MEMBERS, counts.storm),
    )
    .await;
    let after_storm = rss_mib(bot.0.id());
    // … then others keep arriving, one new member per click, as many as
    // in the bare bot's run.
    let (sustained, answered) = sustained(&fake, &bot, counts.sustained).await;
    let agenda = storm(&fake, &bot, counts.agendas, IN_FLIGHT[0], |i| {
        slash_command(5_000_000 + i, "agenda", json!([]), &Member::new(7, "bob"))
    })
    .await;
    let after_agenda = rss_mib(bot.0.id());
    let long_run = long_run(&fake, &bot, answered).await;
    if std::env::var_os(LONG_RUN).is_some() && long_run.is_none() {
        return Err("the long run lost interactions".into());
    }
    drop(bot);

    let pool = rencontre::store::connect(&database.url)
        .await
        .map_err(|e| format!("the database after the run: {e:#}"))?;
    // Counts cast to BIGINT: PostgreSQL's SUM of a BIGINT is a NUMERIC.
    let (seats, waitlisted): (i64, i64) = rencontre::on_db!(&pool, |db| sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'going' THEN 1 + guests ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM rsvps",
    )
    .fetch_one(db)
    .await)
    .map_err(|e| format!("the answers: {e}"))?;
    let first_seated: i64 = rencontre::on_db!(&pool, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps WHERE status = 'going' AND arrival_seq <= 50",
    )
    .fetch_one(db)
    .await)
    .map_err(|e| format!("the answers: {e}"))?;
    pool.close().await;
    Ok(Run {
        engine: engine.name(),
        ready,
        idle,
        idle_split,
        storm: storm_figures,
        after_storm,
        sustained,
        members: counts.storm + answered,
        agenda,
        after_agenda,
        long_run,
        seats,
        waitlisted,
        first_seated,
    })
}
