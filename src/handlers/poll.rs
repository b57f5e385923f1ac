//! `/poll create|show|close` and the poll card's buttons.

use super::PollSub;
use super::{fields, Call, Options};
use crate::domain::limits::{DESCRIPTION_MAX, TITLE_MAX};
use crate::domain::poll::{leading, split_dates, Answer, MAX_DATES, MIN_DATES};
use crate::domain::poll::{NewPoll, Poll, PollDate};
use crate::domain::when;
use crate::error::{AppError, AppResult};
use crate::i18n::{arg, num};
use crate::reply::{Effect, Reply};
use crate::store::polls::{self, Becomes, Tapped};
use crate::views::poll::{closed_text, my_answers, poll_details};
use crate::views::timestamp;

pub async fn run(call: &Call<'_>, sub: PollSub, options: &Options) -> AppResult<Reply> {
    match sub {
        PollSub::Create => create(call, options).await,
        PollSub::Show => show(call, options).await,
        PollSub::Close => close(call, options).await,
    }
}

/// Reads every part of `dates`, each by `/event create`'s grammar, into
/// dates in order. Refuses the whole poll, naming the part, at the first
/// part that is unreadable or past, and refuses one date, more than ten,
/// or the same moment twice.
pub(super) fn read_dates(call: &Call<'_>, input: &str) -> AppResult<Vec<PollDate>> {
    let parts = split_dates(input);
    if parts.len() < MIN_DATES {
        return Err(AppError::user("error-poll-too-few-dates"));
    }
    if parts.len() > MAX_DATES {
        return Err(AppError::user_with(
            "error-poll-too-many-dates",
            vec![("count", num(parts.len() as i64)), ("max", num(MAX_DATES as i64))],
        ));
    }
    let mut read: Vec<(&str, PollDate)> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let span = fields::future_span(call, part).map_err(|error| match error {
            // The reason, as `/event create` would say it, after which part.
            AppError::User { key, args } => AppError::user_with(
                "error-poll-date-part",
                vec![
                    ("position", num(i as i64 + 1)),
                    ("text", arg(part.chars().take(60).collect::<String>())),
                    ("reason", arg(call.t(key, &args))),
                ],
            ),
            other => other,
        })?;
        if let Some((first, _)) = read.iter().find(|(_, d)| d.starts_at == span.start) {
            return Err(AppError::user_with(
                "error-poll-same-date",
                vec![
                    ("first", arg(first.chars().take(60).collect::<String>())),
                    ("second", arg(part.chars().take(60).collect::<String>())),
                    (
                        "when",
                        arg(when::describe(span.start, call.settings.timezone, call.lang)),
                    ),
                ],
            ));
        }
        read.push((
            part,
            PollDate {
                starts_at: span.start,
                length: span.duration,
            },
        ));
    }
    let mut dates: Vec<PollDate> = read.into_iter().map(|(_, d)| d).collect();
    dates.sort_by_key(|d| d.starts_at);
    Ok(dates)
}

/// The channel a poll goes to: the one given, if it is on this server,
/// else the agenda channel, else here.
fn channel(call: &Call<'_>, options: &Options) -> AppResult<u64> {
    match options.channel("channel") {
        Some(id) => {
            let elsewhere = call
                .state
                .directory
                .channel_guild(id)
                .is_some_and(|guild| guild != call.ctx.guild_id);
            if id == 0 || elsewhere {
                tracing::warn!(channel = id, "poll aimed at another server's channel; refused");
                return Err(AppError::user("error-announce-elsewhere"));
            }
            Ok(id)
        }
        None => Ok(call.settings.agenda_channel.unwrap_or(call.ctx.channel_id)),
    }
}

async fn create(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_organizer()?;
    let title = fields::required_text(call, options.str("title"), "field-title", TITLE_MAX)?;
    let description = fields::text(
        call,
        options.str("description"),
        "field-description",
        DESCRIPTION_MAX,
        true,
    )?;
    let dates = read_dates(call, options.str("dates").unwrap_or_default())?;
    let deadline = options
        .str("deadline")
        .map(|d| fields::future_date(call, d))
        .transpose()?;
    let first = dates[0].starts_at;
    if let Some(deadline) = deadline.filter(|d| *d > first) {
        let tz = call.settings.timezone;
        return Err(AppError::user_with(
            "error-poll-deadline-after-first",
            vec![
                ("deadline", arg(when::describe(deadline, tz, call.lang))),
                ("first", arg(when::describe(first, tz, call.lang))),
            ],
        ));
    }
    let channel_id = channel(call, options)?;
    let new = NewPoll {
        title: title.clone(),
        description,
        channel_id,
        deadline,
        dates,
        created_by: call.ctx.caller.user_id,
    };
    let count = new.dates.len() as i64;
    let poll_id = polls::insert(call.pool(), call.ctx.guild_id, &new, call.now()).await?;
    let text = call.t(
        "poll-created",
        &[
            ("title", arg(title)),
            ("channel", arg(format!("<#{channel_id}>"))),
            ("count", num(count)),
        ],
    );
    Ok(Reply::private_text(text).with_effects([Effect::RefreshPoll { poll_id }]))
}

/// The poll a `poll` option names: its id (what autocomplete sends) or its
/// exact title. Polls of other servers are unknown here.
pub(super) async fn named_poll(call: &Call<'_>, options: &Options) -> AppResult<Poll> {
    let text = options.str("poll").unwrap_or_default();
    if let Ok(id) = text.parse::<i64>() {
        if let Some(poll) = polls::get(call.pool(), call.ctx.guild_id, id).await? {
            return Ok(poll);
        }
    }
    let found = polls::suggest(call.pool(), call.ctx.guild_id, text, 25).await?;
    let exact = found
        .iter()
        .find(|(_, title, _)| title.eq_ignore_ascii_case(text));
    let only = (found.len() == 1).then(|| &found[0]);
    if let Some((id, _, _)) = exact.or(only) {
        if let Some(poll) = polls::get(call.pool(), call.ctx.guild_id, *id).await? {
            return Ok(poll);
        }
    }
    Err(AppError::user_with(
        "error-unknown-poll",
        vec![("text", arg(text.chars().take(100).collect::<String>()))],
    ))
}

async fn show(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let poll = named_poll(call, options).await?;
    let tallies = polls::tallies(call.pool(), &poll).await?;
    // Who answered what is for organizers; members see the counts.
    let answers = if call.is_organizer() {
        Some(polls::all_answers(call.pool(), poll.id).await?)
    } else {
        None
    };
    let mine = polls::answers_of(call.pool(), &poll, call.ctx.caller.user_id).await?;
    let tz = call.settings.timezone;
    let message = poll_details(
        &call.state.i18n,
        call.lang,
        tz,
        &poll,
        &tallies,
        answers.as_deref(),
        &mine,
    );
    Ok(Reply::message(message))
}

/// The date `date` names on the poll: its number in the list (what
/// autocomplete sends), or a date typed as in `/poll create`.
fn chosen_date(call: &Call<'_>, poll: &Poll, text: &str) -> AppResult<usize> {
    let count = poll.dates.len();
    if let Ok(n) = text.parse::<usize>() {
        if (1..=count).contains(&n) {
            return Ok(n - 1);
        }
    }
    let typed = when::parse_when(text, call.now(), call.settings.timezone).ok();
    typed
        .and_then(|at| poll.dates.iter().position(|d| d.starts_at == at))
        .ok_or_else(|| {
            AppError::user_with(
                "error-poll-unknown-date",
                vec![
                    ("text", arg(text.chars().take(60).collect::<String>())),
                    ("count", num(count as i64)),
                ],
            )
        })
}

async fn close(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_organizer()?;
    let poll = named_poll(call, options).await?;
    let tz = call.settings.timezone;
    let tallies = polls::tallies(call.pool(), &poll).await?;
    if poll.closed_at.is_some() {
        return Ok(Reply::private_text(closed_text(
            &call.state.i18n,
            call.lang,
            tz,
            &poll,
            &tallies,
        )));
    }
    let position = match options.str("date") {
        Some(text) => chosen_date(call, &poll, text)?,
        None => leading(&tallies).ok_or_else(|| AppError::user("error-poll-no-leading"))?,
    };
    let starts_at = poll.dates[position].starts_at;
    if starts_at <= call.now() {
        return Err(AppError::user_with(
            "error-poll-chosen-past",
            vec![("when", arg(when::describe(starts_at, tz, call.lang)))],
        ));
    }
    let fields = poll
        .event_fields(position)
        .ok_or_else(|| AppError::user("error-bad-invocation"))?;
    let becomes = Becomes {
        fields: &fields,
        timezone: tz,
        reminder_offsets: &call.settings.reminder_offsets,
    };
    let Some(_event) = polls::close(call.pool(), &poll, Some(position), Some(becomes), call.now()).await?
    else {
        // Closed by someone else (or its deadline) a moment ago.
        let poll = polls::get(call.pool(), call.ctx.guild_id, poll.id)
            .await?
            .unwrap_or(poll);
        let tallies = polls::tallies(call.pool(), &poll).await?;
        return Ok(Reply::private_text(closed_text(
            &call.state.i18n,
            call.lang,
            tz,
            &poll,
            &tallies,
        )));
    };
    // The event's card, mirror and DMs come from the job queued with the
    // event (`Kind::PollClosed`): one writer for the new card, also after a
    // crash right now.
    call.state.jobs_wake.notify_one();
    let told = tallies[position].yes + tallies[position].if_need_be;
    let text = call.t(
        "poll-closed-done",
        &[
            ("title", arg(poll.title.clone())),
            ("when", arg(timestamp(starts_at, 'F'))),
            ("channel", arg(format!("<#{}>", poll.channel_id))),
            ("count", num(told)),
        ],
    );
    Ok(Reply::private_text(text).with_effects([Effect::RefreshPoll { poll_id: poll.id }]))
}

/// A ✅ or 🤷 on a poll's card: recorded (or taken back when tapped again)
/// and the member's answers so far shown privately; on a closed poll,
/// "closed" and the result. The id came from a client: the poll must be
/// this server's.
pub async fn tap(call: &Call<'_>, poll_id: i64, position: u8, answer: Answer) -> AppResult<Reply> {
    let caller = &call.ctx.caller;
    let tapped = polls::tap(
        call.pool(),
        call.ctx.guild_id,
        poll_id,
        usize::from(position),
        caller.user_id,
        &caller.name,
        answer,
        call.now(),
    )
    .await?;
    let tz = call.settings.timezone;
    match tapped {
        Tapped::Unknown => Err(AppError::user("error-stale-button")),
        Tapped::Closed(poll) => {
            let tallies = polls::tallies(call.pool(), &poll).await?;
            Ok(Reply::private_text(closed_text(
                &call.state.i18n,
                call.lang,
                tz,
                &poll,
                &tallies,
            )))
        }
        Tapped::Answered { poll, mine } => {
            let text = format!(
                "{}\n{}",
                call.t("poll-your-answers", &[("title", arg(poll.title.clone()))]),
                my_answers(&call.state.i18n, call.lang, tz, &poll, &mine)
            );
            Ok(Reply::private_text(text).with_effects([Effect::RefreshPoll { poll_id: poll.id }]))
        }
    }
}
