//! Bad input, through the handlers: every refusal is private, translated and
//! says what to do, and nothing a member sent is half-saved.

use crate::support::{self, calls};

use calls::*;
use chrono::{TimeZone, Utc};
use rencontre::handlers::{CommandName, Invocation, OptionValue};
use rencontre::reply::{Effect, Reply};
use rencontre::state::AppState;
use rencontre::store;

use CommandName::{Agenda, Event, Member, Rsvp, Setup};

mod reading;
mod refusals;

const SEARCH_EMPTY: &str = "Tapez au moins un mot à rechercher (lettres ou chiffres).";
const INTRO: &str = "intro:v1:form";
const RN: &str = "Rencontres numériques";

fn long(n: usize) -> String {
    "é".repeat(n)
}

fn utc(m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

/// `/event create` for "Rencontres numériques" on 3 December, with `extra` options.
fn create_with<'a>(extra: &[(&'a str, OptionValue)]) -> Vec<(&'a str, OptionValue)> {
    let mut options = vec![("title", s(RN)), ("when", s("2026-12-03 18:30"))];
    for (name, value) in extra {
        options.retain(|(n, _)| n != name);
        options.push((name, value.clone()));
    }
    options
}
