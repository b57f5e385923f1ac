//! The serenity adapter: gateway events → invocations, Reply → Discord.
//! Components are handled here in the global interaction handler (never in
//! collectors), so buttons on old cards work after a restart.

pub mod access;
mod answer;
pub mod build;
pub mod convert;
mod handler;
mod identify_gate;
pub mod outlet;
mod presence;
mod refresher;
pub mod register;
mod servers;
pub mod shards;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serenity::all::{Client, ClientBuilder, GatewayIntents, Http, HttpBuilder};
use tokio::sync::OnceCell;
use tokio_util::task::TaskTracker;

use crate::config::{Config, Secret};
use crate::state::AppState;
use handler::{Handler, Seen};
use refresher::CardRefresher;

/// How long a shutdown waits for the gateway connection to close.
const GATEWAY_GRACE: Duration = Duration::from_secs(3);

/// REST client: with `DISCORD_PROXY`, every call (and the gateway URL
/// lookup) goes to the proxy, which does the rate limiting — serenity
/// ignores the proxy unless its own rate limiter is off.
pub fn http_client(token: &Secret, proxy: Option<&str>) -> Http {
    let builder = HttpBuilder::new(token.expose());
    match proxy {
        Some(base) => builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    }
}

/// Interactions arrive whatever the intents; GUILDS keeps the session alive.
/// The privileged Server Members intent only when the welcome is on.
pub fn intents(welcome: bool) -> GatewayIntents {
    if welcome {
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MEMBERS
    } else {
        GatewayIntents::GUILDS
    }
}

/// serenity's rate limiter keeps one bucket per interaction callback (keyed
/// by interaction id) and never drops them; without pruning, memory grows
/// with every click. Buckets whose window has passed carry no information.
async fn prune_ratelimits(http: Arc<Http>) {
    let Some(ratelimiter) = http.ratelimiter.as_ref() else {
        return; // a proxy does the rate limiting
    };
    let routes = ratelimiter.routes();
    loop {
        tokio::time::sleep(Duration::from_secs(300)).await;
        let now = std::time::SystemTime::now();
        let mut map = routes.write().await;
        let before = map.len();
        map.retain(|_, bucket| match bucket.try_lock() {
            Ok(limit) => limit.reset().is_some_and(|reset| reset > now),
            Err(_) => true, // in use right now
        });
        tracing::debug!(before, after = map.len(), "rate-limit buckets pruned");
    }
}

/// Connects and serves until SIGTERM or Ctrl-C, then lets in-flight replies
/// finish.
pub async fn run(config: &Config, state: AppState) -> anyhow::Result<()> {
    serve(config, state, shutdown_signal()).await
}

/// Connects and serves until `shutdown` completes (a signal in production,
/// a test's trigger otherwise), then lets in-flight replies finish.
pub async fn serve(
    config: &Config,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let token = config.token.clone().ok_or_else(|| {
        anyhow::anyhow!("DISCORD_TOKEN is not set: see README.md, \"Creating the Discord application\"")
    })?;
    shards::check(config)?;
    // `/setup check` reads permissions over REST with a client of its own.
    let probe = access::DiscordAccess {
        http: Arc::new(http_client(&token, config.proxy.as_deref())),
    };
    let state = state.with_access(Arc::new(probe));
    let tracker = TaskTracker::new();
    let started = Arc::new(OnceCell::new());
    let stop_jobs = Arc::new(tokio::sync::watch::channel(false).0);
    let refresher = Arc::new(CardRefresher::default());
    let handler = Handler {
        state: state.clone(),
        register_guild: config.guild,
        welcome: config.welcome,
        tracker: tracker.clone(),
        refresher: refresher.clone(),
        started: started.clone(),
        seen: Mutex::new(Seen::default()),
        jobs_wake: state.jobs_wake.clone(),
        stop_jobs: stop_jobs.clone(),
    };
    // The shutdown future is polled from the start, so a SIGTERM is heard
    // even while Discord has not answered yet (building the client asks it
    // for the gateway's address; connecting may never succeed).
    let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stopping_tx.send(true);
    });
    let stopped = |mut stopping: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let http = http_client(&token, config.proxy.as_deref());
    let built = ClientBuilder::new_with_http(http, intents(config.welcome)).event_handler(handler);
    let mut client: Client = tokio::select! {
        client = built => client?,
        _ = stopped(stopping.clone()) => return Ok(()),
    };
    let shards = client.shard_manager.clone();
    let asked = stopped(stopping.clone());
    tokio::spawn(async move {
        asked.await;
        shards.shutdown_all().await;
    });
    // A gateway that never connected may not notice the shutdown: past a
    // grace period, stop waiting for it.
    let gave_up = async {
        stopped(stopping.clone()).await;
        tokio::time::sleep(GATEWAY_GRACE).await;
    };
    tokio::select! {
        started = shards::start(&mut client, config, &state.pool) => started?,
        _ = gave_up => tracing::warn!("the gateway did not close in time; stopping anyway"),
    }
    tracker.close();
    if tokio::time::timeout(Duration::from_secs(10), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some replies were still running at shutdown");
    }
    // Let the runner finish its job under way, stop the refresher, and
    // leave every card showing its final counts.
    if let Some(background) = started.get() {
        let _ = stop_jobs.send(true);
        if let Some(runner) = background.runner.lock().await.take() {
            if tokio::time::timeout(Duration::from_secs(30), runner)
                .await
                .is_err()
            {
                tracing::warn!("the job runner did not stop in time; its job will be claimed again");
            }
        }
        for task in &background.tasks {
            task.abort();
        }
        refresher.flush(&state, &background.outlet).await;
    }
    Ok(())
}

/// SIGTERM (systemd stop) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(error) => {
                tracing::warn!(error = %error, "no SIGTERM handler");
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// `rencontre register`: pushes the definitions now, whatever was registered.
pub async fn register_now(
    config: &Config,
    pool: &crate::store::Db,
    guild: Option<u64>,
) -> anyhow::Result<()> {
    let token = config
        .token
        .clone()
        .ok_or_else(|| anyhow::anyhow!("DISCORD_TOKEN is not set"))?;
    let http = http_client(&token, config.proxy.as_deref());
    let app = http.get_current_application_info().await?;
    http.set_application_id(app.id);
    register::register(&http, pool, guild, true).await?;
    Ok(())
}
