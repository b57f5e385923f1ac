//! The web agenda under test: the real HTTP server on loopback, `/setup
//! public` through the handlers, and raw HTTP/1.1 requests that show every
//! header (tests/web/), and counters read off `/metrics`.

use std::collections::HashMap;
use std::net::SocketAddr;

use rencontre::handlers::{CommandName, Context, OptionValue};
use rencontre::state::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::calls::{cmd, private_text, run, s};

/// Starts the HTTP server on a free loopback port; the state it serves
/// (with the matching public address).
pub async fn start(state: AppState) -> (SocketAddr, AppState) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = state.with_feed_base(format!("http://{address}"));
    tokio::spawn(rencontre::http::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    (address, state)
}

/// `/setup public enabled:… [slug:…]` as `ctx`: the private answer.
pub async fn setup_public(state: &AppState, ctx: &Context, enabled: bool, slug: Option<&str>) -> String {
    let mut options = vec![("enabled", OptionValue::Bool(enabled))];
    if let Some(slug) = slug {
        options.push(("slug", s(slug)));
    }
    private_text(&run(state, ctx, cmd(CommandName::Setup, Some("public"), &options)).await)
}

/// An answer: status, headers (lowercase names), body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// One HTTP/1.1 request (connection closed after it), `extra` header lines included.
pub async fn request(address: SocketAddr, method: &str, path: &str, extra: &[(&str, &str)]) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect::<HashMap<_, _>>();
    let body = if headers.get("transfer-encoding").is_some_and(|t| t == "chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Answer {
        status,
        headers,
        body,
    }
}

pub async fn get(address: SocketAddr, path: &str) -> Answer {
    request(address, "GET", path, &[]).await
}

/// The value of `name` on a `/metrics` page (its line `name value`).
pub fn metric<T: std::str::FromStr>(page: &str, name: &str) -> Option<T> {
    page.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.parse().ok())
}

/// Counter `name` read from the `/metrics` served at `address`.
pub async fn counter(address: SocketAddr, name: &str) -> u64 {
    let page = get(address, "/metrics").await;
    assert_eq!(page.status, 200, "{page:?}");
    metric(&page.body, name).unwrap_or_else(|| panic!("{name} in {}", page.body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The schema.org JSON-LD of a page.
pub fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("a JSON-LD block");
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(json).expect("JSON-LD that parses")
}
