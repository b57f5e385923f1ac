//! How things look: the messages Rencontre posts and sends (event and poll
//! cards, introductions, announcements, notices and DMs), built from domain
//! values and translated texts. No I/O: handlers, jobs and delivery call
//! these with what they read, so a card looks the same whoever draws it.

pub mod announcement;
pub mod card;
pub mod intro;
pub mod notices;
pub mod poll;

use chrono::{DateTime, Utc};

/// Discord shows `<t:…>` in each reader's own time zone and language.
pub fn timestamp(at: DateTime<Utc>, style: char) -> String {
    format!("<t:{}:{style}>", at.timestamp())
}
