//! What every handler receives: the database, the clock, the translations.

use std::sync::{Arc, Mutex};

use crate::store::Db;
use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::access::AccessProbe;
use crate::directory::Directory;
use crate::i18n::I18n;
use crate::store::rsvps::RsvpWriter;
use crate::store::{prefs, settings};

/// The current time, injected so that time rules are tested without sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that tests (and the console's scripted sessions) move by hand.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        ManualClock(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: Db,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<I18n>,
    /// Public base URL of the HTTP server, when it runs: `/calendar` then
    /// also gives a subscription link.
    pub feed_base: Option<String>,
    /// RSVP clicks that arrive together share one write transaction.
    pub rsvp_writer: Arc<RsvpWriter>,
    /// Servers' settings as last read; forget a server's after changing them.
    pub settings: Arc<settings::Cache>,
    /// Asks the front-end what the bot may do (`/setup check`).
    pub access: Option<Arc<dyn AccessProbe>>,
    /// The language each member's Discord speaks, for their DMs.
    pub locales: Arc<prefs::Locales>,
    /// Wakes the job runner when something is due now (a DM about a freed
    /// seat, a change or a cancellation).
    pub jobs_wake: Arc<Notify>,
    /// Refused `/intro` forms, to reopen them filled in.
    pub intro_drafts: Arc<crate::handlers::intro_draft::Drafts>,
    /// The servers' roles, channels and owners, as the front-end knows them.
    pub directory: Arc<Directory>,
}

impl AppState {
    pub fn new(pool: Db, clock: Arc<dyn Clock>) -> Self {
        AppState {
            pool,
            clock,
            i18n: Arc::new(I18n::load()),
            feed_base: None,
            rsvp_writer: Arc::default(),
            settings: Arc::default(),
            access: None,
            locales: Arc::default(),
            jobs_wake: Arc::default(),
            intro_drafts: Arc::default(),
            directory: Arc::default(),
        }
    }

    /// With a front-end that can say what the bot may do.
    pub fn with_access(mut self, probe: Arc<dyn AccessProbe>) -> Self {
        self.access = Some(probe);
        self
    }

    /// With the HTTP server on, at this public address.
    pub fn with_feed_base(mut self, base: impl Into<String>) -> Self {
        self.feed_base = Some(base.into().trim_end_matches('/').to_owned());
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
