//! Button and form ids: a typed, versioned codec.
//!
//! Every button id carries all it needs (no in-memory state), so buttons on
//! old cards keep working after a restart. Discord allows 100 characters.
//! Ids come back from the client and may be forged: ids of 0 (which
//! serenity cannot represent) are refused, and the `/announce` form carries
//! only a random token, its options staying on the bot's side.

use super::poll::{Answer, MAX_DATES};
use super::rsvp::RsvpChoice;

pub const MAX_LEN: usize = 100;

/// Which events `/agenda` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
    All,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            "all" => Some(Period::All),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentId {
    /// An RSVP button on an event card or announcement.
    Rsvp { event_id: i64, choice: RsvpChoice },
    /// The *Check in* button.
    CheckIn { event_id: i64 },
    /// ◀ ▶ on `/agenda`.
    AgendaPage { period: Period, page: u32 },
    /// ◀ ▶ on `/member search`; the query rides along (≤ 80 characters).
    SearchPage { page: u32, query: String },
    /// *Introduce yourself*: opens the `/intro` form.
    IntroOpen,
    /// The `/intro` form itself.
    IntroForm,
    /// The `/announce` form: the token its options are stored under
    /// (`store::announce_forms`), 32 hex digits.
    AnnounceForm { token: String },
    /// The confirm button of `/privacy delete`.
    PrivacyDelete,
    /// Its *Cancel* button: nothing is erased.
    PrivacyCancel,
    /// A date poll's ✅ or 🤷 for the date at `position` (0-based).
    PollAnswer {
        poll_id: i64,
        position: u8,
        answer: Answer,
    },
}

/// The `custom_id` of the `/agenda` menu "Answer for…": its options carry
/// the RSVP button ids they stand for, and the front-end hands the one
/// picked to the handlers as if that button had been pressed.
pub const ANSWER_MENU: &str = "answer:v1";

/// A form token as `store::announce_forms` makes them.
fn is_token(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl ComponentId {
    pub fn encode(&self) -> String {
        let id = match self {
            ComponentId::Rsvp { event_id, choice } => {
                format!("rsvp:v1:{event_id}:{}", choice.as_str())
            }
            ComponentId::CheckIn { event_id } => format!("checkin:v1:{event_id}"),
            ComponentId::AgendaPage { period, page } => {
                format!("agenda:v1:{}:{page}", period.as_str())
            }
            ComponentId::SearchPage { page, query } => format!("search:v1:{page}:{query}"),
            ComponentId::IntroOpen => "intro:v1:open".into(),
            ComponentId::IntroForm => "intro:v1:form".into(),
            ComponentId::AnnounceForm { token } => format!("announce:v2:{token}"),
            ComponentId::PrivacyDelete => "privacy:v1:delete".into(),
            ComponentId::PrivacyCancel => "privacy:v1:cancel".into(),
            ComponentId::PollAnswer {
                poll_id,
                position,
                answer,
            } => format!("poll:v1:{poll_id}:{position}:{}", answer.as_str()),
        };
        // Search queries are cut to fit; everything else is short by construction.
        id.chars().take(MAX_LEN).collect()
    }

    /// `None` for anything unknown or forged: the caller answers that the
    /// button is no longer valid.
    pub fn decode(id: &str) -> Option<ComponentId> {
        if id.is_empty() || id.chars().count() > MAX_LEN {
            return None;
        }
        let mut parts = id.splitn(3, ':');
        let kind = parts.next()?;
        // v1 announce forms carried their channel and role: no longer trusted.
        let version = if kind == "announce" { "v2" } else { "v1" };
        if parts.next()? != version {
            return None;
        }
        let rest = parts.next().unwrap_or("");
        match kind {
            "rsvp" => {
                let (event, choice) = rest.split_once(':')?;
                Some(ComponentId::Rsvp {
                    event_id: event.parse().ok().filter(|e| *e > 0)?,
                    choice: RsvpChoice::parse(choice)?,
                })
            }
            "checkin" => Some(ComponentId::CheckIn {
                event_id: rest.parse().ok().filter(|e| *e > 0)?,
            }),
            "agenda" => {
                let (period, page) = rest.split_once(':')?;
                Some(ComponentId::AgendaPage {
                    period: Period::parse(period)?,
                    page: page.parse().ok()?,
                })
            }
            "search" => {
                let (page, query) = rest.split_once(':')?;
                Some(ComponentId::SearchPage {
                    page: page.parse().ok()?,
                    query: query.to_owned(),
                })
            }
            "intro" => match rest {
                "open" => Some(ComponentId::IntroOpen),
                "form" => Some(ComponentId::IntroForm),
                _ => None,
            },
            "announce" if is_token(rest) => Some(ComponentId::AnnounceForm {
                token: rest.to_owned(),
            }),
            "privacy" => match rest {
                "delete" => Some(ComponentId::PrivacyDelete),
                "cancel" => Some(ComponentId::PrivacyCancel),
                _ => None,
            },
            "poll" => {
                let mut parts = rest.splitn(3, ':');
                Some(ComponentId::PollAnswer {
                    poll_id: parts.next()?.parse().ok().filter(|p| *p > 0)?,
                    position: parts
                        .next()?
                        .parse()
                        .ok()
                        .filter(|p| usize::from(*p) < MAX_DATES)?,
                    answer: Answer::parse(parts.next()?)?,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn samples() -> Vec<ComponentId> {
        vec![
            ComponentId::Rsvp {
                event_id: 42,
                choice: RsvpChoice::Going,
            },
            ComponentId::Rsvp {
                event_id: i64::MAX,
                choice: RsvpChoice::Declined,
            },
            ComponentId::CheckIn { event_id: 7 },
            ComponentId::AgendaPage {
                period: Period::Month,
                page: 3,
            },
            ComponentId::SearchPage {
                page: 1,
                query: "référencement: web".into(),
            },
            ComponentId::IntroOpen,
            ComponentId::IntroForm,
            ComponentId::AnnounceForm {
                token: "0123456789abcdef0123456789abcdef".into(),
            },
            ComponentId::PrivacyDelete,
            ComponentId::PrivacyCancel,
            ComponentId::PollAnswer {
                poll_id: i64::MAX,
                position: 9,
                answer: Answer::IfNeedBe,
            },
        ]
    }

    #[test]
    fn every_id_round_trips_within_discord_limit() {
        for id in samples() {
            let encoded = id.encode();
            assert!(encoded.chars().count() <= MAX_LEN, "{encoded}");
            assert_eq!(ComponentId::decode(&encoded), Some(id));
        }
    }

    #[test]
    fn forged_or_foreign_ids_are_rejected() {
        for bad in [
            "",
            "rsvp:v2:1:going",
            "rsvp:v1:abc:going",
            "rsvp:v1:-4:going",
            "rsvp:v1:1:attending",
            "checkin:v1:",
            "agenda:v1:year:1",
            "rsvp:v1:0:going",
            "checkin:v1:0",
            "announce:v1:1:2:3",
            "announce:v1:100:-:-:-",
            "announce:v2:100:-:-:-",
            "announce:v2:0123456789ABCDEF0123456789ABCDEF",
            "announce:v2:0123456789abcdef0123456789abcde",
            "privacy:v1:everything",
            "poll:v1:0:1:yes",
            "poll:v1:3:10:yes",
            "poll:v1:3:-1:yes",
            "poll:v1:3:1:no",
            "poll:v1:3:1",
            "something_else",
        ] {
            assert_eq!(ComponentId::decode(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn decode_never_panics(s in "\\PC{0,120}") {
            let _ = ComponentId::decode(&s);
        }

        #[test]
        fn search_pages_round_trip(page in 0u32..1000, query in "[a-zé ]{0,80}") {
            let id = ComponentId::SearchPage { page, query };
            prop_assert_eq!(ComponentId::decode(&id.encode()), Some(id));
        }
    }
}
