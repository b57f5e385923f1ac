//! Rencontre: an association's member life on Discord — agenda, RSVPs,
//! introductions, announcements. French first.
//!
//! The spine is invocation → handler → Reply → front-end; the console and
//! the Discord adapter are two thin front-ends over the same handlers.

pub mod access;
#[cfg(test)]
mod architecture;
pub mod config;
pub mod console;
pub mod definitions;
pub mod delivery;
pub mod directory;
pub mod discord;
pub mod domain;
pub mod error;
pub mod handlers;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod reply;
pub mod state;
pub mod store;
pub mod views;
