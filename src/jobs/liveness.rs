//! A runner's liveness: it says it is alive every few seconds, apart from
//! the jobs under way, and takes up the claims of runners that died (at
//! once for a dead process on this host, `place.rs`; after their lease for
//! one elsewhere).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::place;
use crate::state::AppState;
use crate::store;

/// How often the runner says it is alive: well within
/// [`store::runners::RUNNER_LEASE`], so a slow database or a long job never
/// lets another process take up this one's claims.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// Says this process's runner is alive until `stop`, independently of the
/// jobs under way (a job sending hundreds of DMs may take minutes); and
/// takes up the claims of runners that died on this host, waking the runner
/// when there are some.
pub(super) async fn say_alive(
    state: AppState,
    wake: Arc<Notify>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        if let Err(error) = store::runners::heartbeat(&state.pool, state.now(), place::here()).await {
            tracing::warn!(error = ?error, "could not tell the database this runner is alive");
        }
        if take_up_dead_neighbours(&state, store::runners::Release::Orphaned).await > 0 {
            wake.notify_one();
        }
        tokio::select! {
            _ = tokio::time::sleep(HEARTBEAT) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Forgets the runners on this host whose process is gone, then puts back
/// the claims of every dead runner (those forgotten, and those past their
/// lease); returns how many claims were put back.
async fn take_up_dead_neighbours(state: &AppState, which: store::runners::Release) -> u64 {
    if let Some(host) = &place::here().host {
        match store::runners::neighbours(&state.pool, host).await {
            Ok(neighbours) => {
                for (runner, process) in neighbours {
                    if place::is_running(process.as_deref()) {
                        continue;
                    }
                    tracing::info!(runner, "a job runner on this host is gone; taking up its claims");
                    if let Err(error) = store::runners::forget(&state.pool, &runner).await {
                        tracing::warn!(error = ?error, runner, "could not forget a dead job runner");
                    }
                }
            }
            Err(error) => tracing::warn!(error = ?error, "could not list the job runners on this host"),
        }
    }
    match store::runners::release_claims(&state.pool, state.now(), which).await {
        Ok(released) => {
            if released > 0 {
                tracing::warn!(released, "resuming jobs a stopped process left unfinished");
            }
            released
        }
        Err(error) => {
            tracing::error!(error = ?error, "could not release a stopped process's claims");
            0
        }
    }
}

/// At start-up, before anything is claimed: jobs a killed process had
/// claimed are due again at once (on PostgreSQL, those of runners no longer
/// alive). Resuming them is safe, since a reminder skips the members it
/// already reached.
pub async fn resume_after_restart(state: &AppState) {
    if let Err(error) = store::runners::heartbeat(&state.pool, state.now(), place::here()).await {
        tracing::warn!(error = ?error, "could not tell the database this runner is alive");
    }
    take_up_dead_neighbours(state, store::runners::Release::AtStart).await;
}
