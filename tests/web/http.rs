//! The HTTP server: calendar feeds behind secret links, health and metrics.

use crate::support::web::{self, start};
use crate::support::{self, calls, ical_python, outlet};

use calls::*;
use chrono::{TimeZone, Utc};
use ical_python::{expand_independently, validate_independently};
use rencontre::handlers::{CommandName, Context, OptionValue};
use rencontre::state::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod feeds;
mod series_feed;

/// A plain HTTP/1.0 GET: (status, body).
async fn get(address: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The link `/calendar` gives, as a path.
fn link_path(text: &str) -> String {
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a link");
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

fn parse(ics: &str) -> Vec<(String, String)> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop = |name: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (prop("SUMMARY"), format!("{} {}", prop("UID"), prop("STATUS")))
        })
        .collect()
}

/// `/calendar` as `ctx` with these options; the link it gives, as a path.
async fn link(state: &AppState, ctx: &Context, options: &[(&str, OptionValue)]) -> String {
    let reply = run(state, ctx, cmd(CommandName::Calendar, None, options)).await;
    link_path(&private_text(&reply))
}

/// `/event <sub>` as `ctx` with string options; the ids of the dates it touched.
async fn event(state: &AppState, ctx: &Context, sub: &str, options: &[(&str, &str)]) -> Vec<i64> {
    let options: Vec<(&str, OptionValue)> = options.iter().map(|(k, v)| (*k, s(v))).collect();
    let reply = run(state, ctx, cmd(CommandName::Event, Some(sub), &options)).await;
    let ids = refreshed(&reply);
    assert!(!ids.is_empty(), "{reply:?}");
    ids
}
