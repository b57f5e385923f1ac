//! The databases themselves: the test databases, `rencontre copy` from
//! SQLite to PostgreSQL, the synthetic association of `rencontre seed`.

// Each binary uses a part of the shared support (fake Discord, console,
// databases, processes), not all of it.
#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod support;

mod copy;
mod engine_databases;
mod seed;
mod write_locks;
