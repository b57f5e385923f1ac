//! The HTTP server cannot be starved: silent and slow clients are dropped,
//! oversized bodies refused, `/metrics` kept off the public port on demand.
//! (tests/web/http.rs covers what the routes answer.)

use crate::support;

use std::net::SocketAddr;
use std::time::Duration;

use rencontre::config::{Config, Secret};
use rencontre::http::Limits;
use rencontre::state::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short enough to keep the tests quick; the assertions only say "closed".
fn limits(max_connections: usize) -> Limits {
    Limits {
        header_read: Duration::from_millis(300),
        request: Duration::from_secs(2),
        idle: Duration::from_secs(3),
        max_connections,
        body_bytes: 1024,
    }
}

/// Far above every limit: reaching it means the server never let go.
const GIVE_UP: Duration = Duration::from_secs(15);

async fn start(state: AppState, limits: Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(rencontre::http::serve_with(
        listener,
        rencontre::http::router(state),
        limits,
        std::future::pending(),
    ));
    address
}

/// Sends `request` as is; the status line's code and the whole answer.
async fn exchange(address: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(GIVE_UP, stream.read_to_end(&mut response))
        .await
        .expect("the server answers")
        .unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

async fn healthz(address: SocketAddr) -> u16 {
    exchange(address, b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
        .await
        .0
}

/// True once the server closed (EOF or reset) the connection.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(GIVE_UP, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar before closing is fine.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_are_closed_and_healthz_still_answers() {
    let (state, _clock, _dir) = support::state().await;
    // Fewer slots than attackers: the rest wait in the backlog.
    let address = start(state, limits(8)).await;
    let mut attackers = Vec::new();
    for i in 0..40 {
        let mut stream = TcpStream::connect(address).await.unwrap();
        if i % 2 == 1 {
            // Half a request head, never finished.
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .await
                .unwrap();
        }
        attackers.push(stream);
    }
    assert_eq!(healthz(address).await, 200, "healthz answers despite them");
    for (i, stream) in attackers.iter_mut().enumerate() {
        assert!(closed_by_server(stream).await, "connection {i} still open");
    }
    assert_eq!(healthz(address).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_that_goes_quiet_is_closed() {
    let (state, _clock, _dir) = support::state().await;
    let address = start(state, limits(8)).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let read = stream.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"));
    assert!(closed_by_server(&mut stream).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_too_large_body_is_refused() {
    let (state, _clock, _dir) = support::state().await;
    let address = start(state, limits(8)).await;
    // Declared too large: refused before a byte of it is read.
    let (status, _) = exchange(
        address,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc",
    )
    .await;
    assert_eq!(status, 413);
    // Chunked, growing past the limit.
    let mut chunked = b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..3 {
        chunked.extend_from_slice(b"400\r\n");
        chunked.extend_from_slice(&[b'a'; 0x400]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, _) = exchange(address, &chunked).await;
    assert_eq!(status, 413);
    // A small body is still fine.
    let (status, _) = exchange(
        address,
        b"GET /healthz HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
    )
    .await;
    assert_eq!(status, 200);
}

fn config(http: &str, metrics: Option<&str>) -> Config {
    Config {
        token: Some(Secret::new("unused".into())),
        database_url: String::new(),
        proxy: None,
        guild: None,
        http: Some(http.into()),
        public_url: None,
        metrics: metrics.map(str::to_owned),
        welcome: false,
        shards: None,
    }
}

async fn get(address: SocketAddr, path: &str) -> u16 {
    let request = format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n");
    exchange(address, request.as_bytes()).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_on_their_own_address_and_not_on_the_public_one() {
    let (state, _clock, _dir) = support::state().await;
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let bound = rencontre::http::start(&config("127.0.0.1:0", Some("127.0.0.1:0")), &state, stopped)
        .await
        .unwrap();
    let public = bound.public.unwrap();
    let metrics = bound.metrics.unwrap();
    assert_ne!(public, metrics);
    assert_eq!(get(metrics, "/metrics").await, 200);
    assert_eq!(get(public, "/metrics").await, 404);
    assert_eq!(get(public, "/healthz").await, 200);

    // Without RENCONTRE_METRICS, the public port serves them as before.
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let bound = rencontre::http::start(&config("127.0.0.1:0", None), &state, stopped)
        .await
        .unwrap();
    assert!(bound.metrics.is_none());
    assert_eq!(get(bound.public.unwrap(), "/metrics").await, 200);
}
