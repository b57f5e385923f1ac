//! Posting, editing and DMing through Discord's REST API, with retries.

use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serenity::all::{
    AutoArchiveDuration, Channel, ChannelId, CreateScheduledEvent, CreateThread, EditScheduledEvent,
    EditThread, GuildId, Http, MessageId, Nonce, ScheduledEventId, ScheduledEventStatus, ScheduledEventType,
    Timestamp, UserId,
};
use serenity::http::{LightMethod, Request, Route};

use super::build;
use crate::delivery::{DmError, MirrorError, MissingPermission, NativeEvent, Outlet};
use crate::directory::Directory;
use crate::reply::Message;

/// Discord's JSON error code for "Cannot send messages to this user".
const DMS_CLOSED: isize = 50007;
/// Discord's JSON error code for "Missing Permissions".
const MISSING_PERMISSIONS: isize = 50013;

/// Pins on the current route, `PUT /channels/{id}/messages/pins/{message}`
/// (serenity 0.12.5's `pin_message` calls the deprecated
/// `/channels/{id}/pins/{message}`). serenity's `Route` has no variant for
/// it, so the request goes through the route whose last segment is free text,
/// with `../..` segments that URL parsing resolves (RFC 3986): the request
/// keeps serenity's token, proxy, rate limiter and error decoding.
async fn pin_message(http: &Http, channel: ChannelId, message: MessageId) -> serenity::Result<()> {
    let tail = format!("../../pins/{message}");
    let route = Route::ChannelMessageReactionEmoji {
        channel_id: channel,
        message_id: message,
        reaction: &tail,
    };
    http.request(Request::new(route, LightMethod::Put)).await?;
    Ok(())
}

#[derive(Clone)]
pub struct DiscordOutlet {
    pub http: Arc<Http>,
    /// What the gateway told of each server, asked before Discord's REST.
    pub directory: Arc<Directory>,
}

/// A serenity id from one stored or sent by a client: 0, which serenity's
/// `new` panics on, is an error instead.
fn id<T: From<NonZeroU64>>(raw: u64, what: &str) -> anyhow::Result<T> {
    NonZeroU64::new(raw)
        .map(T::from)
        .ok_or_else(|| anyhow::anyhow!("invalid {what} id 0"))
}

fn discord_code(error: &serenity::Error) -> Option<isize> {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.error.code)
        }
        _ => None,
    }
}

fn http_status(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

/// A refusal for lack of permission becomes [`MissingPermission`], which
/// callers tell apart from other failures.
fn refused(error: serenity::Error) -> anyhow::Error {
    if discord_code(&error) == Some(MISSING_PERMISSIONS) {
        tracing::debug!(error = %error, "refused for lack of permission");
        MissingPermission.into()
    } else {
        error.into()
    }
}

/// How many times a send is tried before giving up.
const TRIES: u32 = 4;
/// Waits between tries after a server or network error.
const BACKOFF: Duration = Duration::from_millis(250);
/// The first wait after a 429 (then doubled): serenity's error type keeps
/// neither the body's `retry_after` nor the headers, so this is a safe guess
/// for Discord's per-route windows (5 messages per 5 s in a channel).
const RATE_LIMITED: Duration = Duration::from_secs(2);

/// Whether trying again may help: rate limits (429), Discord's own errors
/// (5xx) and network failures. A 403 or a 404 will not change, and retrying
/// refusals in a loop is how bots get banned by Cloudflare.
fn transient(error: &serenity::Error) -> bool {
    match http_status(error) {
        Some(status) => status == 429 || status >= 500,
        None => matches!(
            error,
            serenity::Error::Http(serenity::http::HttpError::Request(_))
        ),
    }
}

/// How long to wait before trying again after the `attempt`th try failed
/// with `status` (`None`: a network error). serenity drops a 429's
/// `retry_after` when its own limiter is off (it is, behind a proxy, and a
/// proxy answering 429 is rare: it queues); Discord's per-route windows are
/// a few seconds, so rate limits wait longer than other errors.
fn pause_before_retry(status: Option<u16>, attempt: u32) -> Duration {
    let base = if status == Some(429) {
        RATE_LIMITED
    } else {
        BACKOFF
    };
    base * 2u32.pow(attempt.saturating_sub(1))
}

/// Runs a REST call, retrying transient failures with backoff. With a proxy
/// serenity's own rate limiter is off, so a 429 reaches us here.
async fn with_retry<T, F, Fut>(what: &str, mut call: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = serenity::Result<T>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Ok(value) => return Ok(value),
            Err(error) if attempt < TRIES && transient(&error) => {
                let wait = pause_before_retry(http_status(&error), attempt);
                tracing::warn!(what, attempt, error = %error, "transient Discord error; retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// A nonce for one logical message: Discord drops a second message with the
/// same nonce (`enforce_nonce`), so a retry after a lost answer cannot post
/// twice.
fn nonce() -> Nonce {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    Nonce::String(
        format!("r{:x}{:x}", nanos, count & 0xffff)
            .chars()
            .take(25)
            .collect(),
    )
}

/// The message's own nonce when it must be idempotent across restarts (a
/// job's delivery, [`Message::once`]), else a fresh one.
fn nonce_for(message: &Message) -> Nonce {
    match &message.nonce {
        Some(fixed) => Nonce::String(fixed.clone()),
        None => nonce(),
    }
}

fn new_message(message: &Message, nonce: &Nonce) -> serenity::all::CreateMessage {
    build::create_message(message)
        .nonce(nonce.clone())
        .enforce_nonce(true)
}

impl Outlet for DiscordOutlet {
    async fn mirror(
        &self,
        guild_id: u64,
        existing: Option<u64>,
        event: &NativeEvent,
    ) -> Result<Option<u64>, MirrorError> {
        let guild: GuildId = id(guild_id, "server")?;
        let result = match existing.and_then(NonZeroU64::new) {
            Some(native) => {
                let native = ScheduledEventId::from(native);
                let mut edit = EditScheduledEvent::new()
                    .name(&event.name)
                    .description(&event.description)
                    .location(&event.location)
                    .start_time(Timestamp::from(event.starts_at))
                    .end_time(Timestamp::from(event.ends_at));
                if event.cancelled {
                    edit = edit.status(ScheduledEventStatus::Canceled);
                }
                with_retry("edit scheduled event", || {
                    guild.edit_scheduled_event(&self.http, native, edit.clone())
                })
                .await
            }
            None => {
                let create = CreateScheduledEvent::new(
                    ScheduledEventType::External,
                    &event.name,
                    Timestamp::from(event.starts_at),
                )
                .end_time(Timestamp::from(event.ends_at))
                .location(&event.location)
                .description(&event.description);
                with_retry("create scheduled event", || {
                    guild.create_scheduled_event(&self.http, create.clone())
                })
                .await
            }
        };
        match result {
            Ok(native) => Ok(Some(native.id.get())),
            Err(error) if http_status(&error) == Some(403) => Err(MirrorError::MissingPermission),
            Err(error) => Err(MirrorError::Other(error.into())),
        }
    }

    async fn channel_guild(&self, channel_id: u64) -> anyhow::Result<Option<u64>> {
        if let Some(guild) = self.directory.channel_guild(channel_id) {
            return Ok(Some(guild));
        }
        let channel: ChannelId = id(channel_id, "channel")?;
        match with_retry("get channel", || channel.to_channel(&self.http)).await {
            Ok(Channel::Guild(channel)) => {
                self.directory.add_channel(channel.guild_id.get(), channel_id);
                Ok(Some(channel.guild_id.get()))
            }
            Ok(_) => Ok(None),
            // Unknown, or hidden from the bot: not a channel it may post to.
            Err(error) if matches!(http_status(&error), Some(403 | 404)) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn role_in_guild(&self, guild_id: u64, role_id: u64) -> anyhow::Result<bool> {
        if let Some(guild) = self.directory.role_guild(role_id) {
            return Ok(guild == guild_id);
        }
        let guild: GuildId = id(guild_id, "server")?;
        match with_retry("get roles", || guild.roles(&self.http)).await {
            Ok(roles) => Ok(roles.keys().any(|role| role.get() == role_id)),
            Err(error) if matches!(http_status(&error), Some(403 | 404)) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    async fn post(&self, channel_id: u64, message: &Message) -> anyhow::Result<u64> {
        let channel: ChannelId = id(channel_id, "channel")?;
        let nonce = nonce_for(message);
        let sent = with_retry("post", || {
            channel.send_message(&self.http, new_message(message, &nonce))
        })
        .await?;
        Ok(sent.id.get())
    }

    async fn edit(&self, channel_id: u64, message_id: u64, message: &Message) -> anyhow::Result<()> {
        let channel: ChannelId = id(channel_id, "channel")?;
        let message_id: MessageId = id(message_id, "message")?;
        with_retry("edit", || {
            channel.edit_message(&self.http, message_id, build::edit_message(message))
        })
        .await?;
        Ok(())
    }

    async fn delete(&self, channel_id: u64, message_id: u64) -> anyhow::Result<()> {
        let (channel, message): (ChannelId, MessageId) =
            (id(channel_id, "channel")?, id(message_id, "message")?);
        with_retry("delete", || self.http.delete_message(channel, message, None)).await?;
        Ok(())
    }

    async fn pin(&self, channel_id: u64, message_id: u64) -> anyhow::Result<()> {
        let (channel, message): (ChannelId, MessageId) =
            (id(channel_id, "channel")?, id(message_id, "message")?);
        match with_retry("pin", || pin_message(&self.http, channel, message)).await {
            Ok(()) => Ok(()),
            Err(error) if discord_code(&error) == Some(MISSING_PERMISSIONS) => {
                tracing::debug!(error = %error, "pin refused");
                Err(MissingPermission.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    async fn start_thread(
        &self,
        channel_id: u64,
        message_id: u64,
        name: &str,
    ) -> anyhow::Result<Option<u64>> {
        let (channel, message): (ChannelId, MessageId) =
            (id(channel_id, "channel")?, id(message_id, "message")?);
        // A week without messages before Discord hides it; the bot archives
        // it itself a day after the event.
        let builder = CreateThread::new(name).auto_archive_duration(AutoArchiveDuration::OneWeek);
        let thread = with_retry("start thread", || {
            channel.create_thread_from_message(&self.http, message, builder.clone())
        })
        .await
        .map_err(refused)?;
        Ok(Some(thread.id.get()))
    }

    async fn add_thread_member(&self, thread_id: u64, user_id: u64) -> anyhow::Result<()> {
        let (thread, user): (ChannelId, UserId) = (id(thread_id, "thread")?, id(user_id, "user")?);
        with_retry("add thread member", || thread.add_thread_member(&self.http, user))
            .await
            .map_err(refused)
    }

    async fn archive_thread(&self, thread_id: u64) -> anyhow::Result<()> {
        let thread: ChannelId = id(thread_id, "thread")?;
        with_retry("archive thread", || {
            thread.edit_thread(&self.http, EditThread::new().archived(true))
        })
        .await
        .map(|_| ())
        .map_err(refused)
    }

    async fn dm(&self, user_id: u64, message: &Message) -> Result<(), DmError> {
        // An erased member's id is 0: there is nobody to write to.
        let user: UserId = id(user_id, "user")?;
        let nonce = nonce_for(message);
        let send = async {
            let channel = with_retry("open DM", || user.create_dm_channel(&self.http)).await?;
            with_retry("DM", || {
                channel.id.send_message(&self.http, new_message(message, &nonce))
            })
            .await
        };
        match send.await {
            Ok(_) => Ok(()),
            Err(error) if discord_code(&error) == Some(DMS_CLOSED) => Err(DmError::Closed),
            Err(error) => Err(DmError::Other(error.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_pause_two_seconds_then_double_and_errors_a_quarter() {
        let waits = |status| {
            (1..TRIES)
                .map(|n| pause_before_retry(status, n))
                .collect::<Vec<_>>()
        };
        let ms = Duration::from_millis;
        assert_eq!(waits(Some(429)), [ms(2_000), ms(4_000), ms(8_000)]);
        assert_eq!(waits(Some(502)), [ms(250), ms(500), ms(1_000)]);
        assert_eq!(waits(None), [ms(250), ms(500), ms(1_000)]);
    }
}
