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

/// A board loaded as the store loads it: the stored answers of `clickers`
/// with their places, the count of waiting members, the waitlist itself
/// only on demand (see [`decide`]).
fn board(capacity: Option<i64>, stored: &HashMap<u64, Answer>, clickers: &[u64]) -> Board {
    let going = stored.values().filter(|a| a.status == RsvpStatus::Going);
    let taken = going.map(|a| seats(a.guests)).sum();
    let last_seq = stored.values().map(|a| a.arrival_seq).max().unwrap_or(0);
    let waiting = waiting(stored);
    let loaded = clickers
        .iter()
        .filter_map(|id| {
            let answer = stored.get(id)?.clone();
            let place = waiting.iter().position(|(w, _)| w == id).map(|p| p as i64 + 1);
            Some((*id, answer, place))
        })
        .collect();
    Board::new(capacity, taken, last_seq, waiting.len() as i64, loaded)
}

/// The stored waiting members in arrival order.
fn waiting(stored: &HashMap<u64, Answer>) -> Vec<(u64, Answer)> {
    let mut waiting: Vec<(u64, Answer)> = stored
        .iter()
        .filter(|(_, a)| a.status == RsvpStatus::Waitlisted)
        .map(|(id, a)| (*id, a.clone()))
        .collect();
    waiting.sort_by_key(|(_, a)| a.arrival_seq);
    waiting
}

/// Decides a click as the store does: the waitlist loaded when needed.
fn decide(board: &mut Board, stored: &HashMap<u64, Answer>, click: &Click<'_>) -> Outcome {
    match board.decide(click) {
        Ok(outcome) => outcome,
        Err(NeedWaitlist) => {
            board.add_waitlist(waiting(stored));
            board.decide(click).expect("the waitlist is loaded")
        }
    }
}

/// One click in a transaction of its own. The place told must be the
/// member's rank in the waitlist as stored afterwards.
fn alone(capacity: Option<i64>, stored: &mut HashMap<u64, Answer>, click: &Click<'_>) -> Outcome {
    let mut board = board(capacity, stored, &[click.user_id]);
    let outcome = decide(&mut board, stored, click);
    apply(stored, &board);
    if let Outcome::Recorded {
        waitlist_position: Some(place),
        ..
    } = outcome
    {
        let rank = waiting(stored).iter().position(|(id, _)| *id == click.user_id);
        assert_eq!(rank.map(|r| r as i64 + 1), Some(place));
    }
    outcome
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
    let stored = HashMap::new();
    let mut board = board(Some(3), &stored, &[1, 2, 3, 4, 5, 6]);
    let outcomes: Vec<Outcome> = (1..=6)
        .map(|user| decide(&mut board, &stored, &click(user, RsvpChoice::Going, None, 100)))
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
    alone(Some(2), &mut answers, &click(1, RsvpChoice::Going, Some(1), 10)); // two seats
    alone(Some(2), &mut answers, &click(2, RsvpChoice::Going, Some(1), 11)); // waits, needs two
    alone(Some(2), &mut answers, &click(3, RsvpChoice::Going, None, 12)); // waits, needs one

    // Member 1 keeps the seat but drops the guest: one seat is freed, and
    // member 3 gets it, member 2's party still does not fit.
    let mut second = board(Some(2), &answers, &[1]);
    assert_eq!(
        second.decide(&click(1, RsvpChoice::Going, Some(0), 20)),
        Err(NeedWaitlist)
    );
    let outcome = decide(&mut second, &answers, &click(1, RsvpChoice::Going, Some(0), 20));
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
    let stored = HashMap::new();
    let mut board = board(Some(3), &stored, &[1, 2]);
    decide(&mut board, &stored, &click(1, RsvpChoice::Going, None, 1));
    decide(&mut board, &stored, &click(2, RsvpChoice::Going, None, 2));
    let changed_before: Vec<u64> = board.changes().map(|(id, _)| id).collect();
    let outcome = decide(&mut board, &stored, &click(1, RsvpChoice::Going, Some(2), 3));
    assert_eq!(outcome, Outcome::GuestsDoNotFit { free_seats: 1 });
    assert_eq!(
        board.changes().map(|(id, _)| id).collect::<Vec<_>>(),
        changed_before
    );
    assert_eq!(board.changes().find(|(id, _)| *id == 1).unwrap().1.guests, 0);
}

#[test]
fn a_party_larger_than_the_capacity_is_refused_not_waitlisted() {
    let stored = HashMap::new();
    let mut board = board(Some(3), &stored, &[1, 2]);
    let outcome = decide(&mut board, &stored, &click(1, RsvpChoice::Going, Some(5), 1));
    assert_eq!(outcome, Outcome::PartyTooLarge { max_guests: 2 });
    assert_eq!(board.changes().count(), 0, "nothing is saved");
    // The next member is seated as if nothing happened; the whole capacity
    // is still a party that can come.
    let outcome = decide(&mut board, &stored, &click(2, RsvpChoice::Going, Some(2), 2));
    assert!(
        matches!(
            outcome,
            Outcome::Recorded {
                status: RsvpStatus::Going,
                ..
            }
        ),
        "{outcome:?}"
    );
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
            alone(capacity, &mut stored, &click(user, choice, guests, at as i64));
        }

        let batch = &clicks[split..];
        let clickers: Vec<u64> = batch.iter().map(|c| c.0).collect();
        let mut together = board(capacity, &stored, &clickers);
        let mut one_by_one = stored.clone();
        for (at, &(user, choice, guests)) in batch.iter().enumerate() {
            let c = click(user, choice, guests, (split + at) as i64);
            let expected = alone(capacity, &mut one_by_one, &c);
            prop_assert_eq!(decide(&mut together, &stored, &c), expected);
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
