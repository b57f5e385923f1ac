//! Limits on what users may type, from PRODUCT.md and Discord's own limits.

pub const TITLE_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 1_000;
pub const LOCATION_MAX: usize = 100;
pub const CAPACITY_MIN: i64 = 1;
pub const CAPACITY_MAX: i64 = 10_000;
pub const GUESTS_MAX: i64 = 10;
pub const NOTE_MAX: usize = 200;
pub const INTRO_NAME_MAX: usize = 80;
pub const INTRO_ORGANIZATION_MAX: usize = 120;
pub const INTRO_ABOUT_MAX: usize = 1_000;
pub const INTRO_SKILLS_MAX: usize = 300;
pub const INTRO_WEBSITE_MAX: usize = 200;
pub const ANNOUNCE_TITLE_MAX: usize = 256;
pub const ANNOUNCE_MESSAGE_MAX: usize = 4_000;
pub const SEARCH_QUERY_MAX: usize = 100;
/// Durations beyond a week are almost certainly typos.
pub const DURATION_MAX_MINUTES: i64 = 7 * 24 * 60;
