//! What must hold between the code and what it declares: the command
//! definitions in `commands/*.json`, every Fluent key in both languages, and
//! property-based fuzzing of everything that reads outside input.

// Each binary uses a part of the shared support (fake Discord, console,
// databases, processes), not all of it.
#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod support;

mod command_definitions;
mod fuzz;
mod i18n;
