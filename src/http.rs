//! The optional HTTP server (`RENCONTRE_HTTP`): calendar feeds behind
//! secret links, `/healthz` for supervisors and `/metrics` for Prometheus.

use std::future::Future;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Duration;
use tokio::net::TcpListener;

use crate::domain::ics::calendar_ics;
use crate::state::AppState;
use crate::store;

/// Past events stay in feeds this long, so calendars don't lose last week.
const FEED_PAST_DAYS: i64 = 30;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/calendar/{file}", get(calendar))
        .with_state(state)
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    tracing::info!(address = %listener.local_addr()?, "HTTP server listening");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

fn internal(error: impl std::fmt::Debug) -> Response {
    tracing::error!(?error, "HTTP request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
}

async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    match store::jobs::stats(&state.pool, state.now()).await {
        Ok((pending, lag)) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
            crate::metrics::render(pending, lag),
        )
            .into_response(),
        Err(error) => internal(error),
    }
}

async fn calendar(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let owner = match store::feeds::resolve(&state.pool, token).await {
        Ok(Some(owner)) => owner,
        Ok(None) => return (StatusCode::NOT_FOUND, "unknown calendar link\n").into_response(),
        Err(error) => return internal(error),
    };
    let (guild_id, member) = owner;
    let from = state.now() - Duration::days(FEED_PAST_DAYS);
    let (entries, series) = match store::feeds::content(&state.pool, guild_id, member, from).await {
        Ok(content) => content,
        Err(error) => return internal(error),
    };
    let settings = match store::settings::get(&state.pool, guild_id).await {
        Ok(settings) => settings,
        Err(error) => return internal(error),
    };
    let name_key = if member.is_some() {
        "calendar-name-mine"
    } else {
        "calendar-name-all"
    };
    let name = state.i18n.t(settings.language, name_key, &[]);
    let body = calendar_ics(&name, settings.timezone, &entries, &series);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}
