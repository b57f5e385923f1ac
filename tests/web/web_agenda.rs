//! The web agenda (issue 12) over real HTTP: `/setup public`, the pages,
//! what they show and never show, caching, framing, bad input.

use crate::support::{self, calls, web};

use calls::*;
use chrono::Duration;
use rencontre::directory::GuildFacts;
use rencontre::handlers::{CommandName, OptionValue};
use web::{get, json_ld, request, setup_public, start};

mod caching;
mod pages;
mod publishing;

const RESTRICTED_ROLE: u64 = 777;
