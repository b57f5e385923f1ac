//! Button and form ids: a typed, versioned codec.
//!
//! Every id carries all it needs (no in-memory state), so buttons on old
//! cards keep working after a restart. Discord allows 100 characters.

use std::fmt;

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
    /// The `/announce` form, with the command's options carried through.
    AnnounceForm {
        channel_id: u64,
        event_id: Option<i64>,
        ping_role: Option<u64>,
        post_at: Option<i64>,
    },
    /// The confirm button of `/privacy delete`.
    PrivacyDelete,
    /// Its *Cancel* button: nothing is erased.
    PrivacyCancel,
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_else(|| "-".into())
}

fn parse_opt<T: std::str::FromStr>(s: &str) -> Option<Option<T>> {
    if s == "-" {
        Some(None)
    } else {
        s.parse().ok().map(Some)
    }
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
            ComponentId::AnnounceForm {
                channel_id,
                event_id,
                ping_role,
                post_at,
            } => format!(
                "announce:v1:{channel_id}:{}:{}:{}",
                opt(event_id),
                opt(ping_role),
                opt(post_at)
            ),
            ComponentId::PrivacyDelete => "privacy:v1:delete".into(),
            ComponentId::PrivacyCancel => "privacy:v1:cancel".into(),
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
        if parts.next()? != "v1" {
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
            "announce" => {
                let fields: Vec<&str> = rest.split(':').collect();
                let [channel, event, role, at] = fields.as_slice() else {
                    return None;
                };
                Some(ComponentId::AnnounceForm {
                    channel_id: channel.parse().ok()?,
                    event_id: parse_opt(event)?,
                    ping_role: parse_opt(role)?,
                    post_at: parse_opt(at)?,
                })
            }
            "privacy" => match rest {
                "delete" => Some(ComponentId::PrivacyDelete),
                "cancel" => Some(ComponentId::PrivacyCancel),
                _ => None,
            },
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
                channel_id: u64::MAX,
                event_id: Some(i64::MAX),
                ping_role: Some(u64::MAX),
                post_at: Some(4_102_444_800),
            },
            ComponentId::AnnounceForm {
                channel_id: 1,
                event_id: None,
                ping_role: None,
                post_at: None,
            },
            ComponentId::PrivacyDelete,
            ComponentId::PrivacyCancel,
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
            "announce:v1:1:2:3",
            "privacy:v1:everything",
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
