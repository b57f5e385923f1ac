//! One module per command: (state, context, parsed invocation) → Reply.
//! No serenity types here; the adapter and the console translate.

mod agenda;
pub mod announce;
mod autocomplete;
mod calendar;
mod call;
mod command;
mod event;
mod event_change;
mod event_from;
mod fields;
pub mod intro;
pub mod intro_draft;
mod invocation;
mod member;
mod poll;
mod poll_complete;
mod privacy;
mod report;
mod rsvp;
mod setup;
pub mod setup_check;
mod setup_public;
mod setup_threads;

pub use call::Call;
pub use command::{Command, EventSub, MemberSub, PollSub, PrivacySub, RemindersSub, SetupSub};
pub use invocation::{Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions};

use crate::domain::custom_id::ComponentId;
use crate::domain::Lang;
use crate::error::AppError;
use crate::reply::{Body, Reply};
use crate::state::AppState;
use tracing::Instrument;

/// Runs one interaction to its reply. Never fails: refusals become a private
/// translated message, internal errors are logged with their cause and
/// answered with a generic apology.
pub async fn handle(state: &AppState, ctx: &Context, invocation: Invocation) -> Reply {
    // `instrument`, not `span.enter()`: a guard held across `.await` would
    // tag whatever else runs on this thread meanwhile with this interaction.
    let span = tracing::info_span!(
        "interaction",
        guild = ctx.guild_id,
        user = ctx.caller.user_id,
        what = invocation.label()
    );
    answer(state, ctx, invocation).instrument(span).await
}

async fn answer(state: &AppState, ctx: &Context, invocation: Invocation) -> Reply {
    crate::metrics::inc(&crate::metrics::INTERACTIONS);
    let settings = match state.settings.get(&state.pool, ctx.guild_id).await {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!(error = %error, "could not read settings");
            let lang = ctx
                .caller
                .locale
                .as_deref()
                .map(Lang::from_locale)
                .unwrap_or(Lang::Fr);
            return Reply::private_text(state.i18n.t(lang, "error-internal", &[]));
        }
    };
    let call = Call::new(state, ctx, settings);
    remember_locale(state, ctx, &invocation);
    let is_autocomplete = matches!(invocation, Invocation::Autocomplete { .. });
    let result = match invocation {
        Invocation::Command {
            command,
            sub,
            options,
        } => run_command(&call, command, sub.as_deref(), &options).await,
        Invocation::Autocomplete {
            command,
            sub,
            focused,
            options,
        } => autocomplete::run(&call, command, sub.as_deref(), &focused, &options).await,
        Invocation::Component { custom_id } => run_component(&call, &custom_id).await,
        Invocation::Modal { custom_id, fields } => run_modal(&call, &custom_id, &fields).await,
        Invocation::UserMenu {
            target_id,
            target_name,
        } => member::show(&call, target_id, &target_name).await,
    };
    match result {
        Ok(reply) => reply,
        // Autocomplete cannot show a message; an empty list is the answer,
        // and the failure is logged like any other.
        Err(error) if is_autocomplete => {
            match error {
                AppError::User { key, .. } => tracing::debug!(key, "autocomplete refused"),
                error => {
                    tracing::error!(error = ?anyhow::Error::from(error), "autocomplete failed");
                    crate::metrics::inc(&crate::metrics::INTERACTION_ERRORS);
                }
            }
            Reply {
                body: Body::Choices(Vec::new()),
                effects: Vec::new(),
            }
        }
        Err(AppError::User { key, args }) => Reply::private_text(call.t(key, &args)),
        Err(error) => {
            tracing::error!(error = ?anyhow::Error::from(error), "handler failed");
            crate::metrics::inc(&crate::metrics::INTERACTION_ERRORS);
            Reply::private_text(call.t("error-internal", &[]))
        }
    }
}

/// Notes the language the member's Discord speaks, for their DMs: a map
/// lookup, written later by the job runner only when it changed. Not from
/// `/privacy`, whose erasure must not be followed by a new row.
fn remember_locale(state: &AppState, ctx: &Context, invocation: &Invocation) {
    let privacy = match invocation {
        Invocation::Command { command, .. } => *command == CommandName::Privacy,
        Invocation::Component { custom_id } => custom_id.starts_with("privacy:"),
        _ => false,
    };
    let locale = ctx.caller.locale.as_deref().filter(|l| !l.is_empty());
    if let (Some(locale), false) = (locale, privacy) {
        state
            .locales
            .observe(ctx.guild_id, ctx.caller.user_id, Lang::from_locale(locale));
    }
}

async fn run_command(
    call: &Call<'_>,
    name: CommandName,
    sub: Option<&str>,
    options: &Options,
) -> Result<Reply, AppError> {
    let Some(command) = Command::resolve(name, sub) else {
        tracing::warn!(command = name.as_str(), sub, "unknown subcommand");
        return Err(AppError::user("error-bad-invocation"));
    };
    match command {
        Command::Agenda => agenda::run(call, options).await,
        Command::Event(EventSub::Create) => event::create(call, options).await,
        Command::Event(EventSub::Edit) => event_change::edit(call, options).await,
        Command::Event(EventSub::Cancel) => event_change::cancel(call, options).await,
        Command::Event(EventSub::Show) => event::show(call, options).await,
        Command::Event(EventSub::Attendees) => event::attendees(call, options).await,
        Command::Event(EventSub::CheckIn) => rsvp::check_in_member(call, options).await,
        Command::Rsvp => rsvp::command(call, options).await,
        Command::Intro => intro::open_form(call).await,
        Command::Member(sub) => member::run(call, sub, options).await,
        Command::Introduction => match options.user("user") {
            Some((id, name)) => member::show(call, id, name).await,
            None => Err(AppError::user("error-bad-invocation")),
        },
        Command::Announce => announce::open_form(call, options).await,
        Command::Calendar => calendar::run(call, options).await,
        Command::Reminders(sub) => setup::reminders_pref(call, sub).await,
        Command::Privacy(sub) => privacy::run(call, sub).await,
        Command::Report => report::run(call, options).await,
        Command::Setup(sub) => setup::run(call, sub, options).await,
        Command::Poll(sub) => poll::run(call, sub, options).await,
    }
}

async fn run_component(call: &Call<'_>, custom_id: &str) -> Result<Reply, AppError> {
    let Some(id) = ComponentId::decode(custom_id) else {
        tracing::warn!(custom_id, "unknown component id");
        return Err(AppError::user("error-stale-button"));
    };
    match id {
        ComponentId::Rsvp { event_id, choice } => rsvp::button(call, event_id, choice).await,
        ComponentId::CheckIn { event_id } => rsvp::check_in(call, event_id).await,
        ComponentId::AgendaPage { period, page } => agenda::page(call, period, page).await,
        ComponentId::SearchPage { page, query } => member::search_page(call, &query, page, true).await,
        ComponentId::IntroOpen => intro::open_form(call).await,
        ComponentId::PrivacyDelete => privacy::confirm_delete(call).await,
        ComponentId::PrivacyCancel => Ok(privacy::cancel_delete(call)),
        ComponentId::PollAnswer {
            poll_id,
            position,
            answer,
        } => poll::tap(call, poll_id, position, answer).await,
        ComponentId::IntroForm | ComponentId::AnnounceForm { .. } => {
            Err(AppError::user("error-stale-button"))
        }
    }
}

async fn run_modal(call: &Call<'_>, custom_id: &str, fields: &[(String, String)]) -> Result<Reply, AppError> {
    match ComponentId::decode(custom_id) {
        Some(ComponentId::IntroForm) => intro::submit(call, fields).await,
        Some(ComponentId::AnnounceForm { token }) => announce::submit(call, &token, fields).await,
        _ => {
            tracing::warn!(custom_id, "unknown form id");
            Err(AppError::user("error-stale-button"))
        }
    }
}
