//! The serenity adapter: gateway events → invocations, Reply → Discord.
//! Components are handled here in the global interaction handler (never in
//! collectors), so buttons on old cards work after a restart.

pub mod access;
pub mod build;
pub mod convert;
mod identify_gate;
pub mod outlet;
mod presence;
pub mod register;
mod servers;
pub mod shards;

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serenity::all::{
    Client, ClientBuilder, Context as SerenityContext, CreateInteractionResponse,
    CreateInteractionResponseMessage, EventHandler, GatewayIntents, Guild, GuildChannel, GuildId, Http,
    HttpBuilder, Interaction, Member, Message as SerenityMessage, PartialGuild, Ready, Role, RoleId,
    UnavailableGuild, User,
};
use serenity::gateway::{ConnectionStage, ShardStageUpdateEvent};
use tokio::sync::{Notify, OnceCell};
use tokio_util::task::TaskTracker;

use crate::config::{Config, Secret};
use crate::delivery;
use crate::domain::Lang;
use crate::handlers;
use crate::reply::{Body, Effect, Message};
use crate::state::AppState;
use crate::store;
use outlet::{CardRefresher, DiscordOutlet};

/// Past this, a reply is deferred ("thinking…") and sent when ready, well
/// within Discord's 3-second deadline.
const DEFER_AFTER: Duration = Duration::from_millis(1_500);
/// How long a shutdown waits for the gateway connection to close.
const GATEWAY_GRACE: Duration = Duration::from_secs(3);
/// Gateway dispatches replayed after a resume are recognised by id.
const SEEN_INTERACTIONS: usize = 4_096;

/// REST client: with `DISCORD_PROXY`, every call (and the gateway URL
/// lookup) goes to the proxy, which does the rate limiting — serenity
/// ignores the proxy unless its own rate limiter is off.
pub fn http_client(token: &Secret, proxy: Option<&str>) -> Http {
    let builder = HttpBuilder::new(token.expose());
    match proxy {
        Some(base) => builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    }
}

/// Interactions arrive whatever the intents; GUILDS keeps the session alive.
/// The privileged Server Members intent only when the welcome is on.
pub fn intents(welcome: bool) -> GatewayIntents {
    if welcome {
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MEMBERS
    } else {
        GatewayIntents::GUILDS
    }
}

struct Handler {
    state: AppState,
    register_guild: Option<u64>,
    welcome: bool,
    tracker: TaskTracker,
    refresher: Arc<CardRefresher>,
    /// The background tasks started at the first READY, stopped at shutdown.
    started: Arc<OnceCell<Background>>,
    seen: Mutex<Seen>,
    /// Wakes the job runner after an interaction may have scheduled something.
    jobs_wake: Arc<Notify>,
    /// Asks the job runner to stop after the job under way.
    stop_jobs: Arc<tokio::sync::watch::Sender<bool>>,
}

struct Background {
    outlet: DiscordOutlet,
    tasks: Vec<tokio::task::AbortHandle>,
    runner: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// The most recent interaction ids, in arrival order and for lookup.
#[derive(Default)]
struct Seen {
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
        let work = answer(
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

/// serenity's rate limiter keeps one bucket per interaction callback (keyed
/// by interaction id) and never drops them; without pruning, memory grows
/// with every click. Buckets whose window has passed carry no information.
async fn prune_ratelimits(http: Arc<Http>) {
    let Some(ratelimiter) = http.ratelimiter.as_ref() else {
        return; // a proxy does the rate limiting
    };
    let routes = ratelimiter.routes();
    loop {
        tokio::time::sleep(Duration::from_secs(300)).await;
        let now = std::time::SystemTime::now();
        let mut map = routes.write().await;
        let before = map.len();
        map.retain(|_, bucket| match bucket.try_lock() {
            Ok(limit) => limit.reset().is_some_and(|reset| reset > now),
            Err(_) => true, // in use right now
        });
        tracing::debug!(before, after = map.len(), "rate-limit buckets pruned");
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

/// The private reply for interactions outside a server (every command but
/// `/privacy` is guild-only, but a forged or stale one may still arrive).
fn outside_guild(state: &AppState, interaction: &Interaction) -> Option<CreateInteractionResponse> {
    let locale = match interaction {
        Interaction::Command(c) => &c.locale,
        Interaction::Component(c) => &c.locale,
        Interaction::Modal(m) => &m.locale,
        _ => return None,
    };
    let text = state.i18n.t(Lang::from_locale(locale), "error-guild-only", &[]);
    Some(CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true),
    ))
}

async fn answer(state: AppState, http: Arc<Http>, refresher: Arc<CardRefresher>, interaction: Interaction) {
    let Some((mut ctx, invocation)) = convert::invocation(&interaction) else {
        tracing::warn!(kind = ?interaction.kind(), "interaction not handled");
        if let Some(response) = outside_guild(&state, &interaction) {
            if let Err(error) = respond(&http, &interaction, response).await {
                tracing::warn!(error = ?error, "could not answer an unhandled interaction");
            }
        }
        return;
    };
    let bits = servers::permissions(&state, &http, &ctx).await;
    ctx.caller.permissions = handlers::Permissions::from_bits(bits);
    // Modals and autocomplete cannot be deferred: they must answer at once.
    let can_defer = matches!(
        interaction,
        Interaction::Command(_) | Interaction::Modal(_) | Interaction::Component(_)
    );
    // Files are built from the whole year or everything held about a member:
    // say "thinking…" at once rather than race the 3-second deadline.
    let defer_at_once = matches!(&interaction, Interaction::Command(c) if handlers::CommandName::from_name(&c.data.name).is_some_and(handlers::CommandName::defers_at_once));
    let task_state = state.clone();
    let mut task = tokio::spawn(async move { handlers::handle(&task_state, &ctx, invocation).await });
    let quick = if defer_at_once || !can_defer {
        None
    } else {
        tokio::time::timeout(DEFER_AFTER, &mut task).await.ok()
    };
    let deferred = quick.is_none() && can_defer;
    if deferred {
        let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
        if let Err(error) = respond(&http, &interaction, defer).await {
            tracing::error!(error = ?error, "could not defer");
        }
    }
    let reply = match quick {
        Some(done) => done,
        None => task.await,
    };
    let reply = match reply {
        Ok(reply) => reply,
        Err(error) => {
            tracing::error!(error = ?error, "handler task failed");
            return;
        }
    };
    let sent = match (&reply.body, deferred) {
        (Body::Message(message) | Body::Update(message), true) => {
            edit_deferred(&http, &interaction, message).await
        }
        (body, _) => respond(&http, &interaction, build::response(body)).await,
    };
    if let Err(error) = sent {
        tracing::error!(error = ?error, "could not answer the interaction");
    }
    deliver(&state, &http, &refresher, reply.effects).await;
}

async fn respond(
    http: &Http,
    interaction: &Interaction,
    response: CreateInteractionResponse,
) -> serenity::Result<()> {
    match interaction {
        Interaction::Command(i) | Interaction::Autocomplete(i) => i.create_response(http, response).await,
        Interaction::Component(i) => i.create_response(http, response).await,
        Interaction::Modal(i) => i.create_response(http, response).await,
        _ => Ok(()),
    }
}

async fn edit_deferred(http: &Http, interaction: &Interaction, message: &Message) -> serenity::Result<()> {
    let edit = build::edit_response(message);
    match interaction {
        Interaction::Command(i) => i.edit_response(http, edit).await.map(drop),
        Interaction::Component(i) => i.edit_response(http, edit).await.map(drop),
        Interaction::Modal(i) => i.edit_response(http, edit).await.map(drop),
        _ => Ok(()),
    }
}

/// Card refreshes go to the coalescing refresher; everything else is sent
/// now. A card that a mirror will link to (a created or edited event) is
/// rendered at once, so the link exists.
async fn deliver(state: &AppState, http: &Arc<Http>, refresher: &CardRefresher, effects: Vec<Effect>) {
    let mirrored: Vec<i64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::MirrorEvent { event_id } => Some(*event_id),
            _ => None,
        })
        .collect();
    let mut now = Vec::new();
    for effect in effects {
        match effect {
            Effect::RefreshCard { event_id } if !mirrored.contains(&event_id) => {
                refresher.mark(delivery::Card::Event(event_id)).await
            }
            Effect::RefreshPoll { poll_id } => refresher.mark(delivery::Card::Poll(poll_id)).await,
            other => now.push(other),
        }
    }
    if !now.is_empty() {
        let outlet = DiscordOutlet {
            http: http.clone(),
            directory: state.directory.clone(),
        };
        delivery::deliver(state, &outlet, now).await;
    }
}

/// Connects and serves until SIGTERM or Ctrl-C, then lets in-flight replies
/// finish.
pub async fn run(config: &Config, state: AppState) -> anyhow::Result<()> {
    serve(config, state, shutdown_signal()).await
}

/// Connects and serves until `shutdown` completes (a signal in production,
/// a test's trigger otherwise), then lets in-flight replies finish.
pub async fn serve(
    config: &Config,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let token = config.token.clone().ok_or_else(|| {
        anyhow::anyhow!("DISCORD_TOKEN is not set: see README.md, \"Creating the Discord application\"")
    })?;
    shards::check(config)?;
    // `/setup check` reads permissions over REST with a client of its own.
    let probe = access::DiscordAccess {
        http: Arc::new(http_client(&token, config.proxy.as_deref())),
    };
    let state = state.with_access(Arc::new(probe));
    let tracker = TaskTracker::new();
    let started = Arc::new(OnceCell::new());
    let stop_jobs = Arc::new(tokio::sync::watch::channel(false).0);
    let refresher = Arc::new(CardRefresher::default());
    let handler = Handler {
        state: state.clone(),
        register_guild: config.guild,
        welcome: config.welcome,
        tracker: tracker.clone(),
        refresher: refresher.clone(),
        started: started.clone(),
        seen: Mutex::new(Seen::default()),
        jobs_wake: state.jobs_wake.clone(),
        stop_jobs: stop_jobs.clone(),
    };
    // The shutdown future is polled from the start, so a SIGTERM is heard
    // even while Discord has not answered yet (building the client asks it
    // for the gateway's address; connecting may never succeed).
    let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stopping_tx.send(true);
    });
    let stopped = |mut stopping: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let http = http_client(&token, config.proxy.as_deref());
    let built = ClientBuilder::new_with_http(http, intents(config.welcome)).event_handler(handler);
    let mut client: Client = tokio::select! {
        client = built => client?,
        _ = stopped(stopping.clone()) => return Ok(()),
    };
    let shards = client.shard_manager.clone();
    let asked = stopped(stopping.clone());
    tokio::spawn(async move {
        asked.await;
        shards.shutdown_all().await;
    });
    // A gateway that never connected may not notice the shutdown: past a
    // grace period, stop waiting for it.
    let gave_up = async {
        stopped(stopping.clone()).await;
        tokio::time::sleep(GATEWAY_GRACE).await;
    };
    tokio::select! {
        started = shards::start(&mut client, config, &state.pool) => started?,
        _ = gave_up => tracing::warn!("the gateway did not close in time; stopping anyway"),
    }
    tracker.close();
    if tokio::time::timeout(Duration::from_secs(10), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some replies were still running at shutdown");
    }
    // Let the runner finish its job under way, stop the refresher, and
    // leave every card showing its final counts.
    if let Some(background) = started.get() {
        let _ = stop_jobs.send(true);
        if let Some(runner) = background.runner.lock().await.take() {
            if tokio::time::timeout(Duration::from_secs(30), runner)
                .await
                .is_err()
            {
                tracing::warn!("the job runner did not stop in time; its job will be claimed again");
            }
        }
        for task in &background.tasks {
            task.abort();
        }
        refresher.flush(&state, &background.outlet).await;
    }
    Ok(())
}

/// SIGTERM (systemd stop) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(error) => {
                tracing::warn!(error = %error, "no SIGTERM handler");
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// `rencontre register`: pushes the definitions now, whatever was registered.
pub async fn register_now(
    config: &Config,
    pool: &crate::store::Db,
    guild: Option<u64>,
) -> anyhow::Result<()> {
    let token = config
        .token
        .clone()
        .ok_or_else(|| anyhow::anyhow!("DISCORD_TOKEN is not set"))?;
    let http = http_client(&token, config.proxy.as_deref());
    let app = http.get_current_application_info().await?;
    http.set_application_id(app.id);
    register::register(&http, pool, guild, true).await?;
    Ok(())
}
