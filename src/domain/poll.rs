//! Date polls: the organizer offers 2 to 10 dates, each member answers each
//! date *yes* or *if need be* with one tap (no answer is *no*), and closing
//! the poll picks a date.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::event::{EventFields, DEFAULT_DURATION_MINUTES};

/// Fewer dates is not a choice.
pub const MIN_DATES: usize = 2;
/// Two buttons per date, four buttons (two dates) per row, at most five
/// rows on a message: ten dates.
pub const MAX_DATES: usize = 10;
/// Buttons per row on the card: the ✅ and 🤷 of two dates. Discord allows
/// five; four keeps each date's pair on one row and the rows the same on
/// every phone width, so a thumb never mistakes one date's button for the
/// next date's.
pub const BUTTONS_PER_ROW: usize = 4;

/// What a member answered for one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Answer {
    Yes,
    IfNeedBe,
}

impl Answer {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::IfNeedBe => "if_need_be",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "yes" => Some(Answer::Yes),
            "if_need_be" => Some(Answer::IfNeedBe),
            _ => None,
        }
    }

    /// The button's mark.
    pub fn emoji(self) -> &'static str {
        match self {
            Answer::Yes => "✅",
            Answer::IfNeedBe => "🤷",
        }
    }
}

/// A tap on `tapped` when the member had answered `current`: tapping the
/// same answer again takes it back (back to *no*).
pub fn after_tap(current: Option<Answer>, tapped: Answer) -> Option<Answer> {
    if current == Some(tapped) {
        None
    } else {
        Some(tapped)
    }
}

/// How many answered one date each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub yes: i64,
    pub if_need_be: i64,
}

/// The leading date (its index in `tallies`, which are in date order): the
/// most who can come (yes and if need be), then the most yes, then the
/// earliest. `None` while nobody answered anything.
pub fn leading(tallies: &[Tally]) -> Option<usize> {
    let mut best: Option<(usize, (i64, i64))> = None;
    for (i, t) in tallies.iter().enumerate() {
        let score = (t.yes + t.if_need_be, t.yes);
        if score.0 == 0 {
            continue;
        }
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// The parts of a `dates` option: separated by `;`, blank parts (a
/// trailing `;`) left out.
pub fn split_dates(input: &str) -> Vec<&str> {
    input
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(yes: i64, if_need_be: i64) -> Tally {
        Tally { yes, if_need_be }
    }

    #[test]
    fn the_leading_date_is_who_can_come_then_yes_then_earliest() {
        assert_eq!(leading(&[t(0, 0), t(0, 0)]), None);
        assert_eq!(leading(&[t(1, 0), t(2, 0)]), Some(1));
        // Three who can come beat two who surely come.
        assert_eq!(leading(&[t(2, 0), t(1, 2)]), Some(1));
        assert_eq!(leading(&[t(1, 1), t(2, 0)]), Some(1));
        assert_eq!(leading(&[t(2, 0), t(0, 0), t(2, 0)]), Some(0));
    }

    #[test]
    fn tapping_an_answer_again_takes_it_back() {
        assert_eq!(after_tap(None, Answer::Yes), Some(Answer::Yes));
        assert_eq!(after_tap(Some(Answer::Yes), Answer::Yes), None);
        assert_eq!(
            after_tap(Some(Answer::Yes), Answer::IfNeedBe),
            Some(Answer::IfNeedBe)
        );
    }

    #[test]
    fn dates_are_split_on_semicolons_blank_parts_ignored() {
        assert_eq!(
            split_dates(" jeudi 18h30; vendredi 12h ;; 3 déc 9h;"),
            vec!["jeudi 18h30", "vendredi 12h", "3 déc 9h"]
        );
        assert!(split_dates(" ; ").is_empty());
    }

    #[test]
    fn ten_dates_fit_on_five_rows() {
        assert!((MAX_DATES * 2).div_ceil(BUTTONS_PER_ROW) <= 5);
        assert_eq!(BUTTONS_PER_ROW % 2, 0, "a date's pair never straddles rows");
    }

    #[test]
    fn answers_round_trip() {
        for a in [Answer::Yes, Answer::IfNeedBe] {
            assert_eq!(Answer::parse(a.as_str()), Some(a));
        }
        assert_eq!(Answer::parse("no"), None);
    }
}

/// One date a poll offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollDate {
    pub starts_at: DateTime<Utc>,
    /// Set when the date was said as a range ("18h30-20h").
    pub length: Option<Duration>,
}

/// A poll as stored; `dates` in date order (a date's index is its position).
#[derive(Debug, Clone, PartialEq)]
pub struct Poll {
    pub id: i64,
    pub guild_id: u64,
    pub title: String,
    pub description: Option<String>,
    pub channel_id: u64,
    pub message_id: Option<u64>,
    pub deadline: Option<DateTime<Utc>>,
    pub created_by: u64,
    pub closed_at: Option<DateTime<Utc>>,
    /// The date chosen at close.
    pub chosen: Option<usize>,
    /// The event the poll became.
    pub event_id: Option<i64>,
    pub dates: Vec<PollDate>,
}

/// What an organizer asked for in `/poll create`.
#[derive(Debug, Clone)]
pub struct NewPoll {
    pub title: String,
    pub description: Option<String>,
    pub channel_id: u64,
    pub deadline: Option<DateTime<Utc>>,
    pub dates: Vec<PollDate>,
    pub created_by: u64,
}

impl Poll {
    /// The event a poll becomes at the date at `position`: its title and
    /// description, the date's length (or `/event create`'s default), in the
    /// poll's channel; nothing else is set, as in an `/event create` that gave
    /// only these.
    pub fn event_fields(&self, position: usize) -> Option<EventFields> {
        let date = self.dates.get(position)?;
        Some(EventFields {
            title: self.title.clone(),
            description: self.description.clone(),
            location: None,
            starts_at: date.starts_at,
            ends_at: date.starts_at + date.length.unwrap_or(Duration::minutes(DEFAULT_DURATION_MINUTES)),
            capacity: None,
            rsvp_deadline: None,
            restricted_role: None,
            channel_id: Some(self.channel_id),
            repeat: None,
        })
    }
}
