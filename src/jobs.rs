//! The job runner: performs what the clock asks for (reminders, scheduled
//! announcements, deadline and check-in card updates) and the DMs that tell
//! members of a freed seat, a change or a cancellation. Jobs are rows
//! (`store::jobs`); time comes from the injected clock, so tests move the
//! clock and call [`run_due`] instead of sleeping.

mod dms;
mod liveness;
mod place;
mod poll;

pub use liveness::resume_after_restart;
use liveness::say_alive;

use crate::views::notices;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::delivery::{self, Outlet};
use crate::reply::Effect;
use crate::state::AppState;
use crate::store::{self, jobs::Job, jobs::Kind};
use tracing::Instrument;

/// A job failing this many times is given up, with a log line.
pub const MAX_ATTEMPTS: i64 = 6;
/// The runner looks at the schedule at least this often.
const IDLE_WAKE: Duration = Duration::from_secs(30);
/// Finished jobs past their retention are deleted this often.
const SWEEP_EVERY: Duration = Duration::from_secs(3_600);

/// What became of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Performed,
    /// Nothing to do any more (event cancelled or already started).
    Dropped(&'static str),
}

/// Claims and performs every job due now; returns how many were handled.
pub async fn run_due(state: &AppState, outlet: &impl Outlet) -> anyhow::Result<usize> {
    // The languages members were last seen in, before any DM is written.
    if let Err(error) = store::prefs::save_locales(&state.pool, &state.locales, state.now()).await {
        tracing::error!(error = ?error, "could not save members' languages");
    }
    let mut handled = 0;
    loop {
        let jobs = store::jobs::claim_due(&state.pool, state.now(), 50).await?;
        if jobs.is_empty() {
            return Ok(handled);
        }
        for job in jobs {
            handled += 1;
            // `instrument`, not `span.enter()`: a guard held across `.await`
            // would tag whatever else runs on this thread meanwhile.
            let span = tracing::info_span!("job", id = job.id, kind = job.kind.as_str(), ref_id = job.ref_id);
            run_one(state, outlet, &job).instrument(span).await?;
        }
    }
}

/// Performs one claimed job and records what became of it.
async fn run_one(state: &AppState, outlet: &impl Outlet, job: &Job) -> anyhow::Result<()> {
    let outcome = match perform_caught(state, outlet, job).await {
        Ok(outcome) => outcome,
        Err(panic) => {
            // It would panic again: given up at once, with its cause.
            crate::metrics::inc(&crate::metrics::JOBS_FAILED);
            tracing::error!(panic = %panic, "job panicked; given up");
            let text = format!("panicked: {panic}");
            store::jobs::retry_later(&state.pool, job, &text, state.now(), 0).await?;
            return Ok(());
        }
    };
    match outcome {
        Ok(Done::Performed) => {
            crate::metrics::inc(&crate::metrics::JOBS_DONE);
            store::jobs::finish(&state.pool, job.id, "done", state.now()).await?
        }
        Ok(Done::Dropped(why)) => {
            tracing::info!(why, "job dropped");
            store::jobs::finish(&state.pool, job.id, "dropped", state.now()).await?;
        }
        Err(error) => {
            crate::metrics::inc(&crate::metrics::JOBS_FAILED);
            let text = format!("{error:#}");
            let again = store::jobs::retry_later(&state.pool, job, &text, state.now(), MAX_ATTEMPTS).await?;
            if again {
                tracing::warn!(error = %text, attempts = job.attempts, "job failed; will retry");
            } else {
                tracing::error!(error = %text, attempts = job.attempts, "job failed too often; given up");
            }
        }
    }
    Ok(())
}

/// Performs one job, turning a panic into an error: one bad job (a forged
/// row, a bug) must not take the runner, and every later job, down with it.
async fn perform_caught(
    state: &AppState,
    outlet: &impl Outlet,
    job: &Job,
) -> Result<anyhow::Result<Done>, String> {
    let mut work = std::pin::pin!(perform(state, outlet, job));
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(outcome)) => std::task::Poll::Ready(Ok(outcome)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(panic) => std::task::Poll::Ready(Err(panic_text(panic.as_ref()))),
        }
    })
    .await
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs the runner, and starts it again if it ever dies (a panic outside
/// any one job), until `stop` turns true.
pub async fn supervise<O: Outlet + Clone + Send + 'static>(
    state: AppState,
    outlet: O,
    wake: Arc<Notify>,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let runner_stop = stop.clone();
    let beat = tokio::spawn(say_alive(state.clone(), wake.clone(), stop.clone()));
    restart_when_dead(stop, Duration::from_secs(1), move || {
        run_until_stopped(state.clone(), outlet.clone(), wake.clone(), runner_stop.clone())
    })
    .await;
    beat.abort();
}

/// Runs `start()` as a task and starts it again, `pause` later, whenever it
/// panics — until it returns, or `stop` is true when it dies. A job's panic
/// is already caught around the job; this is the last line behind it, so a
/// bug anywhere in the runner never leaves reminders unsent until a restart.
async fn restart_when_dead<F>(
    stop: tokio::sync::watch::Receiver<bool>,
    pause: Duration,
    start: impl Fn() -> F,
) where
    F: Future<Output = ()> + Send + 'static,
{
    loop {
        match tokio::spawn(start()).await {
            Ok(()) => return,
            Err(error) => {
                if *stop.borrow() {
                    return;
                }
                tracing::error!(error = %error, "the job runner died; starting it again");
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// Runs until `stop` turns true: performs due jobs, then sleeps until the
/// next one is due, `wake` is notified (something was scheduled), or a while
/// has passed. A job under way is finished before stopping, so a shutdown
/// never leaves one half-done.
pub async fn run_until_stopped(
    state: AppState,
    outlet: impl Outlet,
    wake: Arc<Notify>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    resume_after_restart(&state).await;
    let mut swept: Option<tokio::time::Instant> = None;
    while !*stop.borrow() {
        if let Err(error) = run_due(&state, &outlet).await {
            tracing::error!(error = ?error, "job runner");
        }
        if swept.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            sweep(&state).await;
            swept = Some(tokio::time::Instant::now());
        }
        let sleep = match store::jobs::next_due(&state.pool).await {
            Ok(Some(due)) => (due - state.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE_WAKE),
            _ => IDLE_WAKE,
        };
        tokio::select! {
            _ = tokio::time::sleep(sleep.max(Duration::from_millis(200))) => {}
            _ = wake.notified() => {}
            _ = stop.changed() => {}
        }
    }
}

/// Deletes the jobs finished longer ago than the retention period
/// ([`store::jobs::RETENTION`], documented in the README), and who they
/// reached. Run at start and then hourly by the runner of one process.
pub async fn sweep(state: &AppState) {
    // Processes sharing a database take turns: one sweeps each hour.
    let holder = store::runners::runner_id();
    let lease = chrono::Duration::minutes(50);
    match store::gateway::lease(&state.pool, "sweep", holder, state.now(), lease).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(error) => {
            tracing::error!(error = ?error, "could not take the sweep lease");
            return;
        }
    }
    match store::jobs::sweep(&state.pool, state.now()).await {
        Ok(0) => {}
        Ok(swept) => tracing::info!(swept, "finished jobs past their retention deleted"),
        Err(error) => tracing::error!(error = ?error, "could not delete old finished jobs"),
    }
    if let Err(error) = store::interactions::forget_old(&state.pool, state.now()).await {
        tracing::error!(error = ?error, "could not forget old interactions");
    }
}

async fn perform(state: &AppState, outlet: &impl Outlet, job: &Job) -> anyhow::Result<Done> {
    match job.kind {
        Kind::Reminder => remind(state, outlet, job).await,
        Kind::Promoted => dms::promoted(state, outlet, job).await,
        Kind::Changed | Kind::Cancelled => dms::changed_or_cancelled(state, outlet, job).await,
        Kind::Announcement => {
            let Some(announcement) = store::announcements::get(&state.pool, job.ref_id).await? else {
                return Ok(Done::Dropped("announcement deleted"));
            };
            if !store::announcements::is_pending(&state.pool, announcement.id).await? {
                return Ok(Done::Dropped("announcement no longer pending"));
            }
            let effect = Effect::PublishAnnouncement {
                announcement_id: announcement.id,
            };
            match delivery::deliver_one(state, outlet, &effect).await {
                Ok(()) => Ok(Done::Performed),
                // Retrying cannot move a channel into the server.
                Err(error) if error.is::<delivery::Elsewhere>() => {
                    tracing::warn!(error = %error, "scheduled announcement refused");
                    Ok(Done::Dropped("channel or role outside the server"))
                }
                Err(error) => Err(error),
            }
        }
        Kind::Occurrences => {
            let settings = store::settings::get(&state.pool, job.guild_id).await?;
            // New dates get their cards from jobs planned with them, so a
            // crash right after this cannot leave a date without its card.
            let ids = store::series::extend_series(
                &state.pool,
                job.ref_id,
                settings.timezone,
                &settings.reminder_offsets,
                state.now(),
            )
            .await?;
            tracing::info!(new_dates = ids.len(), "series extended");
            Ok(Done::Performed)
        }
        Kind::PurgeGuild => {
            if !store::guilds::still_left(&state.pool, job.guild_id).await? {
                return Ok(Done::Dropped("the bot is back in the server"));
            }
            store::guilds::purge(&state.pool, job.guild_id).await?;
            state.settings.forget(job.guild_id);
            tracing::info!(guild = job.guild_id, "server data purged after the bot's removal");
            Ok(Done::Performed)
        }
        Kind::CardRefresh if job.detail == store::jobs::ARCHIVE_THREAD => {
            match delivery::archive_thread(state, outlet, job.ref_id).await? {
                true => Ok(Done::Performed),
                false => Ok(Done::Dropped("no thread left to archive")),
            }
        }
        Kind::PollClose => poll::close(state, outlet, job).await,
        Kind::PollClosed => poll::closed(state, outlet, job).await,
        Kind::Deadline | Kind::CardRefresh => {
            delivery::deliver_one(state, outlet, &Effect::RefreshCard { event_id: job.ref_id }).await?;
            Ok(Done::Performed)
        }
    }
}

/// DMs going members before an event. A reminder for an event that has
/// already started is dropped rather than sent late (after downtime).
async fn remind(state: &AppState, outlet: &impl Outlet, job: &Job) -> anyhow::Result<Done> {
    let pool = &state.pool;
    let Some(event) = store::events::get_any(pool, job.ref_id).await? else {
        return Ok(Done::Dropped("event deleted"));
    };
    if event.cancelled {
        return Ok(Done::Dropped("event cancelled"));
    }
    if state.now() >= event.starts_at {
        return Ok(Done::Dropped("event already started"));
    }
    let settings = store::settings::get(pool, event.guild_id).await?;
    let recipients = store::rsvps::reminder_recipients(pool, event.guild_id, event.id).await?;
    let dms = recipients
        .into_iter()
        .map(|to| {
            let message = notices::reminder(&state.i18n, to.lang.unwrap_or(settings.language), &event);
            (to, message)
        })
        .collect();
    // The event's start tells apart the reminders of a moved event.
    let version = event.starts_at.timestamp();
    dms::send_each(state, outlet, job, version, event.guild_id, dms).await?;
    Ok(Done::Performed)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// The runner panicking outside a job (twice) is started again, and the
    /// third run, which ends normally, ends the supervision.
    #[tokio::test]
    async fn a_dead_runner_is_started_again() {
        let (_keep, stop) = tokio::sync::watch::channel(false);
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        restart_when_dead(stop, Duration::ZERO, move || {
            let run = counted.fetch_add(1, Ordering::SeqCst);
            async move { assert!(run >= 2, "runner bug number {run}") }
        })
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    }

    /// Shutting down while the runner dies does not start it again.
    #[tokio::test]
    async fn a_runner_dying_during_shutdown_stays_down() {
        let (_keep, stop) = tokio::sync::watch::channel(true);
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        restart_when_dead(stop, Duration::ZERO, move || {
            counted.fetch_add(1, Ordering::SeqCst);
            async { panic!("dies during shutdown") }
        })
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
