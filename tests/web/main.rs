//! The HTTP server: calendar feeds, health and metrics, limits, the web
//! agenda over real HTTP and in a headless browser.

// Each binary uses a part of the shared support (fake Discord, console,
// databases, processes), not all of it.
#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod support;

mod http;
mod http_limits;
mod web_agenda;
mod web_browser;
