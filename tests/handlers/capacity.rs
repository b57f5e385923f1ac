//! Capacity and waitlist (PRODUCT.md): going seats (member + guests) never
//! exceed capacity, whatever the concurrency; beyond it members wait first
//! come, first served; freed seats go to the first waiting parties that fit.
//! Run against the real SQLite store, and through the handlers where the rule
//! lives there (capacity edits, refusals on a cancelled event).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rencontre::domain::event::EventFields;
use rencontre::domain::rsvp::Asker;
use rencontre::domain::rsvp::RsvpChoice::{self, Declined, Going, Maybe};
use rencontre::domain::rsvp::RsvpStatus as Status;
use rencontre::handlers::{self, Caller, CommandName, Context, Invocation, OptionValue, Options};
use rencontre::state::{AppState, ManualClock};
use rencontre::store::events;
use rencontre::store::rsvps::{self, Outcome, Request, Rsvp};
use rencontre::store::Db;

use crate::support::{self, outlet};

const GUILD: u64 = 42;
const ORG: u64 = 7;
/// The order `rsvps::list` shows statuses in.
const LIST_ORDER: [Status; 4] = [Status::Going, Status::Maybe, Status::Waitlisted, Status::Declined];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap()
}

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
    let starts_at = now() + Duration::days(7);
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
    let event = events::insert(&pool, GUILD, &fields, ORG, now()).await.unwrap();
    let state = AppState::new(pool, Arc::new(ManualClock::new(now())));
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
        writer.record(self.pool(), request, now()).await.unwrap().outcome
    }

    async fn rows(&self) -> Vec<Row> {
        let row = |r: Rsvp| (r.user_id, r.status, r.guests, r.waitlist_position);
        let list = rsvps::list(self.pool(), self.event).await.unwrap();
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
        let mut caller = Caller {
            user_id: user,
            name: name(user),
            locale: Some("en".into()),
            roles: vec![],
            permissions: Default::default(),
        };
        caller.permissions.manage_events = user == ORG;
        let ctx = Context {
            guild_id: GUILD,
            channel_id: 1,
            caller,
        };
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

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn two_hundred_concurrent_rsvps_fill_exactly_the_capacity() {
    let f = Arc::new(fixture(Some(20)).await);
    // One member in five brings one or two guests.
    let guests_of = |user: u64| [1, 0, 0, 0, 0, 2, 0, 0, 0, 0][user as usize % 10];
    let mut tasks = Vec::new();
    for user in 1..=200 {
        let f = f.clone();
        let guests = Some(guests_of(user));
        let task = async move { (user, f.rsvp(user, Going, guests).await) };
        tasks.push(tokio::spawn(task));
    }
    let mut outcomes = HashMap::new();
    for task in tasks {
        let (user, outcome) = task.await.unwrap();
        outcomes.insert(user, outcome);
    }

    let mut rows = f.rows().await;
    assert_eq!(rows.len(), 200);
    assert_eq!(users(&rows).iter().collect::<HashSet<_>>().len(), 200);
    let seats = going_seats(&rows);
    assert!(seats <= 20, "{seats} seats taken for 20");
    let counts = events::counts_one(f.pool(), f.event).await.unwrap();
    assert_eq!(counts.going_seats, seats);
    let queue = with_status(&rows, Status::Waitlisted);
    assert_eq!(with_status(&rows, Status::Going).len() + queue.len(), 200);
    assert!(first_fit(20 - seats, &queue).is_empty(), "a waiting party fits");
    let positions: Vec<i64> = queue.iter().map(|r| r.3.unwrap()).collect();
    assert_eq!(positions, (1..=queue.len() as i64).collect::<Vec<_>>());
    // Each member was told, as their answer committed, the seat or place they
    // still hold: the waitlist follows commit order, no place given twice.
    for &(user, status, guests, position) in &rows {
        assert_eq!(guests, guests_of(user), "member {user}");
        let expected = told(status, position, guests, &[]);
        assert_eq!(outcomes[&user], expected, "member {user}");
    }

    // The first going members step down one by one; each time the freed
    // seats go to the first waiting parties that fit, who are named.
    for _ in 0..8 {
        let leaver = rows[0];
        assert_eq!(leaver.1, Status::Going);
        let queue = with_status(&rows, Status::Waitlisted);
        let expected = first_fit(20 - going_seats(&rows) + 1 + leaver.2, &queue);
        assert!(!expected.is_empty(), "someone waiting fits: {queue:?}");
        let outcome = f.rsvp(leaver.0, Declined, None).await;
        assert_eq!(outcome, told(Status::Declined, None, 0, &expected));
        rows = f.rows().await;
        assert!(going_seats(&rows) <= 20);
        let going = users(&with_status(&rows, Status::Going));
        assert!(expected.iter().all(|u| going.contains(u)), "{rows:?}");
        let waiting = with_status(&rows, Status::Waitlisted);
        let mut still = users(&queue);
        still.retain(|u| !expected.contains(u));
        assert_eq!(users(&waiting), still, "waitlist order kept");
        assert!(waiting.iter().enumerate().all(|(i, r)| r.3 == Some(i as i64 + 1)));
        assert!(first_fit(20 - going_seats(&rows), &waiting).is_empty());
    }
}

// ---------------------------------------------------------------------------
// Random operations, store against a plain model of the rules.

#[derive(Debug, Clone)]
enum Op {
    /// member, choice, guests (`None` keeps the current number)
    Rsvp(u64, RsvpChoice, Option<i64>),
    Capacity(i64),
    Cancel,
}

/// Answers in order of arrival in the queue: joining it (not staying in
/// it) moves a member to the back.
#[derive(Debug, Default, Clone)]
struct Model {
    capacity: Option<i64>,
    cancelled: bool,
    /// (user, status, guests)
    answers: Vec<(u64, Status, i64)>,
}

impl Model {
    fn taken(&self) -> i64 {
        going_seats(&self.rows())
    }

    fn rows(&self) -> Vec<Row> {
        let mut answers = self.answers.clone();
        answers.sort_by_key(|a| LIST_ORDER.iter().position(|s| *s == a.1));
        let mut place = 0;
        let mut rows = Vec::new();
        for (user, status, guests) in answers {
            place += (status == Status::Waitlisted) as i64;
            let position = (status == Status::Waitlisted).then_some(place);
            rows.push((user, status, guests, position));
        }
        rows
    }

    fn promote(&mut self) -> Vec<u64> {
        let free = self.capacity.map_or(i64::MAX, |cap| cap - self.taken());
        let seated = first_fit(free, &with_status(&self.rows(), Status::Waitlisted));
        for answer in self.answers.iter_mut().filter(|a| seated.contains(&a.0)) {
            answer.1 = Status::Going;
        }
        seated
    }

    fn respond(&mut self, member: u64, choice: RsvpChoice, guests: Option<i64>) -> Outcome {
        let index = self.answers.iter().position(|a| a.0 == member);
        let (was, had) = index.map_or((None, 0), |i| (Some(self.answers[i].1), self.answers[i].2));
        let guests = if choice == Going { guests.unwrap_or(had) } else { 0 };
        // A party that could never be seated is refused outright.
        if let Some(cap) = self.capacity.filter(|cap| choice == Going && 1 + guests > *cap) {
            return Outcome::PartyTooLarge { max_guests: cap - 1 };
        }
        let others = self.taken() - if was == Some(Status::Going) { 1 + had } else { 0 };
        let fits = self.capacity.is_none_or(|cap| others + 1 + guests <= cap);
        let status = match (choice, was) {
            (Going, Some(Status::Going)) if !fits => {
                let free_seats = (self.capacity.unwrap() - others - 1).max(0);
                return Outcome::GuestsDoNotFit { free_seats };
            }
            (Going, Some(Status::Waitlisted)) => Status::Waitlisted,
            (Going, _) if fits => Status::Going,
            (Going, _) => Status::Waitlisted,
            (Maybe, _) => Status::Maybe,
            (Declined, _) => Status::Declined,
        };
        let queued = |s: Option<Status>| matches!(s, Some(Status::Going | Status::Waitlisted));
        match index {
            Some(i) if queued(was) || !queued(Some(status)) => self.answers[i] = (member, status, guests),
            _ => {
                self.answers.retain(|a| a.0 != member);
                self.answers.push((member, status, guests));
            }
        }
        let mut seated = self.promote();
        seated.retain(|u| *u != member);
        let (_, status, _, position) = self.rows().into_iter().find(|r| r.0 == member).unwrap();
        told(status, position, guests, &seated)
    }
}

fn op() -> impl Strategy<Value = Op> {
    let choice = prop_oneof![3 => Just(Going), 1 => Just(Maybe), 1 => Just(Declined)];
    let guests = proptest::option::of(0..=2i64);
    prop_oneof![
        12 => (1..=8u64, choice, guests).prop_map(|(m, c, g)| Op::Rsvp(m, c, g)),
        3 => (1..=6i64).prop_map(Op::Capacity),
        1 => Just(Op::Cancel),
    ]
}

async fn run_ops(capacity: i64, ops: &[Op]) -> Result<(), String> {
    let f = fixture(Some(capacity)).await;
    let mut model = Model {
        capacity: Some(capacity),
        ..Model::default()
    };
    for (i, op) in ops.iter().enumerate() {
        let step = format!("after op #{i} {op:?}");
        match *op {
            Op::Rsvp(member, choice, guests) if !model.cancelled => {
                let real = f.rsvp(member, choice, guests).await;
                let expected = model.respond(member, choice, guests);
                if real != expected {
                    return Err(format!("{step}: store said {real:?}, model {expected:?}"));
                }
            }
            // The handler refuses answers to a cancelled event: nothing changes.
            Op::Rsvp(member, choice, guests) => f.rsvp_command(member, choice, guests).await,
            Op::Capacity(cap) => {
                let dms = f.edit_capacity(cap).await;
                let mut expected = Vec::new();
                if !model.cancelled && cap >= model.taken() {
                    model.capacity = Some(cap);
                    expected = model.promote();
                }
                if dms != expected {
                    return Err(format!("{step}: DMs to {dms:?}, model promoted {expected:?}"));
                }
            }
            Op::Cancel => {
                events::cancel(f.pool(), f.event, None, now()).await.unwrap();
                model.cancelled = true;
            }
        }
        let (real, expected) = (f.rows().await, model.rows());
        if real != expected {
            return Err(format!("{step}: store {real:?}\n  model {expected:?}"));
        }
        let counts = events::counts_one(f.pool(), f.event).await.unwrap();
        let waiting = with_status(&expected, Status::Waitlisted).len() as i64;
        let real = (counts.going_seats, counts.waitlisted, f.capacity().await);
        if real != (model.taken(), waiting, model.capacity) {
            return Err(format!("{step}: counts {real:?}, model {model:?}"));
        }
        if model.capacity.is_some_and(|cap| model.taken() > cap) {
            return Err(format!("{step}: overbooked"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_rsvps_and_capacity_changes_match_a_plain_model(
        capacity in 1..=6i64,
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let result = runtime.block_on(run_ops(capacity, &ops));
        prop_assert!(result.is_ok(), "{}\nops: {:?}", result.unwrap_err(), ops);
    }
}

/// Clicks of one member each, sent at once so the group commit decides
/// them in one transaction.
fn group() -> impl Strategy<Value = Vec<(u64, RsvpChoice, Option<i64>)>> {
    let choice = prop_oneof![3 => Just(Going), 1 => Just(Maybe), 1 => Just(Declined)];
    proptest::collection::vec((1..=8u64, choice, proptest::option::of(0..=2i64)), 1..=4).prop_map(
        |mut clicks| {
            let mut seen = HashSet::new();
            clicks.retain(|c| seen.insert(c.0));
            clicks
        },
    )
}

fn orders<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut order in orders(&rest) {
            order.insert(0, first.clone());
            all.push(order);
        }
    }
    all
}

/// Sends each group's clicks concurrently; the stored rows and every answer
/// told must be the model's for some order of arrival of the group (the
/// batch is serializable), and never overbooked. Orders the rows cannot
/// tell apart yet (a "maybe" beside a "going") are all kept as candidates:
/// a later group may show which one the store took.
async fn run_groups(capacity: i64, groups: &[Vec<(u64, RsvpChoice, Option<i64>)>]) -> Result<(), String> {
    let f = fixture(Some(capacity)).await;
    let mut candidates = vec![Model {
        capacity: Some(capacity),
        ..Model::default()
    }];
    for (i, group) in groups.iter().enumerate() {
        let mut tasks = tokio::task::JoinSet::new();
        for &(user, choice, guests) in group {
            let (state, event) = (f.state.clone(), f.event);
            tasks.spawn(async move {
                let request = Request {
                    guild_id: GUILD,
                    event_id: event,
                    user_id: user,
                    user_name: name(user),
                    choice,
                    guests,
                    note: None,
                    asker: Asker::default(),
                };
                let outcome = state.rsvp_writer.record(&state.pool, request, now()).await;
                (user, outcome.unwrap().outcome)
            });
        }
        let told: HashMap<u64, Outcome> = tasks.join_all().await.into_iter().collect();
        let rows = f.rows().await;
        let mut next: Vec<Model> = Vec::new();
        for model in &candidates {
            for order in orders(group) {
                let mut candidate = model.clone();
                let same = order
                    .iter()
                    .all(|&(user, choice, guests)| candidate.respond(user, choice, guests) == told[&user]);
                if same && candidate.rows() == rows && !next.iter().any(|m| m.answers == candidate.answers) {
                    next.push(candidate);
                }
            }
        }
        if next.is_empty() {
            return Err(format!(
                "group #{i} {group:?}: told {told:?}, stored {rows:?}, in no order from {candidates:?}"
            ));
        }
        if going_seats(&rows) > capacity {
            return Err(format!("group #{i}: overbooked"));
        }
        candidates = next;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn concurrent_batches_match_the_model_in_some_order(
        capacity in 1..=4i64,
        groups in proptest::collection::vec(group(), 1..10),
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let result = runtime.block_on(run_groups(capacity, &groups));
        prop_assert!(result.is_ok(), "{}\ngroups: {:?}", result.unwrap_err(), groups);
    }
}

// ---------------------------------------------------------------------------
// Small cases a member or an organizer would notice.

#[tokio::test]
async fn guests_that_do_not_fit_are_refused_and_nothing_changes() {
    let f = fixture(Some(4)).await;
    assert_eq!(f.rsvp(1, Going, Some(1)).await, seated(1));
    assert_eq!(f.rsvp(2, Going, None).await, seated(0));
    assert_eq!(f.rsvp(3, Going, Some(1)).await, waiting(1, 1));
    let before = f.rows().await;
    // Member 1 holds 2 seats and 1 is free: at most 2 guests, not 3.
    let refused = Outcome::GuestsDoNotFit { free_seats: 2 };
    assert_eq!(f.rsvp(1, Going, Some(3)).await, refused);
    assert_eq!(f.rows().await, before);
    // Two guests fit exactly; the waiting party keeps its place.
    assert_eq!(f.rsvp(1, Going, Some(2)).await, seated(2));
    let queue = with_status(&f.rows().await, Status::Waitlisted);
    assert_eq!(queue, [(3, Status::Waitlisted, 1, Some(1))]);
}

#[tokio::test]
async fn a_waitlisted_member_asking_to_go_again_keeps_their_place() {
    let f = fixture(Some(1)).await;
    f.rsvp(1, Going, None).await;
    for (user, place) in [(2, 1), (3, 2), (4, 3)] {
        assert_eq!(f.rsvp(user, Going, None).await, waiting(place, 0));
    }
    assert_eq!(f.rsvp(3, Going, None).await, waiting(2, 0));
    let queue = users(&with_status(&f.rows().await, Status::Waitlisted));
    assert_eq!(queue, [2, 3, 4]);
    let declined = told(Status::Declined, None, 0, &[2]);
    assert_eq!(f.rsvp(1, Declined, None).await, declined);
}

#[tokio::test]
async fn leaving_the_queue_and_coming_back_goes_to_the_back() {
    let f = fixture(Some(2)).await;
    f.rsvp(1, Going, Some(1)).await;
    f.rsvp(2, Going, None).await;
    f.rsvp(3, Going, None).await;
    // Waiting member 2 hesitates, then wants to go again: now behind member 3.
    assert_eq!(f.rsvp(2, Maybe, None).await, told(Status::Maybe, None, 0, &[]));
    assert_eq!(f.rsvp(2, Going, None).await, waiting(2, 0));
    // Going member 1 switches to maybe: their guest goes too, both seats are
    // free, members 3 then 2 get them; wanting to go again, member 1 waits.
    let maybe = told(Status::Maybe, None, 0, &[3, 2]);
    assert_eq!(f.rsvp(1, Maybe, None).await, maybe);
    assert_eq!(f.rsvp(1, Going, None).await, waiting(1, 0));
    assert_eq!(users(&with_status(&f.rows().await, Status::Going)), [3, 2]);
}

#[tokio::test]
async fn an_event_without_capacity_never_waitlists() {
    let f = fixture(None).await;
    for user in 1..=40 {
        let guests = (user % 11) as i64;
        assert_eq!(f.rsvp(user, Going, Some(guests)).await, seated(guests));
    }
    let c = events::counts_one(f.pool(), f.event).await.unwrap();
    let seats = 40 + (1..=40).map(|u| u % 11).sum::<i64>();
    assert_eq!((c.going_members, c.going_seats, c.waitlisted), (40, seats, 0));
}

#[tokio::test]
async fn capacity_cannot_drop_below_seats_taken_and_raising_it_seats_the_queue_in_order() {
    let f = fixture(Some(3)).await;
    f.rsvp(1, Going, Some(2)).await;
    assert_eq!(f.rsvp(2, Going, Some(2)).await, waiting(1, 2));
    f.rsvp(3, Going, None).await;
    f.rsvp(4, Going, None).await;
    assert!(f.edit_capacity(2).await.is_empty());
    assert_eq!(f.capacity().await, Some(3), "lowered below the 3 seats taken");
    // Two more seats: not enough for member 2's party, enough for 3 and 4.
    assert_eq!(f.edit_capacity(5).await, [3, 4]);
    assert_eq!(f.capacity().await, Some(5));
    assert_eq!(f.edit_capacity(8).await, [2]);
    let counts = events::counts_one(f.pool(), f.event).await.unwrap();
    assert_eq!(counts.going_seats, 8);
}
