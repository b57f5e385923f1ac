//! One event's seating as a write transaction sees it: the seats taken, the
//! waitlist, and the answers of the members who just clicked. Clicks that
//! share a transaction are decided here, one after another in arrival
//! order, and only the rows they changed are written back, once. The rules
//! are those of [`super::rsvp`]: capacity is never exceeded, whoever does
//! not fit waits, and freed seats go to the first waiting parties that fit.

use std::collections::{BTreeMap, HashMap};

use super::rsvp::{fits, promotions, seats, RsvpChoice, RsvpStatus};

/// A member's stored answer to the event.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub user_name: String,
    pub status: RsvpStatus,
    pub guests: i64,
    pub note: Option<String>,
    /// Place in the order of arrival (the waitlist's order).
    pub arrival_seq: i64,
    /// Unix seconds of the last change.
    pub responded_at: i64,
}

/// What a member asks for.
#[derive(Debug, Clone)]
pub struct Click<'a> {
    pub user_id: u64,
    pub user_name: &'a str,
    pub choice: RsvpChoice,
    /// `None` keeps the current number of guests.
    pub guests: Option<i64>,
    /// `None` keeps the current note.
    pub note: Option<&'a str>,
    /// Unix seconds.
    pub at: i64,
}

/// What an RSVP change did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Recorded with this status (and waitlist place if waitlisted).
    Recorded {
        status: RsvpStatus,
        waitlist_position: Option<i64>,
        guests: i64,
        /// Members moved from the waitlist to going by this change.
        promoted: Vec<(u64, String)>,
    },
    /// A going member asked for more guests than there are free seats.
    GuestsDoNotFit { free_seats: i64 },
    /// The event does not exist (or was deleted meanwhile).
    NoSuchEvent,
}

/// The event as loaded: everything a click's decision can depend on.
#[derive(Debug)]
pub struct Board {
    capacity: Option<i64>,
    /// Seats (members and guests) held by going members.
    taken: i64,
    /// The next free place in the order of arrival.
    next_seq: i64,
    /// The clicking members' answers and every waiting member's, by id.
    answers: HashMap<u64, Answer>,
    /// Waiting members by place in line.
    waitlist: BTreeMap<i64, u64>,
    /// Members whose row must be written back.
    changed: Vec<u64>,
}

impl Board {
    /// `answers` must hold the answer of every member who clicks and of
    /// every waitlisted member (under a capacity; without one nobody waits).
    pub fn new(capacity: Option<i64>, taken: i64, last_seq: i64, answers: HashMap<u64, Answer>) -> Board {
        let waitlist = answers
            .iter()
            .filter(|(_, a)| a.status == RsvpStatus::Waitlisted)
            .map(|(id, a)| (a.arrival_seq, *id))
            .collect();
        Board {
            capacity,
            taken,
            next_seq: last_seq + 1,
            answers,
            waitlist,
            changed: Vec::new(),
        }
    }

    /// Decides one click against the board as the previous clicks left it.
    pub fn decide(&mut self, click: &Click<'_>) -> Outcome {
        let current = self.answers.get(&click.user_id).cloned();
        let current_status = current.as_ref().map(|a| a.status);
        let current_guests = current.as_ref().map_or(0, |a| a.guests);
        let guests = match click.choice {
            RsvpChoice::Going => click.guests.unwrap_or(current_guests),
            // Guests come with a seat; without one they are dropped.
            RsvpChoice::Maybe | RsvpChoice::Declined => 0,
        };
        let status = match (click.choice, current_status) {
            (RsvpChoice::Going, Some(RsvpStatus::Going)) => {
                let taken_by_others = self.taken - seats(current_guests);
                if !fits(self.capacity, taken_by_others, seats(guests)) {
                    let free_seats = self.capacity.unwrap_or(0) - taken_by_others - 1;
                    return Outcome::GuestsDoNotFit {
                        free_seats: free_seats.max(0),
                    };
                }
                RsvpStatus::Going
            }
            // Already waiting: keep the place in line; promotion below decides.
            (RsvpChoice::Going, Some(RsvpStatus::Waitlisted)) => RsvpStatus::Waitlisted,
            (RsvpChoice::Going, _) if fits(self.capacity, self.taken, seats(guests)) => RsvpStatus::Going,
            (RsvpChoice::Going, _) => RsvpStatus::Waitlisted,
            (RsvpChoice::Maybe, _) => RsvpStatus::Maybe,
            (RsvpChoice::Declined, _) => RsvpStatus::Declined,
        };
        // A first answer, or joining the queue (from maybe or declined),
        // takes the next place in line; staying in it keeps one's place.
        let arrival_seq = match &current {
            Some(a) if !status.queued() || a.status.queued() => a.arrival_seq,
            _ => {
                self.next_seq += 1;
                self.next_seq - 1
            }
        };
        let held_before = held(current_status, current_guests);
        let held_after = held(Some(status), guests);
        let waiting_party_shrank = current_status == Some(RsvpStatus::Waitlisted)
            && status == RsvpStatus::Waitlisted
            && guests < current_guests;
        let answer = Answer {
            user_name: click.user_name.to_owned(),
            status,
            guests,
            note: click.note.map(str::to_owned).or(current.and_then(|a| a.note)),
            arrival_seq,
            responded_at: click.at,
        };
        self.put(click.user_id, answer);
        self.taken += held_after - held_before;

        // The waitlist can only move when a going member leaves or brings
        // fewer guests (a seat is freed), or a waiting party shrinks (it
        // may fit now).
        let mut promoted = Vec::new();
        if let Some(capacity) = self.capacity {
            if held_after < held_before || waiting_party_shrank {
                promoted = self.promote(capacity - self.taken, click.at);
            }
        }
        let mine = &self.answers[&click.user_id];
        let (status, waitlist_position) = match mine.status {
            RsvpStatus::Waitlisted => {
                let place = self.waitlist.range(..=mine.arrival_seq).count() as i64;
                (RsvpStatus::Waitlisted, Some(place))
            }
            other => (other, None),
        };
        promoted.retain(|(id, _)| *id != click.user_id);
        Outcome::Recorded {
            status,
            waitlist_position,
            guests,
            promoted,
        }
    }

    /// Moves the waiting parties that fit in `free` seats to going, in
    /// arrival order.
    fn promote(&mut self, free: i64, at: i64) -> Vec<(u64, String)> {
        if free <= 0 {
            return Vec::new();
        }
        let queue: Vec<(u64, i64)> = self
            .waitlist
            .values()
            .map(|id| (*id, seats(self.answers[id].guests)))
            .collect();
        let mut promoted = Vec::new();
        for id in promotions(free, &queue) {
            let mut answer = self.answers[&id].clone();
            answer.status = RsvpStatus::Going;
            answer.responded_at = at;
            self.taken += seats(answer.guests);
            promoted.push((id, answer.user_name.clone()));
            self.put(id, answer);
        }
        promoted
    }

    /// Records a member's new answer, keeping the waitlist in step.
    fn put(&mut self, user_id: u64, answer: Answer) {
        if let Some(old) = self.answers.get(&user_id) {
            if old.status == RsvpStatus::Waitlisted {
                self.waitlist.remove(&old.arrival_seq);
            }
        }
        if answer.status == RsvpStatus::Waitlisted {
            self.waitlist.insert(answer.arrival_seq, user_id);
        }
        self.answers.insert(user_id, answer);
        if !self.changed.contains(&user_id) {
            self.changed.push(user_id);
        }
    }

    /// The rows to write back: every member whose answer changed, with
    /// their final answer.
    pub fn changes(&self) -> impl Iterator<Item = (u64, &Answer)> {
        self.changed.iter().map(|id| (*id, &self.answers[id]))
    }
}

/// Seats a member holds with this answer.
fn held(status: Option<RsvpStatus>, guests: i64) -> i64 {
    if status == Some(RsvpStatus::Going) {
        seats(guests)
    } else {
        0
    }
}

#[cfg(test)]
mod tests;
