//! serenity's event handler: what each gateway event does. Interactions go
//! to [`super::answer`]; server, role, channel and member events keep the
//! directory and the server records current; READY starts the background
//! tasks once.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serenity::all::{
    Context as SerenityContext, EventHandler, Guild, GuildChannel, GuildId, Interaction, Member,
    Message as SerenityMessage, PartialGuild, Ready, Role, RoleId, UnavailableGuild, User,
};
use serenity::gateway::{ConnectionStage, ShardStageUpdateEvent};
use tokio::sync::{Notify, OnceCell};
use tokio_util::task::TaskTracker;

use super::outlet::DiscordOutlet;
use super::refresher::CardRefresher;
use super::{presence, prune_ratelimits, register, servers};
use crate::delivery;
use crate::state::AppState;
use crate::store;

/// Gateway dispatches replayed after a resume are recognised by id.
const SEEN_INTERACTIONS: usize = 4_096;

pub(super) struct Handler {
    pub(super) state: AppState,
    pub(super) register_guild: Option<u64>,
    pub(super) welcome: bool,
    pub(super) tracker: TaskTracker,
    pub(super) refresher: Arc<CardRefresher>,
    /// The background tasks started at the first READY, stopped at shutdown.
    pub(super) started: Arc<OnceCell<Background>>,
    pub(super) seen: Mutex<Seen>,
    /// Wakes the job runner after an interaction may have scheduled something.
    pub(super) jobs_wake: Arc<Notify>,
    /// Asks the job runner to stop after the job under way.
    pub(super) stop_jobs: Arc<tokio::sync::watch::Sender<bool>>,
}

pub(super) struct Background {
    pub(super) outlet: DiscordOutlet,
    pub(super) tasks: Vec<tokio::task::AbortHandle>,
    pub(super) runner: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// The most recent interaction ids, in arrival order and for lookup.
#[derive(Default)]
pub(super) struct Seen {
    order: VecDeque<u64>,
    ids: HashSet<u64>,
}

impl Handler {
    /// Whether this interaction id was already handled (a replayed dispatch).
    fn already_seen(&self, id: u64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if !seen.ids.insert(id) {
            return true;
        }
        seen.order.push_back(id);
        if seen.order.len() > SEEN_INTERACTIONS {
            if let Some(oldest) = seen.order.pop_front() {
                seen.ids.remove(&oldest);
            }
        }
        false
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: SerenityContext, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
        presence::compare_with_ready(&self.state, &ready).await;
        let state = self.state.clone();
        let refresher = self.refresher.clone();
        let register_guild = self.register_guild;
        let jobs_wake = self.jobs_wake.clone();
        let stop_jobs = self.stop_jobs.subscribe();
        self.started
            .get_or_init(|| async move {
                let outlet = DiscordOutlet {
                    http: ctx.http.clone(),
                    directory: state.directory.clone(),
                };
                let tasks = vec![
                    tokio::spawn(refresher.run(state.clone(), outlet.clone())).abort_handle(),
                    tokio::spawn(prune_ratelimits(ctx.http.clone())).abort_handle(),
                ];
                let runner = tokio::spawn(crate::jobs::supervise(
                    state.clone(),
                    outlet.clone(),
                    jobs_wake,
                    stop_jobs,
                ));
                register::register_once(&ctx.http, &state, register_guild).await;
                Background {
                    outlet,
                    tasks,
                    runner: tokio::sync::Mutex::new(Some(runner)),
                }
            })
            .await;
    }

    async fn shard_stage_update(&self, _ctx: SerenityContext, event: ShardStageUpdateEvent) {
        let was = matches!(event.old, ConnectionStage::Connected);
        let is = matches!(event.new, ConnectionStage::Connected);
        if is && !was {
            crate::metrics::inc(&crate::metrics::GATEWAY_CONNECTED);
        } else if was && !is {
            crate::metrics::dec(&crate::metrics::GATEWAY_CONNECTED);
        }
        tracing::info!(shard = event.shard_id.0, from = ?event.old, to = ?event.new, "gateway connection");
    }

    async fn interaction_create(&self, ctx: SerenityContext, interaction: Interaction) {
        if self.already_seen(interaction.id().get()) {
            tracing::debug!(id = %interaction.id(), "interaction replayed; ignored");
            return;
        }
        // Another process sharing the database may have it too (shards
        // moving): the first to record it answers. On error, answer.
        match crate::store::interactions::first_sighting(
            &self.state.pool,
            interaction.id().get(),
            self.state.now(),
        )
        .await
        {
            Ok(true) => {}
            Ok(false) => {
                crate::metrics::inc(&crate::metrics::INTERACTIONS_ELSEWHERE);
                tracing::debug!(id = %interaction.id(), "interaction answered by another process; ignored");
                return;
            }
            Err(error) => tracing::warn!(error = ?error, "could not record the interaction; answering it"),
        }
        // Commands and forms may schedule something (an event's reminders,
        // an announcement) or make it due; clicks and autocomplete never do,
        // and waking the runner on each click of a storm would make it
        // compete with them for the write lock.
        let may_schedule = matches!(interaction, Interaction::Command(_) | Interaction::Modal(_));
        let work = super::answer::answer(
            self.state.clone(),
            ctx.http.clone(),
            self.refresher.clone(),
            interaction,
        );
        self.tracker.track_future(work).await;
        if may_schedule {
            self.jobs_wake.notify_one();
        }
    }

    async fn guild_create(&self, _ctx: SerenityContext, guild: Guild, _is_new: Option<bool>) {
        servers::created(&self.state.directory, &guild);
        if let Err(error) = store::guilds::present(&self.state.pool, guild.id.get()).await {
            tracing::error!(error = ?error, "could not note the server as present");
        }
    }

    /// `unavailable` means an outage; otherwise the bot was removed, and the
    /// server's data is purged after a grace period.
    async fn guild_delete(&self, _ctx: SerenityContext, incomplete: UnavailableGuild, _full: Option<Guild>) {
        if incomplete.unavailable {
            return;
        }
        tracing::info!(guild = %incomplete.id, "removed from a server; its data will be purged after the grace period");
        self.state.directory.forget(incomplete.id.get());
        if let Err(error) = store::guilds::left(&self.state.pool, incomplete.id.get(), self.state.now()).await
        {
            tracing::error!(error = ?error, "could not note the removal");
        }
    }

    /// Only arrives with the privileged Server Members intent (on with
    /// `RENCONTRE_WELCOME=1`): a member who leaves loses their calendar links.
    async fn guild_member_removal(
        &self,
        _ctx: SerenityContext,
        guild_id: GuildId,
        user: User,
        _member: Option<Member>,
    ) {
        presence::member_left(&self.state, guild_id.get(), user.id.get()).await;
    }

    async fn guild_update(&self, _ctx: SerenityContext, _old: Option<Guild>, new: PartialGuild) {
        servers::updated(&self.state.directory, &new);
    }

    async fn guild_role_create(&self, _ctx: SerenityContext, role: Role) {
        servers::role_changed(&self.state.directory, &role);
    }

    async fn guild_role_update(&self, _ctx: SerenityContext, _old: Option<Role>, role: Role) {
        servers::role_changed(&self.state.directory, &role);
    }

    async fn guild_role_delete(
        &self,
        _ctx: SerenityContext,
        guild: GuildId,
        role: RoleId,
        _old: Option<Role>,
    ) {
        self.state.directory.remove_role(guild.get(), role.get());
    }

    async fn channel_create(&self, _ctx: SerenityContext, channel: GuildChannel) {
        servers::channel_created(&self.state.directory, &channel);
    }

    async fn thread_create(&self, _ctx: SerenityContext, thread: GuildChannel) {
        servers::channel_created(&self.state.directory, &thread);
    }

    async fn channel_delete(
        &self,
        _ctx: SerenityContext,
        channel: GuildChannel,
        _messages: Option<Vec<SerenityMessage>>,
    ) {
        self.state.directory.remove_channel(channel.id.get());
    }

    async fn guild_member_addition(&self, ctx: SerenityContext, member: Member) {
        if !self.welcome || member.user.bot {
            return;
        }
        let state = self.state.clone();
        let outlet = DiscordOutlet {
            http: ctx.http.clone(),
            directory: state.directory.clone(),
        };
        self.tracker
            .track_future(async move {
                if let Err(error) =
                    welcome(&state, &outlet, member.guild_id.get(), member.user.id.get()).await
                {
                    tracing::error!(error = ?error, "could not greet a new member");
                }
            })
            .await;
    }
}

async fn welcome(
    state: &AppState,
    outlet: &DiscordOutlet,
    guild_id: u64,
    user_id: u64,
) -> anyhow::Result<()> {
    let settings = store::settings::get(&state.pool, guild_id).await?;
    let Some(channel) = settings.intro_channel else {
        return Ok(());
    };
    let mut message = crate::views::intro::intro_button_message(&state.i18n, settings.language);
    message.content = Some(state.i18n.t(
        settings.language,
        "welcome-text",
        &[("user", crate::i18n::Arg::Str(format!("<@{user_id}>")))],
    ));
    delivery::Outlet::post(outlet, channel, &message).await?;
    Ok(())
}
