//! The handlers and the console through the library: a state on a fresh
//! database with a fixed clock, invocations as Discord or the console would
//! send them, replies and the recording outlet read back. No network.

// Each binary uses a part of the shared support (fake Discord, console,
// databases, processes), not all of it.
#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod support;

mod agenda_answers;
mod attendees;
mod capacity;
mod console_fixes;
mod console_papercuts;
mod console_session;
mod dates;
mod event_threads;
mod hostile_input;
mod input;
mod jobs;
mod notices;
mod permissions;
mod polls;
mod privacy;
mod series;
mod setup_check;
