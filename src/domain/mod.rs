//! Pure types and rules: no I/O, unit-tested inline.

pub mod chart;
pub mod custom_id;
pub mod event;
pub mod export;
pub mod format;
pub mod ics;
pub mod limits;
pub mod poll;
pub mod recurrence;
pub mod rsvp;
pub mod rsvp_board;
pub mod slug;
pub mod when;

/// The two languages Rencontre speaks. French first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// Discord locales `fr*` are French; anything else is English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}
