//! RSVPs: members' answers to events. Every change is decided inside one
//! write transaction that reads the seats taken, decides, writes and
//! promotes, so no interleaving of concurrent clicks can overbook an event
//! or reorder its waitlist.
//!
//! The write path, in order:
//! 1. a handler builds a [`Request`] (what a member asks for);
//! 2. [`RsvpWriter::record`] queues it with the clicks arriving meanwhile
//!    and commits them together (group commit, `rsvps/writer.rs`), or
//!    [`record`] commits it alone;
//! 3. [`decide::decide_in`] decides them in arrival order on each event's
//!    board (`domain::rsvp_board`) and writes what changed;
//! 4. [`promote::promote_waitlist`] seats waiting members when seats free up
//!    outside a click (an organizer raising the capacity, an erasure).
//!
//! What members and organizers read: `reads.rs` (one's own answers,
//! check-in, reminder recipients) and `attendees.rs` (the lists).

use chrono::{DateTime, Utc};

use super::begin_write_in;
use crate::domain::event::Event;
use crate::domain::rsvp::{Asker, RsvpChoice, RsvpStatus};
use crate::store::{with_pool, Db};

pub mod attendees;
pub mod decide;
pub mod promote;
mod reads;
mod writer;

pub use crate::domain::rsvp_board::Outcome;
pub use reads::{check_in, check_in_anyone, mine, reminder_recipients, CheckIn, MINE_SQL};
pub use writer::RsvpWriter;

/// Everyone who answered, going first, then maybe, the waitlist in order,
/// then those who can't come.
pub use attendees::all as list;

/// A member's answer as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Rsvp {
    pub user_id: u64,
    pub user_name: String,
    pub status: RsvpStatus,
    pub guests: i64,
    pub note: Option<String>,
    pub responded_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// 1-based place in the waitlist, for waitlisted members.
    pub waitlist_position: Option<i64>,
}

/// What a member asks for: the one request type of the write path, owned
/// so that it can wait in the group-commit queue.
#[derive(Debug, Clone)]
pub struct Request {
    /// The server the click comes from: another server's event is unknown.
    pub guild_id: u64,
    pub event_id: i64,
    pub user_id: u64,
    pub user_name: String,
    pub choice: RsvpChoice,
    /// `None` keeps the current number of guests.
    pub guests: Option<i64>,
    /// `None` keeps the current note.
    pub note: Option<String>,
    pub asker: Asker,
}

/// What an answer did, and the event as the decision saw it (none if it
/// does not exist).
#[derive(Debug, Clone)]
pub struct Answered {
    pub event: Option<Event>,
    pub outcome: Outcome,
}

/// Records an answer in its own write transaction. The bot's clicks go
/// through [`RsvpWriter`], which shares one transaction between the clicks
/// that arrive together.
pub async fn record(pool: &Db, request: &Request, now: DateTime<Utc>) -> Result<Answered, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[request.guild_id]).await?;
        let answered = decide::decide_in(&mut tx, &[(request, now)]).await?.remove(0);
        tx.commit().await?;
        Ok(answered)
    })
}
