//! RSVP storms on a full event, and their exactness checked against commit
//! order.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rencontre::handlers::{self, Context, Invocation};
use rencontre::reply::Body;
use rencontre::state::AppState;

use crate::calls::{create_event, ctx, succeeded};
use crate::stats::{stats, Stats};

pub const STORM_CAPACITY: i64 = 50;

pub struct Storm {
    pub clicks: usize,
    pub wall: Duration,
    pub per_click: Stats,
    pub problems: Vec<String>,
}

impl Storm {
    pub fn per_second(&self) -> f64 {
        self.clicks as f64 / self.wall.as_secs_f64()
    }
}

/// Every member of `crowd` presses Going on a new event of capacity 50, all
/// at once (round > 0) or one after another (round 0); then the seats and the
/// waitlist are checked against commit order.
pub async fn storm(state: &AppState, organizer: &Context, crowd: &[(u64, String)], round: usize) -> Storm {
    let guild = organizer.guild_id;
    let title = format!("Conférence 4G en entreprise, session {round}");
    let event = create_event(state, organizer, &title, STORM_CAPACITY).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(if round > 0 {
        crowd.len() + 1
    } else {
        1
    }));
    let (mut tasks, mut replies) = (Vec::new(), Vec::with_capacity(crowd.len()));
    let started = Instant::now();
    for (user, name) in crowd {
        let (state, barrier, who) = (state.clone(), barrier.clone(), ctx(guild, *user, name, false));
        let click = async move {
            let custom_id = format!("rsvp:v1:{event}:going");
            if round > 0 {
                barrier.wait().await;
            }
            let started = Instant::now();
            let reply = handlers::handle(&state, &who, Invocation::Component { custom_id }).await;
            (who.caller.user_id, reply, started.elapsed())
        };
        match round {
            0 => replies.push(click.await),
            _ => tasks.push(tokio::spawn(click)),
        }
    }
    barrier.wait().await;
    let started = if round > 0 { Instant::now() } else { started };
    for task in tasks {
        replies.push(task.await.expect("a click panicked"));
    }
    let wall = started.elapsed();
    let sql =
        "SELECT user_id, status, guests, arrival_seq FROM rsvps WHERE event_id = $1 ORDER BY arrival_seq";
    let rows = rencontre::on_db!(state.pool, |db| sqlx::query_as::<_, (i64, String, i64, i64)>(sql)
        .bind(event)
        .fetch_all(db)
        .await)
    .expect("the storm's answers");
    let mut problems = Vec::new();
    let seats: i64 = rows.iter().filter(|r| r.1 == "going").map(|r| 1 + r.2).sum();
    let capacity = STORM_CAPACITY.min(crowd.len() as i64);
    if seats != capacity || rows.len() != crowd.len() {
        let stored = rows.len();
        problems.push(format!(
            "{seats} seats given for {capacity}, {stored} answers for {} clicks",
            crowd.len()
        ));
    }
    // arrival_seq is taken inside each click's write transaction, so it is the
    // commit order: the first 50 commits are seated, the rest queue in order.
    for (i, (user, status, _, seq)) in rows.iter().enumerate() {
        let expected = if (i as i64) < capacity {
            "going"
        } else {
            "waitlisted"
        };
        if *seq != i as i64 + 1 || status != expected {
            problems.push(format!(
                "commit {} (member {user}) is {status} with arrival {seq}",
                i + 1
            ));
        }
    }
    // Each member was told, as their click committed, the place they hold.
    for (user, reply, _) in &replies {
        let Some((_, status, _, seq)) = rows.iter().find(|r| r.0 as u64 == *user) else {
            problems.push(format!("member {user}'s click was not stored"));
            continue;
        };
        let told = match &reply.body {
            Body::Message(m) => m.content.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let place = told
            .split('#')
            .nth(1)
            .map(|s| s.chars().take_while(char::is_ascii_digit).collect());
        let expected = (status == "waitlisted").then(|| (seq - capacity).to_string());
        if !succeeded(reply) || place != expected {
            problems.push(format!(
                "member {user} ({status}, arrival {seq}) was told {told:?}"
            ));
        }
    }
    let per_click = stats(replies.iter().map(|r| r.2).collect());
    Storm {
        clicks: crowd.len(),
        wall,
        per_click,
        problems,
    }
}
