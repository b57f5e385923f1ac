//! The accept loop under the HTTP routes: every way a client can hold on to
//! the server is bounded, so slow or silent clients cannot starve `/healthz`,
//! the feeds, or — through the file limit — the Discord connection.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tokio_util::task::TaskTracker;

/// How long and how many: the bounds of the HTTP server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A client must send a whole request head within this time, both on a
    /// new connection and between requests on a kept-alive one.
    pub header_read: Duration,
    /// Reading the body and answering must finish within this time.
    pub request: Duration,
    /// A connection on which no byte moves either way for this long is
    /// closed (a client that stops reading its answer, for one).
    pub idle: Duration,
    /// Connections served at once; more wait in the kernel's backlog, where
    /// they cost no file descriptor of ours.
    pub max_connections: usize,
    /// Largest request body accepted (every route is a GET).
    pub body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            idle: Duration::from_secs(60),
            max_connections: connection_budget(open_file_limit()),
            body_bytes: 16 * 1024,
        }
    }
}

/// Connections allowed when nothing else is said.
const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// Descriptors kept for everything else: the database and its WAL, the
/// gateway, the REST pool, the logs.
const RESERVED_FILES: u64 = 64;

/// At most half of what the file limit leaves after the reserve, so a flood
/// of HTTP clients can never take the descriptors the gateway needs.
pub fn connection_budget(open_file_limit: Option<u64>) -> usize {
    match open_file_limit {
        Some(limit) => {
            let spare = limit.saturating_sub(RESERVED_FILES) / 2;
            (spare as usize).clamp(1, DEFAULT_MAX_CONNECTIONS)
        }
        None => DEFAULT_MAX_CONNECTIONS,
    }
}

/// The soft limit on open files (Linux), read without `unsafe`.
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes;
/// connections still open then get `limits.request` to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let body_limit = limits.body_bytes;
    let request_timeout = limits.request;
    let app = app.layer(axum::middleware::from_fn(move |request, next| {
        bounded(request, next, body_limit, request_timeout)
    }));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let connections = TaskTracker::new();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        // A slot first, then accept: past the cap, clients wait in the
        // backlog instead of holding descriptors here.
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit?,
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of descriptors, typically: wait for some to free up
                    // rather than spin or stop serving.
                    tracing::warn!(%error, "HTTP: cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut stopped = stopped.clone();
        let limits = limits.clone();
        connections.spawn(async move {
            let _permit = permit;
            let io = TokioIo::new(IdleTimeout::new(stream, limits.idle));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read);
            let connection = builder.serve_connection(io, service);
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopped.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                // Timeouts and resets are the client's doing, not ours.
                tracing::debug!(%error, "HTTP connection ended");
            }
        });
    }
    connections.close();
    let _ = stop.send(true);
    let _ = tokio::time::timeout(limits.request, connections.wait()).await;
    Ok(())
}

/// Refuses bodies over `body_limit` and answers 503 past `timeout`.
async fn bounded(request: Request, next: Next, body_limit: usize, timeout: Duration) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > body_limit as u64) {
        return too_large();
    }
    let work = async {
        // Read the body here, within the limit, so a chunked upload cannot
        // grow past it either.
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, body_limit).await else {
            return too_large();
        };
        next.run(Request::from_parts(parts, Body::from(bytes))).await
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("HTTP request took too long, answered 503");
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, "request timed out\n").into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, header::HeaderValue::from_static("close"));
            response
        }
    }
}

fn too_large() -> Response {
    let mut response = (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
    // What is left of the body is not read: the connection cannot be reused.
    response
        .headers_mut()
        .insert(header::CONNECTION, header::HeaderValue::from_static("close"));
    response
}

/// A stream that fails with `TimedOut` once no byte has moved either way
/// for `idle`.
struct IdleTimeout<S> {
    inner: S,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<S> IdleTimeout<S> {
    /// A write that moved bytes restarts the idle clock; one still waiting
    /// is checked against it.
    fn wrote(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<usize>>) -> Poll<io::Result<usize>> {
        match polled {
            Poll::Ready(Ok(written)) => {
                if written > 0 {
                    self.moved();
                }
                Poll::Ready(Ok(written))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => self.check(cx),
        }
    }

    fn new(inner: S, idle: Duration) -> Self {
        IdleTimeout {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn moved(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.idle);
    }

    /// Called when the inner stream is pending: an error once the deadline
    /// passed (the sleep also wakes the task at the deadline).
    fn check<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "idle HTTP connection",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.moved();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => this.check(cx),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, data);
        this.wrote(cx, polled)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.check(cx),
            other => other,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.wrote(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::connection_budget;

    #[test]
    fn a_low_file_limit_leaves_room_for_the_gateway() {
        assert_eq!(connection_budget(Some(20_000)), 256);
        assert_eq!(connection_budget(Some(300)), 118);
        // `ulimit -n 256`: 96 HTTP clients at most, 160 descriptors left.
        assert_eq!(connection_budget(Some(256)), 96);
        assert_eq!(connection_budget(Some(10)), 1);
        assert_eq!(connection_budget(None), 256);
    }
}
