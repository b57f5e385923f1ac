//! An event and the rules it answers by: who may still answer, when
//! check-in opens, how far ahead a series is generated. The store reads
//! and writes these; it does not decide them.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::recurrence::{occurrences, Repeat};
use super::rsvp::{Asker, Closed, RsvpChoice};

/// An event's length when the organizer said neither an end nor a duration.
pub const DEFAULT_DURATION_MINUTES: i64 = 120;

/// Check-in opens this long before the start.
pub const CHECK_IN_BEFORE_MINUTES: i64 = 30;

/// How long after the end an organizer may still record who came.
pub const LATE_CHECK_IN_HOURS: i64 = 24;

/// How far ahead a series is generated: at least 8 weeks.
pub const SERIES_HORIZON_DAYS: i64 = 8 * 7;

/// One date of the agenda, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub guild_id: u64,
    pub title: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i64>,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub restricted_role: Option<u64>,
    pub channel_id: Option<u64>,
    pub card_channel_id: Option<u64>,
    pub card_message_id: Option<u64>,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    pub repeat: Option<String>,
    /// The recurring series this occurrence belongs to.
    pub series_id: Option<i64>,
    /// Its mirror among Discord's native scheduled events.
    pub native_event_id: Option<u64>,
    pub created_by: u64,
    pub updated_at: DateTime<Utc>,
}

/// How full an event is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Seats taken: going members plus their guests.
    pub going_seats: i64,
    pub going_members: i64,
    pub maybe: i64,
    pub waitlisted: i64,
    pub checked_in: i64,
}

impl Event {
    /// Whether members can still answer.
    pub fn takes_answers(&self, now: DateTime<Utc>) -> bool {
        !self.cancelled && now < self.ends_at && self.rsvp_deadline.is_none_or(|d| now < d)
    }

    /// Whether members can still step back (maybe, can't go): until the
    /// end, deadline or not, so a seat can always be freed for the waitlist.
    pub fn takes_withdrawals(&self, now: DateTime<Utc>) -> bool {
        !self.cancelled && now < self.ends_at
    }

    /// Why `asker` cannot answer `choice` now, if they cannot. The deadline
    /// closes joining only.
    pub fn refuses(&self, now: DateTime<Utc>, asker: &Asker, choice: RsvpChoice) -> Option<Closed> {
        if self.cancelled {
            Some(Closed::Cancelled)
        } else if now >= self.ends_at {
            Some(Closed::Over)
        } else if choice == RsvpChoice::Going && !self.takes_answers(now) {
            Some(Closed::Deadline)
        } else {
            self.restricted_role
                .filter(|role| !asker.roles.contains(role) && !asker.organizer)
                .map(|role| Closed::Restricted { role })
        }
    }

    /// When check-in opens: half an hour before the start, when the first
    /// members arrive.
    pub fn check_in_opens(&self) -> DateTime<Utc> {
        self.starts_at - Duration::minutes(CHECK_IN_BEFORE_MINUTES)
    }

    /// Members check themselves in from [`Event::check_in_opens`] until the end.
    pub fn check_in_open(&self, now: DateTime<Utc>) -> bool {
        !self.cancelled && now >= self.check_in_opens() && now < self.ends_at
    }

    /// Organizers may record who came until a day after the end: the list is
    /// often written up the next morning.
    pub fn organizer_check_in_open(&self, now: DateTime<Utc>) -> bool {
        !self.cancelled
            && now >= self.check_in_opens()
            && now < self.ends_at + Duration::hours(LATE_CHECK_IN_HOURS)
    }
}

/// Everything an organizer sets on an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFields {
    pub title: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i64>,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub restricted_role: Option<u64>,
    pub channel_id: Option<u64>,
    pub repeat: Option<String>,
}

impl EventFields {
    /// The repetition rule, if the event repeats (an unreadable rule is
    /// treated as none: it was checked when typed).
    pub fn repeats(&self) -> Option<Repeat> {
        self.repeat.as_deref().and_then(Repeat::parse)
    }
}

/// The dates a new event is created with: its start alone, or for a
/// repeating one the occurrences of the next [`SERIES_HORIZON_DAYS`] (at
/// most 16), and at least 3 for a monthly one so members see more than one
/// date ahead.
pub fn first_dates(fields: &EventFields, tz: Tz, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    match fields.repeats() {
        None => vec![fields.starts_at],
        Some(repeat) => {
            let horizon = series_horizon(fields.starts_at.max(now));
            let starts = occurrences(fields.starts_at, repeat, tz, horizon, 16);
            if repeat == Repeat::Monthly && starts.len() < 3 {
                occurrences(fields.starts_at, repeat, tz, DateTime::<Utc>::MAX_UTC, 3)
            } else {
                starts
            }
        }
    }
}

/// Up to when a series generated from `from` has its dates.
pub fn series_horizon(from: DateTime<Utc>) -> DateTime<Utc> {
    from + Duration::days(SERIES_HORIZON_DAYS)
}
