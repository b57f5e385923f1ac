//! Random operations, the store against a plain model of the rules: one
//! after the other, and in concurrent batches.

use super::*;

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
                events::cancel(f.pool(), f.event, None, support::now())
                    .await
                    .unwrap();
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
                let outcome = state
                    .rsvp_writer
                    .record(&state.pool, request, support::now())
                    .await;
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
