//! Capacity and waitlist (PRODUCT.md): going seats (member + guests) never
//! exceed capacity, whatever the concurrency; beyond it members wait first
//! come, first served; freed seats go to the first waiting parties that fit.
//! Run against the real SQLite store, and through the handlers where the rule
//! lives there (capacity edits, refusals on a cancelled event).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::Duration;
use proptest::prelude::*;
use rencontre::domain::event::EventFields;
use rencontre::domain::rsvp::Asker;
use rencontre::domain::rsvp::RsvpChoice::{self, Declined, Going, Maybe};
use rencontre::domain::rsvp::RsvpStatus as Status;
use rencontre::handlers::{self, CommandName, Invocation, OptionValue, Options};
use rencontre::state::{AppState, ManualClock};
use rencontre::store::events;
use rencontre::store::rsvps::{self, Outcome, Request, Rsvp};
use rencontre::store::Db;

use crate::support::{self, calls, outlet};

mod cases;
mod model;

const GUILD: u64 = 42;
const ORG: u64 = 7;
/// The order `rsvps::list` shows statuses in.
const LIST_ORDER: [Status; 4] = [Status::Going, Status::Maybe, Status::Waitlisted, Status::Declined];

fn name(user: u64) -> String {
    format!("member{user}")
}

/// What `respond` tells the member (`promoted`: others who got a seat).
fn told(status: Status, position: Option<i64>, guests: i64, promoted: &[u64]) -> Outcome {
    let promoted = promoted.iter().map(|&u| (u, name(u))).collect();
    Outcome::Recorded {
        status,
        waitlist_position: position,
        guests,
        promoted,
    }
}

fn seated(guests: i64) -> Outcome {
    told(Status::Going, None, guests, &[])
}

fn waiting(place: i64, guests: i64) -> Outcome {
    told(Status::Waitlisted, Some(place), guests, &[])
}

/// (user, status, guests, waitlist position), in `rsvps::list` order.
type Row = (u64, Status, i64, Option<i64>);

fn with_status(rows: &[Row], status: Status) -> Vec<Row> {
    rows.iter().filter(|r| r.1 == status).copied().collect()
}

fn going_seats(rows: &[Row]) -> i64 {
    with_status(rows, Status::Going).iter().map(|r| 1 + r.2).sum()
}

fn users(rows: &[Row]) -> Vec<u64> {
    rows.iter().map(|r| r.0).collect()
}

/// Walks the queue in order, seating every party that fits: the rule, plainly.
fn first_fit(mut free: i64, queue: &[Row]) -> Vec<u64> {
    let mut seated = Vec::new();
    for &(user, _, guests, _) in queue {
        let needed = 1 + guests;
        if needed <= free {
            free -= needed;
            seated.push(user);
        }
    }
    seated
}

/// One event next week in a fresh database (deleted with the guard).
struct Fixture {
    state: AppState,
    event: i64,
    _database: support::database::TestDatabase,
}

async fn fixture(capacity: Option<i64>) -> Fixture {
    let database = support::database::TestDatabase::new().await;
    let pool = rencontre::store::connect(&database.url).await.unwrap();
    let starts_at = support::now() + Duration::days(7);
    let fields = EventFields {
        title: "Assemblée générale".into(),
        description: None,
        location: None,
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        capacity,
        rsvp_deadline: None,
        restricted_role: None,
        channel_id: None,
        repeat: None,
    };
    let event = events::insert(&pool, GUILD, &fields, ORG, support::now())
        .await
        .unwrap();
    let state = AppState::new(pool, Arc::new(ManualClock::new(support::now())));
    Fixture {
        state,
        event,
        _database: database,
    }
}

impl Fixture {
    fn pool(&self) -> &Db {
        &self.state.pool
    }

    async fn rsvp(&self, user: u64, choice: RsvpChoice, guests: Option<i64>) -> Outcome {
        let request = Request {
            guild_id: GUILD,
            event_id: self.event,
            user_id: user,
            user_name: name(user),
            choice,
            guests,
            note: None,
            asker: Asker::default(),
        };
        // The bot's path: clicks that arrive together share a transaction.
        let writer = &self.state.rsvp_writer;
        writer
            .record(self.pool(), request, support::now())
            .await
            .unwrap()
            .outcome
    }

    /// The stored answers; on the way, the event's counts (kept by the
    /// database as answers change) are checked against the answers
    /// themselves, so every scenario and every random sequence checks them.
    async fn rows(&self) -> Vec<Row> {
        let row = |r: Rsvp| (r.user_id, r.status, r.guests, r.waitlist_position);
        let list = rsvps::list(self.pool(), self.event).await.unwrap();
        let kept = events::counts_one(self.pool(), self.event).await.unwrap();
        let counted: (i64, i64, i64, i64, i64) = rencontre::on_db!(self.pool(), |db| sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'going' THEN 1 + guests ELSE 0 END), 0) AS BIGINT),
                    COUNT(CASE WHEN status = 'going' THEN 1 END), COUNT(CASE WHEN status = 'maybe' THEN 1 END),
                    COUNT(CASE WHEN status = 'waitlisted' THEN 1 END), COUNT(checked_in_at)
             FROM rsvps WHERE event_id = $1",
        )
        .bind(self.event)
        .fetch_one(db)
        .await)
        .unwrap();
        let kept = (
            kept.going_seats,
            kept.going_members,
            kept.maybe,
            kept.waitlisted,
            kept.checked_in,
        );
        assert_eq!(
            kept, counted,
            "the event's counts against its answers (seats, going, maybe, waiting, checked in)"
        );
        list.into_iter().map(row).collect()
    }

    async fn capacity(&self) -> Option<i64> {
        let event = events::get(self.pool(), GUILD, self.event).await.unwrap();
        event.unwrap().capacity
    }

    /// Runs `/<command> [sub] event:<id> ...options` as `user`; returns who
    /// got a DM (members told they got a seat).
    async fn invoke(&self, user: u64, command: CommandName, sub: Option<&str>, more: Options) -> Vec<u64> {
        let mut options = vec![("event".into(), OptionValue::Str(self.event.to_string()))];
        options.extend(more.0);
        let (sub, options) = (sub.map(str::to_owned), Options(options));
        let invocation = Invocation::Command {
            command,
            sub,
            options,
        };
        let who = match user {
            ORG => calls::organizer(user, &name(user)),
            _ => calls::member(user, &name(user)),
        };
        let mut ctx = calls::in_guild(calls::locale(who, Some("en")), GUILD);
        ctx.channel_id = 1;
        // DMs are jobs: those queued by earlier steps go first, unread.
        let earlier = outlet::Recorder::default();
        rencontre::jobs::run_due(&self.state, &earlier).await.unwrap();
        handlers::handle(&self.state, &ctx, invocation).await;
        let out = outlet::Recorder::default();
        rencontre::jobs::run_due(&self.state, &out).await.unwrap();
        let dms = out.sent().into_iter().filter_map(|sent| match sent {
            outlet::Sent::Dm { user, .. } => Some(user),
            _ => None,
        });
        dms.collect()
    }

    /// `/event edit event:<id> capacity:<cap>` by an organizer.
    async fn edit_capacity(&self, capacity: i64) -> Vec<u64> {
        let options = Options(vec![("capacity".into(), OptionValue::Int(capacity))]);
        self.invoke(ORG, CommandName::Event, Some("edit"), options).await
    }

    /// `/rsvp event:<id> status:<choice> [guests:<n>]` by a member.
    async fn rsvp_command(&self, user: u64, choice: RsvpChoice, guests: Option<i64>) {
        let mut options = vec![("status".into(), OptionValue::Str(choice.as_str().into()))];
        options.extend(guests.map(|g| ("guests".to_owned(), OptionValue::Int(g))));
        self.invoke(user, CommandName::Rsvp, None, Options(options)).await;
    }
}
