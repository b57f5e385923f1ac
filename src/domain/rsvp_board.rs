//! One event's seating as a write transaction sees it: the seats taken, the
//! waitlist, and the answers of the members who just clicked. Clicks that
//! share a transaction are decided here, one after another in arrival
//! order, and only the rows they changed are written back, once. The rules
//! are those of [`super::rsvp`]: capacity is never exceeded, whoever does
//! not fit waits, and freed seats go to the first waiting parties that fit.

use std::collections::HashMap;

use super::rsvp::{fits, promotions, seats, Closed, RsvpChoice, RsvpStatus};

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
    /// The party (member and guests) is larger than the whole capacity: it
    /// could never be seated, so it is not put on the waitlist either.
    PartyTooLarge { max_guests: i64 },
    /// The event does not exist (or was deleted meanwhile).
    NoSuchEvent,
    /// The event takes no answers now, or not from this member.
    Refused(Closed),
}

/// Where a member stood before the transaction, for waitlist places.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    pub status: RsvpStatus,
    pub arrival_seq: i64,
    /// For a waiting member: how many waiting members (them included)
    /// arrived no later.
    pub place: Option<i64>,
}

/// A decision needs every waiting member's answer (a seat was freed): load
/// them with [`Board::add_waitlist`] and decide the same click again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedWaitlist;

/// The event as loaded: everything a click's decision can depend on. The
/// waitlist itself is loaded only when a seat is freed; a waiting member's
/// place is otherwise worked out from the stored places and what the
/// batch changed, so that a long waitlist costs a storm nothing per click.
#[derive(Debug)]
pub struct Board {
    capacity: Option<i64>,
    /// Seats (members and guests) held by going members.
    taken: i64,
    /// The next free place in the order of arrival.
    next_seq: i64,
    /// Waiting members when the transaction began.
    stored_waiting: i64,
    /// Every waiting member's answer is in `answers`.
    waitlist_complete: bool,
    /// Current answers of the members loaded (the clickers, and every
    /// waiting member once the waitlist is loaded).
    answers: HashMap<u64, Answer>,
    /// The same members as stored when the transaction began (absent: no
    /// answer yet).
    stored: HashMap<u64, Stored>,
    /// Members whose row must be written back, in the order first changed.
    changed: Vec<u64>,
}

impl Board {
    /// `loaded` holds the stored answer of every member who clicks, with
    /// their place if waiting; `stored_waiting` counts the waiting members.
    pub fn new(
        capacity: Option<i64>,
        taken: i64,
        last_seq: i64,
        stored_waiting: i64,
        loaded: Vec<(u64, Answer, Option<i64>)>,
    ) -> Board {
        let mut board = Board {
            capacity,
            taken,
            next_seq: last_seq + 1,
            stored_waiting,
            waitlist_complete: stored_waiting == 0,
            answers: HashMap::with_capacity(loaded.len()),
            stored: HashMap::with_capacity(loaded.len()),
            changed: Vec::new(),
        };
        for (id, answer, place) in loaded {
            board.remember(id, answer, place);
        }
        board
    }

    fn remember(&mut self, id: u64, answer: Answer, place: Option<i64>) {
        let stored = Stored {
            status: answer.status,
            arrival_seq: answer.arrival_seq,
            place,
        };
        self.stored.entry(id).or_insert(stored);
        self.answers.entry(id).or_insert(answer);
    }

    /// Adds every waiting member's stored answer, in arrival order (answers
    /// already changed by this batch keep their new state).
    pub fn add_waitlist(&mut self, waiting: Vec<(u64, Answer)>) {
        for (place, (id, answer)) in waiting.into_iter().enumerate() {
            self.remember(id, answer, Some(place as i64 + 1));
        }
        self.waitlist_complete = true;
    }

    /// Decides one click against the board as the previous clicks left it.
    pub fn decide(&mut self, click: &Click<'_>) -> Result<Outcome, NeedWaitlist> {
        let current = self.answers.get(&click.user_id).cloned();
        let current_status = current.as_ref().map(|a| a.status);
        let current_guests = current.as_ref().map_or(0, |a| a.guests);
        let guests = match click.choice {
            RsvpChoice::Going => click.guests.unwrap_or(current_guests),
            // Guests come with a seat; without one they are dropped.
            RsvpChoice::Maybe | RsvpChoice::Declined => 0,
        };
        if let Some(capacity) = self.capacity {
            if click.choice == RsvpChoice::Going && seats(guests) > capacity {
                return Ok(Outcome::PartyTooLarge {
                    max_guests: (capacity - 1).max(0),
                });
            }
        }
        let status = match (click.choice, current_status) {
            (RsvpChoice::Going, Some(RsvpStatus::Going)) => {
                let taken_by_others = self.taken - seats(current_guests);
                if !fits(self.capacity, taken_by_others, seats(guests)) {
                    let free_seats = self.capacity.unwrap_or(0) - taken_by_others - 1;
                    return Ok(Outcome::GuestsDoNotFit {
                        free_seats: free_seats.max(0),
                    });
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
        let held_before = held(current_status, current_guests);
        let held_after = held(Some(status), guests);
        let waiting_party_shrank = current_status == Some(RsvpStatus::Waitlisted)
            && status == RsvpStatus::Waitlisted
            && guests < current_guests;
        // The waitlist can only move when a going member leaves or brings
        // fewer guests (a seat is freed), or a waiting party shrinks (it
        // may fit now).
        let may_promote = self.capacity.is_some() && (held_after < held_before || waiting_party_shrank);
        if may_promote && !self.waitlist_complete {
            return Err(NeedWaitlist);
        }
        // A first answer, or joining the queue (from maybe or declined),
        // takes the next place in line; staying in it keeps one's place.
        let arrival_seq = match &current {
            Some(a) if !status.queued() || a.status.queued() => a.arrival_seq,
            _ => {
                self.next_seq += 1;
                self.next_seq - 1
            }
        };
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

        let mut promoted = match self.capacity {
            Some(capacity) if may_promote => self.promote(capacity - self.taken, click.at),
            _ => Vec::new(),
        };
        let mine = &self.answers[&click.user_id];
        let (status, waitlist_position) = match mine.status {
            RsvpStatus::Waitlisted => (RsvpStatus::Waitlisted, Some(self.place(click.user_id))),
            other => (other, None),
        };
        promoted.retain(|(id, _)| *id != click.user_id);
        Ok(Outcome::Recorded {
            status,
            waitlist_position,
            guests,
            promoted,
        })
    }

    /// A waiting member's place: the stored place of their arrival, less
    /// those ahead who left the line in this batch, plus those who joined
    /// it ahead of them.
    fn place(&self, user_id: u64) -> i64 {
        let seq = self.answers[&user_id].arrival_seq;
        let waiting_at = |status: RsvpStatus, at: i64| status == RsvpStatus::Waitlisted && at <= seq;
        let stored_place = match self.stored.get(&user_id) {
            Some(s) if s.status == RsvpStatus::Waitlisted && s.arrival_seq == seq => s.place.unwrap_or(0),
            // A new place in line comes after every stored one.
            _ => self.stored_waiting,
        };
        let mut place = stored_place;
        for id in &self.changed {
            let now = &self.answers[id];
            let was = self.stored.get(id);
            let unchanged = was.is_some_and(|w| w.status == now.status && w.arrival_seq == now.arrival_seq);
            if unchanged {
                continue;
            }
            if was.is_some_and(|w| waiting_at(w.status, w.arrival_seq)) {
                place -= 1;
            }
            if waiting_at(now.status, now.arrival_seq) {
                place += 1;
            }
        }
        place
    }

    /// Moves the waiting parties that fit in `free` seats to going, in
    /// arrival order.
    fn promote(&mut self, free: i64, at: i64) -> Vec<(u64, String)> {
        if free <= 0 {
            return Vec::new();
        }
        let mut queue: Vec<(i64, u64, i64)> = self
            .answers
            .iter()
            .filter(|(_, a)| a.status == RsvpStatus::Waitlisted)
            .map(|(id, a)| (a.arrival_seq, *id, seats(a.guests)))
            .collect();
        queue.sort_unstable();
        let queue: Vec<(u64, i64)> = queue.into_iter().map(|(_, id, needed)| (id, needed)).collect();
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

    /// Records a member's new answer.
    fn put(&mut self, user_id: u64, answer: Answer) {
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
