//! What every handler works with: the state, the caller, the server's
//! settings and the language to answer in.

use chrono::{DateTime, Utc};

use super::Context;
use crate::domain::event::Event;
use crate::domain::Lang;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Args};
use crate::state::AppState;
use crate::store;
use crate::store::settings::Settings;

pub struct Call<'a> {
    pub state: &'a AppState,
    pub ctx: &'a Context,
    pub settings: Settings,
    /// The caller's Discord locale, else the server's language.
    pub lang: Lang,
}

impl<'a> Call<'a> {
    pub fn new(state: &'a AppState, ctx: &'a Context, settings: Settings) -> Self {
        let lang = ctx
            .caller
            .locale
            .as_deref()
            .filter(|l| !l.is_empty())
            .map(Lang::from_locale)
            .unwrap_or(settings.language);
        Call {
            state,
            ctx,
            settings,
            lang,
        }
    }

    pub fn t(&self, key: &str, args: &Args<'_>) -> String {
        self.state.i18n.t(self.lang, key, args)
    }

    /// The same message in the server's language, for what everyone sees
    /// (cards, posts) or what is sent later (DMs).
    pub fn t_server(&self, key: &str, args: &Args<'_>) -> String {
        self.state.i18n.t(self.settings.language, key, args)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    pub fn pool(&self) -> &crate::store::Db {
        &self.state.pool
    }

    pub fn is_admin(&self) -> bool {
        let p = self.ctx.caller.permissions;
        p.administrator || p.manage_guild
    }

    /// The organizer role, or Manage Events, or Administrator.
    pub fn is_organizer(&self) -> bool {
        let p = self.ctx.caller.permissions;
        p.administrator
            || p.manage_events
            || self
                .settings
                .organizer_role
                .is_some_and(|role| self.ctx.caller.roles.contains(&role))
    }

    pub fn require_organizer(&self) -> AppResult<()> {
        if self.is_organizer() {
            Ok(())
        } else {
            Err(AppError::user("error-not-organizer"))
        }
    }

    /// Organizers, and members with *Create Events*, may create events.
    pub fn require_event_creator(&self) -> AppResult<()> {
        if self.is_organizer() || self.ctx.caller.permissions.create_events {
            Ok(())
        } else {
            Err(AppError::user("error-not-organizer"))
        }
    }

    /// Organizers change any event; members with *Create Events* only the
    /// ones they created (Discord's own rule for its scheduled events).
    pub fn require_may_change(&self, event: &Event) -> AppResult<()> {
        if self.is_organizer() {
            return Ok(());
        }
        self.require_event_creator()?;
        if event.created_by == self.ctx.caller.user_id {
            Ok(())
        } else {
            Err(AppError::user("error-not-your-event"))
        }
    }

    pub fn require_admin(&self) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::user("error-not-admin"))
        }
    }

    /// The event an `event` option names: its id (what autocomplete sends)
    /// or its exact title. Events of other servers are unknown here.
    pub async fn event(&self, text: &str) -> AppResult<Event> {
        let text = text.trim();
        if let Ok(id) = text.parse::<i64>() {
            if let Some(event) = store::events::get(self.pool(), self.ctx.guild_id, id).await? {
                return Ok(event);
            }
        }
        let mut found = store::events::by_title(self.pool(), self.ctx.guild_id, text, self.now()).await?;
        if found.is_empty() && !text.is_empty() {
            // Part of a title is enough when it names one upcoming event.
            found = store::events::suggest(self.pool(), self.ctx.guild_id, text, self.now()).await?;
            found.truncate(if found.len() == 1 { 1 } else { 0 });
        }
        match found.len() {
            0 => Err(unknown_event(text)),
            _ => Ok(found.remove(0)),
        }
    }

    /// An event by id, as carried in a button.
    pub async fn event_by_id(&self, id: i64) -> AppResult<Event> {
        store::events::get(self.pool(), self.ctx.guild_id, id)
            .await?
            .ok_or_else(|| AppError::user("error-event-gone"))
    }
}

fn unknown_event(text: &str) -> AppError {
    let shown: String = text.chars().take(100).collect();
    AppError::user_with("error-unknown-event", vec![("text", Arg::Str(shown))])
}
