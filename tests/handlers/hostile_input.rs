//! A corpus of hostile values pushed through options and form fields: each
//! is refused clearly or stored inert, nothing crashes, nothing pings, and
//! nothing of another server leaks.

use crate::support::{self, calls, outlet};

use std::collections::{HashMap, HashSet};

use calls::*;
use rencontre::directory::GuildFacts;
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::reply::{Body, Effect};

mod other_servers;
mod values;

const INTERNAL: &str = "Désolé, quelque chose s'est mal passé";

/// Texts that must be stored exactly as typed (they are legitimate, if odd).
const INERT: [&str; 6] = [
    "Rencontre\u{200b} numérique", // zero-width space
    "\u{202e}elbuod\u{202c} Café", // right-to-left override
    "Soirée 🎉🥂 de fin d'année",
    "**gras** _it_ ~~barré~~ `code` [lien](https://x.y)",
    "@everyone @here <@&123> <@456>",
    "'; DROP TABLE events; -- \" NEAR(x)",
];
