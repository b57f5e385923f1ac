use std::collections::HashMap;

use proptest::prelude::*;

use super::*;

fn click(user_id: u64, choice: RsvpChoice, guests: Option<i64>, at: i64) -> Click<'static> {
    Click {
        user_id,
        user_name: "Membre",
        choice,
        guests,
        note: None,
        at,
    }
}

/// A board loaded from every stored answer, as a new transaction sees them.
fn board(capacity: Option<i64>, answers: &HashMap<u64, Answer>) -> Board {
    let taken = answers
        .values()
        .filter(|a| a.status == RsvpStatus::Going)
        .map(|a| seats(a.guests))
        .sum();
    let last_seq = answers.values().map(|a| a.arrival_seq).max().unwrap_or(0);
    Board::new(capacity, taken, last_seq, answers.clone())
}

fn apply(answers: &mut HashMap<u64, Answer>, board: &Board) {
    for (id, answer) in board.changes() {
        answers.insert(id, answer.clone());
    }
}

fn recorded(status: RsvpStatus, waitlist_position: Option<i64>, promoted: &[u64]) -> Outcome {
    Outcome::Recorded {
        status,
        waitlist_position,
        guests: 0,
        promoted: promoted.iter().map(|id| (*id, "Membre".to_owned())).collect(),
    }
}

#[test]
fn a_storm_seats_the_first_arrivals_and_queues_the_rest_in_order() {
    let mut board = board(Some(3), &HashMap::new());
    let outcomes: Vec<Outcome> = (1..=6)
        .map(|user| board.decide(&click(user, RsvpChoice::Going, None, 100)))
        .collect();
    let going = recorded(RsvpStatus::Going, None, &[]);
    assert_eq!(outcomes[..3], [going.clone(), going.clone(), going]);
    for (place, outcome) in outcomes[3..].iter().enumerate() {
        assert_eq!(
            *outcome,
            recorded(RsvpStatus::Waitlisted, Some(place as i64 + 1), &[])
        );
    }
    assert_eq!(board.changes().count(), 6);
}

#[test]
fn a_freed_seat_goes_to_the_first_waiting_party_that_fits() {
    let mut answers = HashMap::new();
    let mut first = board(Some(2), &answers);
    first.decide(&click(1, RsvpChoice::Going, Some(1), 10)); // two seats
    first.decide(&click(2, RsvpChoice::Going, Some(1), 11)); // waits, needs two
    first.decide(&click(3, RsvpChoice::Going, None, 12)); // waits, needs one
    apply(&mut answers, &first);

    let mut second = board(Some(2), &answers);
    // Member 1 keeps the seat but drops the guest: one seat is freed, and
    // member 3 gets it, member 2's party still does not fit.
    let outcome = second.decide(&click(1, RsvpChoice::Going, Some(0), 20));
    assert_eq!(
        outcome,
        Outcome::Recorded {
            status: RsvpStatus::Going,
            waitlist_position: None,
            guests: 0,
            promoted: vec![(3, "Membre".to_owned())],
        }
    );
    apply(&mut answers, &second);
    assert_eq!(answers[&3].status, RsvpStatus::Going);
    assert_eq!(answers[&3].responded_at, 20);
    assert_eq!(answers[&2].status, RsvpStatus::Waitlisted);
}

#[test]
fn guests_that_do_not_fit_change_nothing() {
    let mut board = board(Some(3), &HashMap::new());
    board.decide(&click(1, RsvpChoice::Going, None, 1));
    board.decide(&click(2, RsvpChoice::Going, None, 2));
    let changed_before: Vec<u64> = board.changes().map(|(id, _)| id).collect();
    let outcome = board.decide(&click(1, RsvpChoice::Going, Some(2), 3));
    assert_eq!(outcome, Outcome::GuestsDoNotFit { free_seats: 1 });
    assert_eq!(
        board.changes().map(|(id, _)| id).collect::<Vec<_>>(),
        changed_before
    );
    assert_eq!(board.changes().find(|(id, _)| *id == 1).unwrap().1.guests, 0);
}

fn clicks() -> impl Strategy<Value = Vec<(u64, RsvpChoice, Option<i64>)>> {
    let choice = prop_oneof![
        3 => Just(RsvpChoice::Going),
        1 => Just(RsvpChoice::Maybe),
        1 => Just(RsvpChoice::Declined),
    ];
    proptest::collection::vec((1..=8u64, choice, proptest::option::of(0..=2i64)), 0..40)
}

proptest! {
    /// Clicks decided together on one board (one shared transaction) end
    /// exactly as the same clicks decided one transaction at a time: same
    /// answers told, same rows stored.
    #[test]
    fn deciding_together_is_deciding_one_at_a_time(
        capacity in proptest::option::of(1..=6i64),
        split in 0..40usize,
        clicks in clicks(),
    ) {
        // Some clicks first, stored, so the batch starts from a real state.
        let split = split.min(clicks.len());
        let mut stored = HashMap::new();
        for (at, &(user, choice, guests)) in clicks[..split].iter().enumerate() {
            let mut alone = board(capacity, &stored);
            alone.decide(&click(user, choice, guests, at as i64));
            apply(&mut stored, &alone);
        }

        let mut together = board(capacity, &stored);
        let mut one_by_one = stored.clone();
        for (at, &(user, choice, guests)) in clicks[split..].iter().enumerate() {
            let c = click(user, choice, guests, (split + at) as i64);
            let mut alone = board(capacity, &one_by_one);
            let expected = alone.decide(&c);
            apply(&mut one_by_one, &alone);
            prop_assert_eq!(together.decide(&c), expected);
        }
        let mut batched = stored.clone();
        apply(&mut batched, &together);
        prop_assert_eq!(batched, one_by_one.clone());

        if let Some(capacity) = capacity {
            let going: i64 = one_by_one.values()
                .filter(|a| a.status == RsvpStatus::Going)
                .map(|a| seats(a.guests))
                .sum();
            prop_assert!(going <= capacity);
        }
    }
}
