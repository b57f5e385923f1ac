//! The optional HTTP server (`RENCONTRE_HTTP`): calendar feeds behind
//! secret links, the servers' published agendas (see [`web`]), `/healthz`
//! for supervisors and `/metrics` for Prometheus (on its own address when
//! `RENCONTRE_METRICS` is set).

mod server;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context as _;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::domain::ics::calendar_ics;
use crate::state::AppState;
use crate::store;

/// Past events stay in feeds this long, so calendars don't lose last week.
const FEED_PAST_DAYS: i64 = 30;

pub use server::{connection_budget, Limits};

/// Every route, `/metrics` included.
pub fn router(state: AppState) -> Router {
    public_router(state.clone()).merge(metrics_router(state))
}

/// What the public port serves when `/metrics` has its own address. Any
/// other path gets the web agenda's plain 404 page.
pub fn public_router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/calendar/{file}", get(calendar))
        .merge(web::router())
        .fallback(web::not_found)
        .with_state(state)
}

/// `/metrics` alone, for `RENCONTRE_METRICS`.
pub fn metrics_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics)).with_state(state)
}

/// Where [`start`] listens.
#[derive(Debug, Default)]
pub struct Bound {
    pub public: Option<SocketAddr>,
    pub metrics: Option<SocketAddr>,
}

/// Binds `RENCONTRE_HTTP` and `RENCONTRE_METRICS` now (so a wrong address
/// stops the start) and serves them until `stopped` changes. With a metrics
/// address, the public port does not serve `/metrics`.
pub async fn start(
    config: &Config,
    state: &AppState,
    stopped: watch::Receiver<bool>,
) -> anyhow::Result<Bound> {
    let mut bound = Bound::default();
    let mut public = public_router(state.clone());
    if let Some(address) = &config.metrics {
        let limits = Limits {
            // Scraped by one Prometheus: a few connections suffice.
            max_connections: 8,
            ..Limits::default()
        };
        let app = metrics_router(state.clone());
        bound.metrics = Some(spawn(address, "RENCONTRE_METRICS", app, limits, stopped.clone()).await?);
    } else {
        public = public.merge(metrics_router(state.clone()));
    }
    if let Some(address) = &config.http {
        bound.public = Some(spawn(address, "RENCONTRE_HTTP", public, Limits::default(), stopped).await?);
    }
    Ok(bound)
}

async fn spawn(
    address: &str,
    variable: &str,
    app: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("{variable}: cannot listen on {address}"))?;
    let local = listener.local_addr()?;
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.changed().await;
        };
        if let Err(error) = serve_with(listener, app, limits, shutdown).await {
            tracing::error!(?error, "HTTP server stopped");
        }
    });
    Ok(local)
}

/// Serves every route with the default limits until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(listener, router(state), Limits::default(), shutdown).await
}

/// Serves `app` within `limits` until `shutdown` completes.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    tracing::info!(
        address = %listener.local_addr()?,
        max_connections = limits.max_connections,
        "HTTP server listening"
    );
    server::serve(listener, app, limits, shutdown).await
}

fn internal(error: impl std::fmt::Debug) -> Response {
    tracing::error!(?error, "HTTP request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
}

async fn healthz(State(state): State<AppState>) -> Response {
    match store::ping(&state.pool).await {
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
            crate::metrics::render(pending, lag, state.rsvp_writer.committed()),
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
