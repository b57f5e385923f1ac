//! An Outlet that records what the bot posts and DMs, for tests.

use std::collections::HashSet;
use std::sync::Mutex;

use rencontre::delivery::{DmError, Outlet};
use rencontre::reply::Message;

#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Post {
        channel: u64,
        text: String,
    },
    Edit {
        channel: u64,
        message: u64,
        text: String,
    },
    Dm {
        user: u64,
        text: String,
    },
}

#[derive(Default)]
pub struct Recorder {
    pub sent: Mutex<Vec<Sent>>,
    pub closed_dms: Mutex<HashSet<u64>>,
    /// DMs to these users fail with a transient error.
    pub failing_dms: Mutex<HashSet<u64>>,
    /// The nonce each DM was sent with, by recipient, in order.
    pub dm_nonces: Mutex<Vec<(u64, Option<String>)>>,
    /// Channels and roles of servers other than 1 (the tests' own), by id.
    pub foreign: Mutex<std::collections::HashMap<u64, u64>>,
    /// Posting to these channels panics, like a bug would.
    pub panicking_channels: Mutex<HashSet<u64>>,
    /// Threads started: (thread id, message it was started on, name).
    pub threads: Mutex<Vec<(u64, u64, String)>>,
    /// (thread, member) added to threads, in order.
    pub thread_members: Mutex<Vec<(u64, u64)>>,
    /// Threads archived, in order.
    pub archived: Mutex<Vec<u64>>,
    next_id: Mutex<u64>,
}

/// Everything readable in a message: content, embed titles, descriptions, fields.
pub fn text_of(m: &Message) -> String {
    let mut parts = vec![m.content.clone().unwrap_or_default()];
    for e in &m.embeds {
        parts.extend(e.title.clone());
        parts.extend(e.description.clone());
        parts.extend(e.fields.iter().map(|f| format!("{}: {}", f.name, f.value)));
    }
    parts.join("\n")
}

impl Recorder {
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub fn dms_to(&self, user: u64) -> Vec<String> {
        self.sent()
            .into_iter()
            .filter_map(|s| match s {
                Sent::Dm { user: u, text } if u == user => Some(text),
                _ => None,
            })
            .collect()
    }

    pub fn posts_in(&self, channel: u64) -> Vec<String> {
        self.sent()
            .into_iter()
            .filter_map(|s| match s {
                Sent::Post { channel: c, text } if c == channel => Some(text),
                _ => None,
            })
            .collect()
    }
}

/// The tests' own server.
const HOME: u64 = 1;

impl Outlet for Recorder {
    /// Every channel is the tests' server's but the foreign ones; 0 is none.
    async fn channel_guild(&self, channel_id: u64) -> anyhow::Result<Option<u64>> {
        if channel_id == 0 {
            return Ok(None);
        }
        Ok(Some(
            self.foreign
                .lock()
                .unwrap()
                .get(&channel_id)
                .copied()
                .unwrap_or(HOME),
        ))
    }

    async fn role_in_guild(&self, guild_id: u64, role_id: u64) -> anyhow::Result<bool> {
        let home = self
            .foreign
            .lock()
            .unwrap()
            .get(&role_id)
            .copied()
            .unwrap_or(HOME);
        Ok(role_id != 0 && home == guild_id)
    }

    async fn post(&self, channel_id: u64, message: &Message) -> anyhow::Result<u64> {
        if self.panicking_channels.lock().unwrap().contains(&channel_id) {
            panic!("posting to channel {channel_id} panicked");
        }
        let mut id = self.next_id.lock().unwrap();
        *id += 1;
        self.sent.lock().unwrap().push(Sent::Post {
            channel: channel_id,
            text: text_of(message),
        });
        Ok(10_000 + *id)
    }

    async fn edit(&self, channel_id: u64, message_id: u64, message: &Message) -> anyhow::Result<()> {
        self.sent.lock().unwrap().push(Sent::Edit {
            channel: channel_id,
            message: message_id,
            text: text_of(message),
        });
        Ok(())
    }

    async fn delete(&self, _channel_id: u64, _message_id: u64) -> anyhow::Result<()> {
        Ok(())
    }

    async fn pin(&self, _channel_id: u64, _message_id: u64) -> anyhow::Result<()> {
        Ok(())
    }

    async fn start_thread(
        &self,
        _channel_id: u64,
        message_id: u64,
        name: &str,
    ) -> anyhow::Result<Option<u64>> {
        let mut threads = self.threads.lock().unwrap();
        let id = 50_000 + threads.len() as u64;
        threads.push((id, message_id, name.to_owned()));
        Ok(Some(id))
    }

    async fn add_thread_member(&self, thread_id: u64, user_id: u64) -> anyhow::Result<()> {
        self.thread_members.lock().unwrap().push((thread_id, user_id));
        Ok(())
    }

    async fn archive_thread(&self, thread_id: u64) -> anyhow::Result<()> {
        self.archived.lock().unwrap().push(thread_id);
        Ok(())
    }

    async fn dm(&self, user_id: u64, message: &Message) -> Result<(), DmError> {
        if self.closed_dms.lock().unwrap().contains(&user_id) {
            return Err(DmError::Closed);
        }
        if self.failing_dms.lock().unwrap().contains(&user_id) {
            return Err(DmError::Other(anyhow::anyhow!("503 from Discord")));
        }
        self.dm_nonces
            .lock()
            .unwrap()
            .push((user_id, message.nonce.clone()));
        self.sent.lock().unwrap().push(Sent::Dm {
            user: user_id,
            text: text_of(message),
        });
        Ok(())
    }
}
