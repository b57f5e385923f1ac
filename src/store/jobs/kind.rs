//! What a job is: its kind and the row the runner claims.

use chrono::{DateTime, Utc};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// DM going members `detail` minutes before the event `ref_id`.
    Reminder,
    /// Post the scheduled announcement `ref_id`.
    Announcement,
    /// RSVPs of event `ref_id` close: re-render its card.
    Deadline,
    /// Re-render event `ref_id`'s card when check-in opens (detail 0) or
    /// the event ends (detail 1); post the card of a date a series just
    /// gained (detail 2); archive the card's thread a day after the end
    /// ([`ARCHIVE_THREAD`]). One kind for the card's life, so the table's
    /// list of kinds stays as it is.
    CardRefresh,
    /// Generate the next occurrences of series `ref_id`.
    Occurrences,
    /// Delete everything about server `ref_id`, removed a grace period ago.
    PurgeGuild,
    /// DM member `detail` that a seat freed up for them at event `ref_id`.
    Promoted,
    /// DM those who answered that the dates in `payload` moved or changed
    /// place (`ref_id` the first of them, `detail` the notice's number).
    Changed,
    /// DM those who answered that the dates in `payload` are cancelled.
    Cancelled,
    /// Close poll `ref_id` at its deadline, at its leading date.
    PollClose,
    /// Poll `ref_id` closed into an event: post the event's card and DM
    /// those who could come at that date.
    PollClosed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reminder => "reminder",
            Kind::Announcement => "announcement",
            Kind::Deadline => "deadline",
            Kind::CardRefresh => "card_refresh",
            Kind::Occurrences => "occurrences",
            Kind::PurgeGuild => "purge_guild",
            Kind::Promoted => "promoted",
            Kind::Changed => "changed",
            Kind::Cancelled => "cancelled",
            Kind::PollClose => "poll_close",
            Kind::PollClosed => "poll_closed",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Kind> {
        match s {
            "reminder" => Some(Kind::Reminder),
            "announcement" => Some(Kind::Announcement),
            "deadline" => Some(Kind::Deadline),
            "card_refresh" => Some(Kind::CardRefresh),
            "occurrences" => Some(Kind::Occurrences),
            "purge_guild" => Some(Kind::PurgeGuild),
            "promoted" => Some(Kind::Promoted),
            "changed" => Some(Kind::Changed),
            "cancelled" => Some(Kind::Cancelled),
            "poll_close" => Some(Kind::PollClose),
            "poll_closed" => Some(Kind::PollClosed),
            _ => None,
        }
    }
}

/// The `detail` of the [`Kind::CardRefresh`] job that archives the card's
/// discussion thread (`store::threads`).
pub const ARCHIVE_THREAD: i64 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: Kind,
    pub guild_id: u64,
    pub ref_id: i64,
    pub due_at: DateTime<Utc>,
    pub detail: i64,
    pub attempts: i64,
    /// A notice's dates (a JSON array of event ids); none for other kinds.
    pub payload: Option<String>,
}
