//! A synthetic association for benchmarks and demos: members with French
//! introductions, three years of events, RSVPs that respect capacity and
//! check-ins for past events, generated deterministically from a seed.
//!
//! It writes the real schema with multi-row INSERTs in one write
//! transaction; the triggers keep the full-text index in sync. It plans no
//! reminder jobs: a bot started on a seeded database must not DM made-up
//! members. Meant for an empty server: member ids are derived from the seed,
//! so seeding the same server twice with the same seed fails on a duplicate.

mod data;
mod rows;

use data::*;
use rows::{row, Pending, BATCH};

use std::collections::HashSet;

use super::{begin_write, pick, with_conn, with_pool, Conn, Db};
use chrono::{DateTime, Datelike, Duration, Utc};

/// How big an association to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub members: u32,
    pub events: u32,
    pub rsvps: u32,
    /// Years of history, ending about three months after "now".
    pub years: u32,
}

impl Default for Scale {
    /// PRODUCT.md's target scale: 10,000 members, 5,000 events, 200,000 RSVPs.
    fn default() -> Self {
        Scale {
            members: 10_000,
            events: 5_000,
            rsvps: 200_000,
            years: 3,
        }
    }
}

impl Scale {
    /// A small association, for tests and quick runs.
    pub fn small() -> Self {
        Scale {
            members: 200,
            events: 100,
            rsvps: 2_000,
            years: 3,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub members: u64,
    pub events: u64,
    pub upcoming_events: u64,
    pub cancelled_events: u64,
    pub rsvps: u64,
    pub going: u64,
    pub waitlisted: u64,
    pub check_ins: u64,
    /// The event with the most answers (a general assembly).
    pub largest_event: i64,
    pub largest_event_rsvps: u64,
}

/// A word found in many introductions, and one found in very few.
pub const COMMON_WORD: &str = "numérique";
pub const RARE_WORD: &str = "blockchain";

const INTRODUCTIONS: &str = "INSERT INTO introductions (guild_id, user_id, name, organization, about, \
    skills, website, created_at, updated_at) VALUES ";
const EVENTS: &str = "INSERT INTO events (id, guild_id, title, description, location, starts_at, ends_at, \
    capacity, rsvp_deadline, status, cancel_reason, created_by, created_at, updated_at) VALUES ";
const RSVPS: &str = "INSERT INTO rsvps (event_id, user_id, user_name, status, guests, note, arrival_seq, \
    responded_at, checked_in_at) VALUES ";
const SETTINGS: &str =
    "INSERT INTO guild_settings (guild_id, agenda_channel_id, intro_channel_id, \
    announce_channel_id, organizer_role_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

struct Member {
    user_id: i64,
    name: String,
    joined: i64,
}

struct Event {
    id: i64,
    starts: i64,
    capacity: Option<i64>,
    deadline: Option<i64>,
    cancelled: bool,
    created_at: i64,
    /// Members who had joined when it was announced: `members[..eligible]`.
    eligible: u64,
    /// Answers it gets, and the most it may get.
    answers: u64,
    limit: u64,
    popularity: u64,
}

/// Fills server `guild_id` with an association of `scale`, the same for the
/// same `seed` and `now`.
pub async fn generate(
    pool: &Db,
    guild_id: u64,
    scale: &Scale,
    seed: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<Summary> {
    with_pool!(pool, {
        let mut tx = begin_write(pool).await?;
        let mut gen = Generator {
            rng: Rng(seed),
            gid: guild_id as i64,
            now: now.timestamp(),
            scale: *scale,
            pending: Pending::default(),
        };
        let role = snowflake(gen.window_start() - 86_400 * 365, 7);
        sqlx::query(SETTINGS)
            .bind(gen.gid)
            .bind(role + 1)
            .bind(role + 2)
            .bind(role + 3)
            .bind(role)
            .bind(gen.now)
            .execute(&mut *tx)
            .await?;
        let members = gen.members(&mut tx).await?;
        let mut events = gen.events(&mut tx, &members).await?;
        let mut summary = Summary {
            members: members.len() as u64,
            events: events.len() as u64,
            upcoming_events: events.iter().filter(|e| e.starts > gen.now).count() as u64,
            cancelled_events: events.iter().filter(|e| e.cancelled).count() as u64,
            ..Summary::default()
        };
        gen.allocate(&mut events);
        gen.rsvps(&mut tx, &events, &members, &mut summary).await?;
        tx.commit().await?;
        Ok(summary)
    })
}

struct Generator {
    rng: Rng,
    gid: i64,
    now: i64,
    scale: Scale,
    /// The rows not written yet.
    pending: Pending,
}

impl Generator {
    /// History starts `years` back and runs three months past `now`.
    fn window_start(&self) -> i64 {
        self.now - 86_400 * (365 * i64::from(self.scale.years.max(1)) - 90)
    }

    async fn members(&mut self, conn: impl Into<Conn<'_>>) -> anyhow::Result<Vec<Member>> {
        with_conn!(conn, {
            let n = i64::from(self.scale.members.max(1));
            let (start, now) = (self.window_start(), self.now);
            let founders = (n / 8).max(1);
            let mut members = Vec::with_capacity(n as usize);
            for i in 0..n {
                let rng = &mut self.rng;
                // Founders joined before the window, then a steady trickle: oldest first.
                let joined = rng.below(3_600) as i64
                    + match i < founders {
                        true => start - (founders - i) * 86_400 * 365 / founders,
                        false => start + (now - 86_400 - start) * (i - founders) / (n - founders).max(1),
                    };
                let name = format!("{} {}", rng.item(FIRST), rng.item(LAST));
                let org = rng.item(ORGS);
                let mut skills: Vec<&str> = (0..2 + rng.below(3)).map(|_| rng.item(SKILLS)).collect();
                // The rare word is rare but never absent.
                skills.extend((i % 500 == 100).then_some(RARE_WORD));
                skills.sort_unstable();
                skills.dedup();
                let about = rng.item(ABOUT).replace("{city}", rng.item(CITIES));
                let about = about.replace("{org}", org).replace("{skill}", skills[0]);
                let slug: String = org.chars().filter(char::is_ascii_alphanumeric).collect();
                let website = rng
                    .chance(55)
                    .then(|| format!("https://www.{}.fr", slug.to_lowercase()));
                let user_id = snowflake(joined, i as u64);
                let organization = format!("{org} — {}", rng.item(ROLES));
                row!(self.pending; self.gid, user_id, &name, organization, about, skills.join(", "), website);
                row!(self.pending; joined, joined);
                members.push(Member {
                    user_id,
                    name,
                    joined,
                });
                self.pending.flush(&mut *conn, INTRODUCTIONS, BATCH).await?;
            }
            self.pending.flush(&mut *conn, INTRODUCTIONS, 1).await?;
            Ok(members)
        })
    }

    async fn events(&mut self, conn: impl Into<Conn<'_>>, members: &[Member]) -> anyhow::Result<Vec<Event>> {
        with_conn!(conn, {
            // Ids are given explicitly, after every id ever handed out.
            let base: i64 = sqlx::query_scalar(pick!(
                sqlite: "SELECT MAX(COALESCE((SELECT MAX(id) FROM events), 0),
                            COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0))",
                postgres: "SELECT GREATEST(COALESCE((SELECT MAX(id) FROM events), 0),
                            (SELECT last_value FROM events_id_seq))",
            ))
            .fetch_one(&mut *conn)
            .await?;
            let first_day = day_of(self.window_start());
            let days = 365 * i64::from(self.scale.years.max(1));
            let count = i64::from(self.scale.events.max(1));
            // The general assembly before summer, the trade show after it, yearly.
            let (mut assembly, mut show) = (next_date(first_day, 6, 12), next_date(first_day, 9, 20));
            let board = members.len().clamp(1, 8) as u64;
            let mut events = Vec::with_capacity(count as usize);
            for i in 0..count {
                let (rng, now) = (&mut self.rng, self.now);
                let day = first_day + Duration::days(i * days / count);
                let city = rng.item(CITIES);
                let ((name, capacities, minutes, hour, popularity), big) = match day {
                    d if d >= assembly => (ASSEMBLY, 15),
                    d if d >= show => (SHOW, 8),
                    _ => (rng.weighted(KINDS.iter().copied()), 0),
                };
                let title = match (big, rng.below(3)) {
                    (0, 0) => format!("{name} — {city}"),
                    (0, _) => name.to_owned(),
                    _ => format!("{name} {}", day.year()),
                };
                assembly = next_date(assembly.max(day + Duration::days(1)), 6, 12);
                show = next_date(show.max(day + Duration::days(1)), 9, 20);
                let capacity = Some(rng.pick(capacities)).filter(|c| *c > 0);
                let starts = paris(day, hour);
                let lead = 86_400 * (7 + rng.below(38) as i64);
                let created_at = (starts - lead).min(now - 3_600 - rng.below(86_400) as i64);
                let deadline = (capacity.is_some() && rng.chance(20)).then_some(starts - 86_400);
                let cancelled = big == 0 && rng.chance(2);
                let eligible = members.partition_point(|m| m.joined < created_at) as u64;
                let limit = (eligible * 6 / 10).min(capacity.map_or(u64::MAX, |c| c as u64 * 3));
                let location = match name {
                    WEBINAR => "En ligne".to_owned(),
                    _ => format!("{} — {city}", rng.item(VENUES)),
                };
                let by = members[rng.below(board) as usize].user_id;
                let description = rng.chance(70).then(|| rng.item(DESCRIPTIONS));
                let status = if cancelled { "cancelled" } else { "scheduled" };
                let reason = cancelled.then(|| rng.item(CANCEL_REASONS));
                let popularity = popularity * (50 + rng.below(100));
                let (id, ends) = (base + 1 + i, starts + minutes * 60);
                row!(self.pending; id, self.gid, title, description, location, starts, ends, capacity, deadline);
                row!(self.pending; status, reason, by, created_at, created_at);
                self.pending.flush(&mut *conn, EVENTS, BATCH).await?;
                let answers = (eligible * big / 100).min(limit);
                let event = Event {
                    id,
                    starts,
                    capacity,
                    deadline,
                    cancelled,
                    created_at,
                    eligible,
                    answers,
                    limit,
                    popularity,
                };
                events.push(event);
            }
            self.pending.flush(&mut *conn, EVENTS, 1).await?;
            // PostgreSQL's sequence does not see explicit ids (SQLite's does).
            if <Engine as super::engine::Dialect>::POSTGRES {
                sqlx::query("SELECT setval('events_id_seq', GREATEST((SELECT MAX(id) FROM events), 1))")
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(events)
        })
    }

    /// Shares the RSVPs out: the big yearly events have theirs; the rest go
    /// to regular events by popularity, within each event's limit.
    fn allocate(&mut self, events: &mut [Event]) {
        let total = u64::from(self.scale.rsvps);
        let mut given: u64 = events.iter().map(|e| e.answers).sum();
        let rest = total.saturating_sub(given);
        let weights: u64 = events.iter().map(|e| e.popularity).sum::<u64>().max(1);
        for e in events.iter_mut().filter(|e| e.popularity > 0) {
            e.answers = (rest * e.popularity / weights).min(e.limit);
            given += e.answers;
        }
        // Rounding and limits leave some over: hand it out one by one.
        let mut progress = true;
        while given < total && progress {
            progress = false;
            let start = self.rng.below(events.len() as u64) as usize;
            for k in 0..events.len() {
                let e = &mut events[(start + k) % events.len()];
                if given < total && e.popularity > 0 && e.answers < e.limit {
                    (e.answers, given, progress) = (e.answers + 1, given + 1, true);
                }
            }
        }
    }

    /// Each event's answers in order of arrival: seats while they last, then
    /// the waitlist; check-ins for events that took place.
    async fn rsvps(
        &mut self,
        conn: impl Into<Conn<'_>>,
        events: &[Event],
        members: &[Member],
        summary: &mut Summary,
    ) -> Res {
        with_conn!(conn, {
            let mut chosen = HashSet::new();
            for e in events {
                let (n, k, now) = (e.answers, e.eligible, self.now);
                if n > summary.largest_event_rsvps {
                    (summary.largest_event, summary.largest_event_rsvps) = (e.id, n);
                }
                let open = e.created_at;
                let close = (e.deadline.unwrap_or(e.starts).min(now) - 60).max(open + 60);
                let (span, total) = (i128::from(close - open), i128::from(n) + 1);
                let mut taken = 0;
                chosen.clear();
                for j in 0..n {
                    let rng = &mut self.rng;
                    // Long-standing members come more often; n <= 60 % of k, so
                    // a free one is always found.
                    let mut member = rng.below(k).min(if rng.chance(50) { rng.below(k) } else { k });
                    for tries in 0.. {
                        if chosen.insert(member) {
                            break;
                        }
                        member = (if tries < 64 { rng.below(k) } else { member + 1 }) % k;
                    }
                    let m = &members[member as usize];
                    // Early birds: most answers come soon after the announcement.
                    let left = total - i128::from(j) - 1;
                    let responded = open + (span - span * left * left / (total * total)) as i64;
                    let roll = rng.below(100);
                    let guests = rng.weighted([(0, 88), (1, 8), (2, 3), (3, 1)]);
                    let (status, guests) = match roll {
                        0..=71 if e.capacity.is_none_or(|c| taken + 1 + guests <= c) => {
                            taken += 1 + guests;
                            ("going", guests)
                        }
                        0..=71 => ("waitlisted", guests),
                        72..=85 => ("maybe", 0),
                        _ => ("declined", 0),
                    };
                    let held = e.starts <= now && !e.cancelled && status == "going";
                    let checked_in =
                        (held && rng.chance(78)).then(|| e.starts + (rng.below(60) as i64 - 20) * 60);
                    let note = rng.chance(3).then(|| rng.item(NOTES));
                    summary.going += u64::from(status == "going");
                    summary.waitlisted += u64::from(status == "waitlisted");
                    summary.check_ins += u64::from(checked_in.is_some());
                    let seq = j as i64 + 1;
                    row!(self.pending; e.id, m.user_id, &m.name, status, guests, note, seq, responded, checked_in);
                    self.pending.flush(&mut *conn, RSVPS, BATCH).await?;
                }
                summary.rsvps += n;
            }
            self.pending.flush(&mut *conn, RSVPS, 1).await
        })
    }
}

type Res = anyhow::Result<()>;
