//! What a run measures, from its arguments and environment.

use std::time::Duration;

/// The server full runs create their PostgreSQL database on.
pub const BENCH_SERVER: &str = "RENCONTRE_BENCH_POSTGRES";
/// The server the tests use; quick runs (`cargo test --benches`, CI) also
/// run on PostgreSQL when it is set, and fail if it cannot be reached.
pub const TEST_SERVER: &str = "RENCONTRE_TEST_POSTGRES";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    /// The server's URL: a fresh database is made on it, dropped after.
    Postgres(String),
}

impl Engine {
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres(_) => "PostgreSQL",
        }
    }
}

pub struct Config {
    pub quick: bool,
    /// At most this many timed runs per command, within `budget` (at least 5).
    pub runs: usize,
    pub budget: Duration,
    /// Storms all at once, after the one-at-a-time one.
    pub storms: usize,
    pub save_db: Option<String>,
    /// In the order given; each is measured in turn, in this process.
    pub engines: Vec<Engine>,
    /// Associations seeded into one database (server ids 1..=guilds); with
    /// more than one, the commands are timed again in servers 1 and
    /// `guilds` once all are there.
    pub guilds: u64,
}

/// The value after `flag`, given as `--flag value` or `--flag=value`.
fn value_of(args: &[String], flag: &str) -> Option<String> {
    let prefixed = format!("{flag}=");
    args.iter().enumerate().find_map(|(i, arg)| {
        if arg == flag {
            args.get(i + 1).cloned()
        } else {
            arg.strip_prefix(&prefixed).map(str::to_owned)
        }
    })
}

fn server(variable: &str) -> Option<String> {
    std::env::var(variable).ok().filter(|v| !v.is_empty())
}

/// Reads the arguments; `Err` is the message to print (exit status 2).
pub fn config() -> Result<Config, String> {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1")
        || !args.iter().any(|a| a == "--bench");
    let save_db = value_of(&args, "--save-db");
    let (runs, budget, storms) = if quick { (20, 2, 1) } else { (300, 15, 5) };
    let guilds = match value_of(&args, "--guilds") {
        Some(n) => match n.parse::<u64>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(format!(
                    "--guilds {n}: expected a number of associations from 1 to 1000"
                ))
            }
        },
        None if quick => 2,
        None => 1,
    };
    // In quick mode the test server stands in for the bench's own.
    let postgres = server(BENCH_SERVER).or_else(|| server(TEST_SERVER).filter(|_| quick));
    let listed = value_of(&args, "--engines").or_else(|| value_of(&args, "--engine"));
    let names: Vec<String> = match listed {
        Some(list) => list.split(',').map(|s| s.trim().to_lowercase()).collect(),
        None if quick && server(TEST_SERVER).is_some() => vec!["sqlite".into(), "postgres".into()],
        None => vec!["sqlite".into()],
    };
    let mut engines = Vec::new();
    for name in names {
        let engine = match name.as_str() {
            "sqlite" => Engine::Sqlite,
            "postgres" | "postgresql" => match &postgres {
                Some(url) => Engine::Postgres(url.clone()),
                None => {
                    return Err(format!(
                        "--engines postgres needs a PostgreSQL server to create its database on: set \
                         {BENCH_SERVER}=postgres://user@host:port/postgres (the bench creates a fresh \
                         database there and drops it after)"
                    ))
                }
            },
            other => {
                return Err(format!(
                    "--engines {other}: expected sqlite, postgres or sqlite,postgres"
                ))
            }
        };
        if !engines.contains(&engine) {
            engines.push(engine);
        }
    }
    if save_db.is_some() && !engines.contains(&Engine::Sqlite) {
        return Err("--save-db copies the SQLite database: add sqlite to --engines".into());
    }
    Ok(Config {
        quick,
        runs,
        budget: Duration::from_secs(budget),
        storms,
        save_db,
        engines,
        guilds,
    })
}
