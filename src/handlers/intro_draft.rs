//! What a member typed in a refused `/intro` form, kept a short while so
//! that the form reopens filled in. Discord cannot answer a form with a
//! form (a modal is not a valid response to a modal submit), so the refusal
//! carries a button that reopens it from here.
//!
//! Kept in memory only, never written to disk: it is text the member has
//! not agreed to save yet, it lives [`KEEP_MINUTES`], and it goes with
//! `/privacy delete`, a successful submit or a restart.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::domain::limits::*;

/// Long enough to fix a field on a phone, short enough to forget soon.
pub const KEEP_MINUTES: i64 = 30;

/// A bound on the drafts held at once, so forged submits cannot fill memory.
const MOST_DRAFTS: usize = 10_000;

/// The form's fields and the most of each that is kept: the form's own
/// limits (a client may send more; the rest is not worth keeping).
const FIELDS: [(&str, usize); 5] = [
    ("name", INTRO_NAME_MAX),
    ("organization", INTRO_ORGANIZATION_MAX),
    ("about", INTRO_ABOUT_MAX),
    ("skills", INTRO_SKILLS_MAX),
    ("website", INTRO_WEBSITE_MAX),
];

type Fields = Vec<(String, String)>;

/// What was typed, and until when it is kept.
type Draft = (Fields, DateTime<Utc>);

/// Drafts by (server, member).
#[derive(Default)]
pub struct Drafts {
    held: Mutex<HashMap<(u64, u64), Draft>>,
}

impl Drafts {
    /// Keeps what `user` typed in `guild`'s form, replacing an older draft.
    pub fn keep(&self, guild: u64, user: u64, form: &[(String, String)], now: DateTime<Utc>) {
        let fields: Fields = FIELDS
            .iter()
            .filter_map(|(id, max)| {
                let (_, value) = form.iter().find(|(k, _)| k == id)?;
                // Discord refuses a form whose pre-filled value is longer
                // than the field allows: a too-long text comes back cut at
                // the limit, for the member to finish shortening.
                Some((id.to_string(), value.chars().take(*max).collect()))
            })
            .collect();
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|_, (_, until)| *until > now);
        if held.len() >= MOST_DRAFTS {
            // The oldest go first.
            if let Some(oldest) = held.iter().min_by_key(|(_, (_, until))| *until).map(|(k, _)| *k) {
                held.remove(&oldest);
            }
        }
        held.insert((guild, user), (fields, now + Duration::minutes(KEEP_MINUTES)));
    }

    /// The draft of `user` in `guild`, if one is still fresh: one field's
    /// value by its id.
    pub fn get(&self, guild: u64, user: u64, now: DateTime<Utc>) -> Option<Fields> {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.get(&(guild, user))
            .filter(|(_, until)| *until > now)
            .map(|(fields, _)| fields.clone())
    }

    /// Forgets `user`'s draft in `guild` (saved, or erased on request).
    pub fn forget(&self, guild: u64, user: u64) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.remove(&(guild, user));
    }

    /// Forgets `user`'s drafts in every server (`/privacy delete`).
    pub fn forget_user(&self, user: u64) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|(_, u), _| *u != user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_draft_is_kept_per_member_and_server_for_a_while() {
        let drafts = Drafts::default();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        drafts.keep(1, 7, &form(&[("name", "Bob"), ("forged", "x")]), now);
        assert_eq!(drafts.get(1, 7, now), Some(form(&[("name", "Bob")])));
        assert_eq!(drafts.get(2, 7, now), None);
        assert_eq!(drafts.get(1, 8, now), None);
        let later = now + Duration::minutes(KEEP_MINUTES);
        assert_eq!(drafts.get(1, 7, later), None);
        drafts.keep(1, 7, &form(&[("name", "Bob")]), now);
        drafts.forget_user(7);
        assert_eq!(drafts.get(1, 7, now), None);
    }

    #[test]
    fn a_forged_huge_field_is_cut() {
        let drafts = Drafts::default();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let huge = "a".repeat(1_000_000);
        drafts.keep(1, 7, &form(&[("name", &huge)]), now);
        let kept = drafts.get(1, 7, now).unwrap();
        assert_eq!(kept[0].1.chars().count(), INTRO_NAME_MAX);
    }
}
