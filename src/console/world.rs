//! The console's pretend server: users, channels and roles by name, what
//! was shown, and the outlet that prints what the bot posts elsewhere.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono_tz::Tz;

use super::{render, HERE};
use crate::delivery::{DmError, Outlet};
use crate::domain::Lang;
use crate::reply::{Message, Modal};
use crate::state::AppState;

const FIRST_USER_ID: u64 = 1_000;
const FIRST_CHANNEL_ID: u64 = 100;
const FIRST_ROLE_ID: u64 = 900;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    Member,
    Organizer,
    Admin,
}

pub(super) struct User {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) standing: Standing,
    pub(super) locale: Option<String>,
}

/// Names and ids of the console's pretend server, and what was shown.
pub struct World {
    pub(super) users: Vec<User>,
    pub(super) channels: Vec<String>,
    pub(super) roles: Vec<String>,
    pub(super) current: usize,
    pub(super) timezone: Tz,
    pub(super) lang: Lang,
    /// Messages with buttons, newest last: (message id if posted, message).
    pub(super) shown: Vec<(Option<u64>, Message)>,
    pub(super) last_modal: Option<Modal>,
    pub(super) next_message_id: u64,
    pub(super) output: Vec<String>,
    /// Threads opened on cards: (id, "channel › title"), printed as channels.
    pub(super) threads: Vec<(u64, String)>,
}

impl World {
    pub(super) fn new() -> Self {
        World {
            users: vec![User {
                id: FIRST_USER_ID,
                name: "admin".into(),
                standing: Standing::Admin,
                locale: None,
            }],
            channels: vec![HERE.into()],
            roles: Vec::new(),
            current: 0,
            timezone: chrono_tz::Europe::Paris,
            lang: Lang::Fr,
            shown: Vec::new(),
            last_modal: None,
            threads: Vec::new(),
            next_message_id: 5_000,
            output: Vec::new(),
        }
    }

    pub(super) fn user_index(&mut self, name: &str) -> usize {
        let name = name.trim_start_matches('@');
        if let Some(i) = self.users.iter().position(|u| u.name == name) {
            return i;
        }
        self.users.push(User {
            id: FIRST_USER_ID + self.users.len() as u64,
            name: name.to_owned(),
            standing: Standing::Member,
            locale: None,
        });
        self.users.len() - 1
    }

    pub(super) fn channel_id(&mut self, name: &str) -> u64 {
        let name = name.trim_start_matches('#');
        let index = self.channels.iter().position(|c| c == name).unwrap_or_else(|| {
            self.channels.push(name.to_owned());
            self.channels.len() - 1
        });
        FIRST_CHANNEL_ID + index as u64
    }

    pub(super) fn role_id(&mut self, name: &str) -> u64 {
        let name = name.trim_start_matches('@');
        let index = self.roles.iter().position(|r| r == name).unwrap_or_else(|| {
            self.roles.push(name.to_owned());
            self.roles.len() - 1
        });
        FIRST_ROLE_ID + index as u64
    }

    pub fn user_name(&self, id: u64) -> String {
        self.users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn channel_name(&self, id: u64) -> String {
        if let Some((_, name)) = self.threads.iter().find(|(thread, _)| *thread == id) {
            return name.clone();
        }
        id.checked_sub(FIRST_CHANNEL_ID)
            .and_then(|i| self.channels.get(i as usize).cloned())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn role_name(&self, id: u64) -> String {
        id.checked_sub(FIRST_ROLE_ID)
            .and_then(|i| self.roles.get(i as usize).cloned())
            .unwrap_or_else(|| id.to_string())
    }

    pub(super) fn remember(&mut self, id: Option<u64>, message: &Message) {
        if !message.rows.is_empty() || message.select.is_some() {
            if let Some(id) = id {
                self.shown.retain(|(shown, _)| *shown != Some(id));
            }
            self.shown.push((id, message.clone()));
        }
    }
}

/// Prints what the bot posts or sends elsewhere.
pub(super) struct ConsoleOutlet {
    pub(super) world: Arc<Mutex<World>>,
    pub(super) state: AppState,
}

pub(super) fn lock(world: &Mutex<World>) -> MutexGuard<'_, World> {
    world.lock().unwrap_or_else(|p| p.into_inner())
}

impl Outlet for ConsoleOutlet {
    async fn mirror(
        &self,
        _guild_id: u64,
        existing: Option<u64>,
        event: &crate::delivery::NativeEvent,
    ) -> Result<Option<u64>, crate::delivery::MirrorError> {
        let mut world = lock(&self.world);
        let id = existing.unwrap_or_else(|| {
            world.next_message_id += 1;
            world.next_message_id
        });
        let what = if event.cancelled {
            "cancelled"
        } else if existing.is_some() {
            "updated"
        } else {
            "created"
        };
        world
            .output
            .push(format!("(Discord event {what}: {})", event.name));
        Ok(Some(id))
    }

    /// The pretend server's channels are the ones named so far.
    async fn channel_guild(&self, channel_id: u64) -> anyhow::Result<Option<u64>> {
        let world = lock(&self.world);
        let known = channel_id
            .checked_sub(FIRST_CHANNEL_ID)
            .is_some_and(|i| (i as usize) < world.channels.len());
        Ok(known.then_some(super::GUILD_ID))
    }

    async fn role_in_guild(&self, guild_id: u64, role_id: u64) -> anyhow::Result<bool> {
        let world = lock(&self.world);
        let known = role_id
            .checked_sub(FIRST_ROLE_ID)
            .is_some_and(|i| (i as usize) < world.roles.len());
        Ok(guild_id == super::GUILD_ID && known)
    }

    async fn post(&self, channel_id: u64, message: &Message) -> anyhow::Result<u64> {
        let mut world = lock(&self.world);
        let id = world.next_message_id;
        world.next_message_id += 1;
        let text = render::message(message, &world, world.lang, self.state.now());
        let line = format!("#{}: {}", world.channel_name(channel_id), text);
        world.output.push(line);
        world.remember(Some(id), message);
        Ok(id)
    }

    async fn edit(&self, channel_id: u64, message_id: u64, message: &Message) -> anyhow::Result<()> {
        let mut world = lock(&self.world);
        let text = render::message(message, &world, world.lang, self.state.now());
        let line = format!("#{} (edited): {}", world.channel_name(channel_id), text);
        world.output.push(line);
        world.remember(Some(message_id), message);
        Ok(())
    }

    async fn delete(&self, channel_id: u64, message_id: u64) -> anyhow::Result<()> {
        let mut world = lock(&self.world);
        let line = format!(
            "#{} (deleted message {message_id})",
            world.channel_name(channel_id)
        );
        world.output.push(line);
        world.shown.retain(|(id, _)| *id != Some(message_id));
        Ok(())
    }

    async fn pin(&self, channel_id: u64, _message_id: u64) -> anyhow::Result<()> {
        let mut world = lock(&self.world);
        let line = format!("#{} (pinned)", world.channel_name(channel_id));
        world.output.push(line);
        Ok(())
    }

    async fn start_thread(
        &self,
        channel_id: u64,
        _message_id: u64,
        name: &str,
    ) -> anyhow::Result<Option<u64>> {
        let mut world = lock(&self.world);
        let id = world.next_message_id;
        world.next_message_id += 1;
        let full = format!("{} › {name}", world.channel_name(channel_id));
        world.output.push(format!("#{full} (thread opened)"));
        world.threads.push((id, full));
        Ok(Some(id))
    }

    async fn add_thread_member(&self, thread_id: u64, user_id: u64) -> anyhow::Result<()> {
        let mut world = lock(&self.world);
        let line = format!(
            "#{} (@{} added)",
            world.channel_name(thread_id),
            world.user_name(user_id)
        );
        world.output.push(line);
        Ok(())
    }

    async fn archive_thread(&self, thread_id: u64) -> anyhow::Result<()> {
        let mut world = lock(&self.world);
        let line = format!("#{} (archived)", world.channel_name(thread_id));
        world.output.push(line);
        Ok(())
    }

    async fn dm(&self, user_id: u64, message: &Message) -> Result<(), DmError> {
        let mut world = lock(&self.world);
        let text = render::message(message, &world, world.lang, self.state.now());
        let line = format!("DM @{}: {}", world.user_name(user_id), text);
        world.output.push(line);
        Ok(())
    }
}
