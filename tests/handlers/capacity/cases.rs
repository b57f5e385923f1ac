//! Cases a member or an organizer would notice: two hundred at once,
//! guests that do not fit, a place kept or lost, capacity edits.

use super::*;

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

/// The group commit as a host sees it in `/metrics`: a lone click commits
/// at once, alone; clicks that arrive together share one transaction and
/// are decided in their order of arrival.
#[tokio::test]
async fn clicks_arriving_together_share_one_transaction() {
    let f = fixture(Some(3)).await;
    let writer = &f.state.rsvp_writer;
    assert_eq!(f.rsvp(1, Going, None).await, seated(0));
    assert_eq!(writer.committed(), (1, 1));
    // Ten members at once, arriving in the order 2, 3, …, 11 (one task on
    // one thread polls them in that order).
    let clicks = (2..=11).map(|user| f.rsvp(user, Going, None));
    let outcomes = futures_util::future::join_all(clicks).await;
    assert_eq!(writer.committed(), (2, 11), "ten clicks, one transaction");
    let mut expected = vec![seated(0), seated(0)];
    expected.extend((1..=8).map(|place| waiting(place, 0)));
    assert_eq!(outcomes, expected);
    // Alone again: a transaction of its own.
    assert_eq!(f.rsvp(12, Going, None).await, waiting(9, 0));
    assert_eq!(writer.committed(), (3, 12));
}

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
