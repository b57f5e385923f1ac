//! RSVPs, capacity and the waitlist.
//!
//! The rule, applied inside one write transaction after every change: seats
//! (member + guests) never exceed capacity; whoever asks to go when there is
//! no room is waitlisted; when seats free up, the waitlist is walked in
//! arrival order and every party that fits is promoted. A party of three
//! waiting for three seats does not hold back a single member behind it, but
//! nobody who fits is ever skipped for someone who arrived later.

use serde::Serialize;

/// What a member can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RsvpChoice {
    Going,
    Maybe,
    Declined,
}

impl RsvpChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            RsvpChoice::Going => "going",
            RsvpChoice::Maybe => "maybe",
            RsvpChoice::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<RsvpChoice> {
        match s {
            "going" => Some(RsvpChoice::Going),
            "maybe" => Some(RsvpChoice::Maybe),
            "declined" => Some(RsvpChoice::Declined),
            _ => None,
        }
    }
}

/// Where a member stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RsvpStatus {
    Going,
    Maybe,
    Declined,
    Waitlisted,
    /// Checked in by an organizer without having answered: came, held no seat.
    WalkIn,
}

impl RsvpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RsvpStatus::Going => "going",
            RsvpStatus::Maybe => "maybe",
            RsvpStatus::Declined => "declined",
            RsvpStatus::Waitlisted => "waitlisted",
            RsvpStatus::WalkIn => "walk_in",
        }
    }

    pub fn parse(s: &str) -> Option<RsvpStatus> {
        match s {
            "going" => Some(RsvpStatus::Going),
            "maybe" => Some(RsvpStatus::Maybe),
            "declined" => Some(RsvpStatus::Declined),
            "waitlisted" => Some(RsvpStatus::Waitlisted),
            "walk_in" => Some(RsvpStatus::WalkIn),
            _ => None,
        }
    }

    /// In the queue for a seat (holding one or waiting for one).
    pub fn queued(self) -> bool {
        matches!(self, RsvpStatus::Going | RsvpStatus::Waitlisted)
    }
}

/// Seats a party takes: the member and their guests.
pub fn seats(guests: i64) -> i64 {
    1 + guests.max(0)
}

/// Whether `needed` more seats fit, `taken` being held already.
pub fn fits(capacity: Option<i64>, taken: i64, needed: i64) -> bool {
    capacity.is_none_or(|cap| taken + needed <= cap)
}

/// Which waitlisted parties to promote, given the free seats and the
/// waitlist in arrival order as `(id, seats needed)`.
pub fn promotions<T: Copy>(mut free: i64, waitlist: &[(T, i64)]) -> Vec<T> {
    let mut promoted = Vec::new();
    for &(id, needed) in waitlist {
        if free <= 0 {
            break;
        }
        if needed <= free {
            free -= needed;
            promoted.push(id);
        }
    }
    promoted
}

/// Why an answer is refused before any seat is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Cancelled,
    Over,
    /// The answer deadline has passed.
    Deadline,
    /// The event is for members with this role.
    Restricted {
        role: u64,
    },
}

/// Who answers, as far as a restricted event cares.
#[derive(Debug, Clone, Default)]
pub struct Asker {
    pub roles: Vec<u64>,
    /// Organizers may answer whatever the restriction.
    pub organizer: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_events_always_fit() {
        assert!(fits(None, 10_000, 11));
    }

    #[test]
    fn guests_count_against_capacity() {
        assert!(fits(Some(20), 17, seats(2)));
        assert!(!fits(Some(20), 18, seats(2)));
    }

    #[test]
    fn promotion_walks_the_waitlist_in_order_and_skips_only_parties_that_do_not_fit() {
        let waitlist = [("ana", 3), ("bob", 1), ("cid", 1), ("dan", 1)];
        assert_eq!(promotions(2, &waitlist), vec!["bob", "cid"]);
        assert_eq!(promotions(3, &waitlist), vec!["ana"]);
        assert_eq!(promotions(0, &waitlist), Vec::<&str>::new());
    }

    #[test]
    fn names_round_trip() {
        for s in ["going", "maybe", "declined", "waitlisted", "walk_in"] {
            assert_eq!(RsvpStatus::parse(s).map(RsvpStatus::as_str), Some(s));
        }
        assert_eq!(RsvpChoice::parse("waitlisted"), None);
    }
}
