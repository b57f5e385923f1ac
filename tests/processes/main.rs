//! The real `rencontre` binary as a host runs it: killed mid-storm, several
//! processes (and shards) on one database, its surroundings (`.env`,
//! SIGTERM, the command line).

// Each binary uses a part of the shared support (fake Discord, console,
// databases, processes), not all of it.
#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod support;

mod crash;
mod jobs_crash;
mod process;
mod sharded_processes;
mod shards;
mod two_processes;
