//! The `rencontre` command line: wiring only.

use std::io::{IsTerminal, Write};
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
    /// The bot: connects to Discord with DISCORD_TOKEN and serves until stopped.
    Run {
        /// Run shards FIRST to LAST of TOTAL (e.g. 0-1/4), for several processes on one
        /// PostgreSQL database; default: RENCONTRE_SHARDS, else every shard Discord recommends.
        #[arg(long, value_name = "FIRST-LAST/TOTAL")]
        shards: Option<rencontre::config::ShardRange>,
    },
    /// Push the command definitions to Discord now (or print them).
    Register {
        /// Register on this server only (instant) instead of globally.
        #[arg(long)]
        guild: Option<u64>,
        /// Print the definitions as JSON instead of registering them.
        #[arg(long)]
        print: bool,
    },
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
    /// Copy a SQLite deployment into an empty PostgreSQL database (stop the bot first).
    Copy {
        /// The SQLite database to read: sqlite://path/to/rencontre.db
        #[arg(long)]
        from: String,
        /// The PostgreSQL database to fill, migrated here if new: postgres://user:password@host/db
        #[arg(long)]
        to: String,
    },
    /// Fill a database with a realistic association, for benchmarks and demos.
    #[command(hide = true)]
    Seed {
        /// The database file to fill (default: DATABASE_URL).
        #[arg(long)]
        db: Option<PathBuf>,
        /// The server id to fill.
        #[arg(long, default_value_t = rencontre::console::GUILD_ID)]
        guild: u64,
        /// Same seed, same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// 200 members instead of 10,000.
        #[arg(long)]
        small: bool,
    },
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
    let mut config = Config::from_env()?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // serenity wraps its gateway loop in INFO spans whose fields
                // (whole gateway events) the formatter renders when each span
                // opens, for every interaction, though nothing is printed:
                // a quarter of a click's CPU (../shared/notes). Its warnings
                // and errors still show.
                .unwrap_or_else(|_| "info,serenity=warn".into())
                // Below debug, the websocket library logs whole frames, the
                // IDENTIFY with the bot token among them (the identify
                // gate's relay reads it): never, whatever RUST_LOG asks.
                .add_directive("tungstenite=debug".parse().expect("a valid directive"))
                .add_directive("tokio_tungstenite=debug".parse().expect("a valid directive")),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Run { shards } => {
            config.shards = shards.or(config.shards);
            rencontre::discord::shards::check(&config)?;
            let pool = store::connect(&config.database_url).await?;
            let mut state = AppState::new(pool, Arc::new(SystemClock));
            if let Some(base) = config.feed_base() {
                state = state.with_feed_base(base);
            }
            // One signal stops both the bot and the HTTP server.
            let (stop, stopped) = tokio::sync::watch::channel(false);
            rencontre::http::start(&config, &state, stopped).await?;
            let shutdown = async move {
                rencontre::discord::shutdown_signal().await;
                let _ = stop.send(true);
            };
            rencontre::discord::serve(&config, state, shutdown).await
        }
        Command::Register { guild, print } => {
            if print {
                let json = serde_json::to_string_pretty(&rencontre::definitions::all())?;
                // A closed pipe (`| head`) is not an error worth a panic.
                let _ = writeln!(std::io::stdout(), "{json}");
                return Ok(());
            }
            let pool = store::connect(&config.database_url).await?;
            rencontre::discord::register_now(&config, &pool, guild.or(config.guild)).await
        }
        Command::Console { db } => {
            let url = database_url(&config, db);
            let pool = store::connect(&url)
                .await
                .with_context(|| format!("opening {url}"))?;
            let state = AppState::new(pool, Arc::new(SystemClock));
            let interactive = std::io::stdin().is_terminal();
            let input = tokio::io::BufReader::new(tokio::io::stdin());
            let result = Console::new(state)
                .run(input, tokio::io::stdout(), interactive)
                .await;
            // The reader went away (`| head`): that is the end, not a failure.
            let broken_pipe = |e: &anyhow::Error| {
                e.downcast_ref::<std::io::Error>().map(std::io::Error::kind)
                    == Some(std::io::ErrorKind::BrokenPipe)
            };
            match result {
                Err(error) if broken_pipe(&error) => Ok(()),
                other => other,
            }
        }
        Command::Migrate => {
            store::connect(&config.database_url).await?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Seed {
            db,
            guild,
            seed,
            small,
        } => {
            let pool = store::connect(&database_url(&config, db)).await?;
            let scale = if small {
                rencontre::store::seed::Scale::small()
            } else {
                rencontre::store::seed::Scale::default()
            };
            let summary =
                rencontre::store::seed::generate(&pool, guild, &scale, seed, chrono::Utc::now()).await?;
            println!("{summary:?}");
            Ok(())
        }
        Command::Copy { from, to } => {
            // Checked before anything is opened: a wrong direction must not
            // create an empty SQLite file or migrate a database.
            if store::Engine::of_url(&from) != store::Engine::Sqlite
                || store::Engine::of_url(&to) != store::Engine::Postgres
            {
                anyhow::bail!("rencontre copy moves a SQLite database into PostgreSQL: --from sqlite://… --to postgres://…");
            }
            let source = store::copy::open_source(&from).await?;
            let target = store::connect(&to).await?;
            let summary = store::copy::copy(&source, &target).await?;
            let mut out = std::io::stdout().lock();
            for (table, rows) in &summary.tables {
                writeln!(out, "{table:<24} {rows:>10}")?;
            }
            writeln!(out, "{:<24} {:>10}", "total", summary.total())?;
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
