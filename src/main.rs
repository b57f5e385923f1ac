//! The `rencontre` command line: wiring only.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use rencontre::config::Config;
use rencontre::console::Console;
use rencontre::state::{AppState, SystemClock};
use rencontre::store;

#[derive(Parser)]
#[command(
    name = "rencontre",
    version,
    about = "An association's member life on Discord: agenda, RSVPs, introductions, announcements."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The same commands, offline, in a terminal or from a script on standard input.
    Console {
        /// The database file (default: DATABASE_URL, else rencontre.db).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Write a consistent copy of the database to FILE, even while the bot runs.
    Backup { file: PathBuf },
}

fn database_url(config: &Config, db: Option<PathBuf>) -> String {
    match db {
        Some(path) => format!("sqlite://{}", path.display()),
        None => config.database_url.clone(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Console { db } => {
            let url = database_url(&config, db);
            let pool = store::connect(&url)
                .await
                .with_context(|| format!("opening {url}"))?;
            let state = AppState::new(pool, Arc::new(SystemClock));
            let interactive = std::io::stdin().is_terminal();
            let input = tokio::io::BufReader::new(tokio::io::stdin());
            Console::new(state)
                .run(input, tokio::io::stdout(), interactive)
                .await
        }
        Command::Migrate => {
            store::connect(&config.database_url).await?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Backup { file } => {
            let pool = store::connect(&config.database_url).await?;
            store::backup(&pool, &file).await?;
            println!("{}", file.display());
            Ok(())
        }
    }
}
