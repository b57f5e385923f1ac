//! `/event edit` and `/event cancel` as one write each. The event and the
//! dates of its series are read under the write lock, the caller's rules
//! decide on what was read (a plain function, no I/O), and the change lands
//! whole or not at all: two organizers editing at once, or an edit racing a
//! cancel, cannot undo each other, and nothing is half-saved.

use chrono::{DateTime, Utc};

use super::jobs::Kind;
use super::{begin_write_in, rsvps, Db};
use crate::domain::event::{Event, EventFields};

/// What the caller decides on: the event, and when it belongs to a series
/// and [`Ask::whole_series`] is set, the dates of the whole series still to
/// come, soonest first (empty otherwise). Both as the write lock sees them.
pub struct Found {
    pub event: Event,
    pub series_upcoming: Vec<Event>,
}

/// Which event a change is about, and what to read with it.
pub struct Ask<'c> {
    pub guild_id: u64,
    pub event_id: i64,
    /// Whether the change may reach other dates of the event's series:
    /// their list is read only then.
    pub whole_series: bool,
    /// The time, read once the write lock is held: waiting for it may take
    /// a while, and what is over by then stays as it was.
    pub clock: &'c (dyn Fn() -> DateTime<Utc> + Sync),
}

/// One date and what it becomes.
pub struct DateEdit {
    pub before: Event,
    pub after: EventFields,
}

/// An edit the caller decided on.
pub struct EditPlan {
    /// The dates changed, in date order.
    pub dates: Vec<DateEdit>,
    /// The series whose rule follows the new time, when the change reaches
    /// its last dates and moves them.
    pub reanchor: Option<i64>,
}

/// A cancellation the caller decided on.
pub struct CancelPlan {
    pub dates: Vec<Event>,
    /// The series that generates no more dates, when its last ones go.
    pub stop_series: Option<i64>,
}

/// What a plan touches, checked against what was read before it is
/// written: a plan cannot reach a date of another server or series.
trait Reach {
    fn dates(&self) -> Vec<i64>;
    fn series(&self) -> Option<i64>;
}

impl Reach for EditPlan {
    fn dates(&self) -> Vec<i64> {
        self.dates.iter().map(|d| d.before.id).collect()
    }
    fn series(&self) -> Option<i64> {
        self.reanchor
    }
}

impl Reach for CancelPlan {
    fn dates(&self) -> Vec<i64> {
        self.dates.iter().map(|d| d.id).collect()
    }
    fn series(&self) -> Option<i64> {
        self.stop_series
    }
}

/// Why a change did not land: the caller's own refusal, or what only the
/// write could see.
#[derive(Debug)]
pub enum Refused<R> {
    /// No such event in this server (deleted meanwhile).
    Gone,
    /// The caller's rules refused.
    Rule(R),
    /// A new capacity below the seats already taken on one of the dates.
    SeatsTaken(i64),
}

/// What an edit changed.
pub struct Edited {
    pub plan: EditPlan,
    /// The dates whose time or place changed: their guests get a DM.
    pub moved: Vec<i64>,
    /// Whether anyone left the waiting list for a seat.
    pub promoted: bool,
}

/// Reads the event `ask` names under the write lock, asks `decide` what
/// to change, and writes it with its reminders, promotions, guests' notices
/// and the series' new rule.
pub async fn edit<R>(
    pool: &Db,
    ask: Ask<'_>,
    reminder_offsets: &[i64],
    decide: impl FnOnce(&Found) -> Result<EditPlan, R>,
) -> Result<Result<Edited, Refused<R>>, sqlx::Error> {
    let guild_id = ask.guild_id;
    let (mut tx, plan, now) = match read_and_decide(pool, ask, decide).await? {
        Ok(decided) => decided,
        Err(refused) => return Ok(Err(refused)),
    };
    let mut moved = Vec::new();
    let mut promoted = false;
    for date in &plan.dates {
        let id = date.before.id;
        let taken = rsvps::promote::seats_taken(&mut tx, id).await?;
        if date.after.capacity.is_some_and(|cap| cap < taken) {
            return Ok(Err(Refused::SeatsTaken(taken)));
        }
        super::events::update(&mut tx, id, &date.after, now).await?;
        promoted |= !rsvps::promote::promote_waitlist(&mut tx, id, date.after.capacity, now)
            .await?
            .is_empty();
        super::jobs::plan_event(&mut tx, id, reminder_offsets, now).await?;
        if date.after.starts_at != date.before.starts_at || date.after.location != date.before.location {
            moved.push(id);
        }
    }
    // One DM per guest for the whole change, however many dates it touched.
    super::notices::queue(&mut tx, Kind::Changed, guild_id, &moved, now).await?;
    if let Some(series) = plan.reanchor {
        let dates: Vec<i64> = plan.dates.iter().map(|d| d.before.id).collect();
        super::series::reanchor(&mut tx, series, &dates, now).await?;
    }
    tx.commit().await?;
    Ok(Ok(Edited {
        plan,
        moved,
        promoted,
    }))
}

/// Reads the event under the write lock, asks `decide` which dates to
/// cancel, and cancels them with their reminders, the guests' notices and,
/// if asked, the series' future dates.
pub async fn cancel<R>(
    pool: &Db,
    ask: Ask<'_>,
    reason: Option<&str>,
    decide: impl FnOnce(&Found) -> Result<CancelPlan, R>,
) -> Result<Result<CancelPlan, Refused<R>>, sqlx::Error> {
    let guild_id = ask.guild_id;
    let (mut tx, plan, now) = match read_and_decide(pool, ask, decide).await? {
        Ok(decided) => decided,
        Err(refused) => return Ok(Err(refused)),
    };
    for date in &plan.dates {
        super::events::cancel_in(&mut tx, date.id, reason, now).await?;
    }
    if let Some(series) = plan.stop_series {
        super::series::stop_whole_series(&mut tx, series).await?;
    }
    let ids: Vec<i64> = plan.dates.iter().map(|d| d.id).collect();
    super::notices::queue(&mut tx, Kind::Cancelled, guild_id, &ids, now).await?;
    tx.commit().await?;
    Ok(Ok(plan))
}

/// Opens the write transaction, reads what the caller decides on and asks
/// it; the transaction comes back with the plan, to write it, and the time
/// read under the lock.
async fn read_and_decide<P: Reach, R>(
    pool: &Db,
    ask: Ask<'_>,
    decide: impl FnOnce(&Found) -> Result<P, R>,
) -> Result<Result<(super::Tx, P, DateTime<Utc>), Refused<R>>, sqlx::Error> {
    let mut tx = begin_write_in(pool, &[ask.guild_id]).await?;
    let now = (ask.clock)();
    let Some(found) = found(&mut tx, &ask, now).await? else {
        return Ok(Err(Refused::Gone));
    };
    let plan = match decide(&found) {
        Ok(plan) => plan,
        Err(refusal) => return Ok(Err(Refused::Rule(refusal))),
    };
    let read = |id: i64| id == found.event.id || found.series_upcoming.iter().any(|e| e.id == id);
    let series_read = plan.series().is_none() || plan.series() == found.event.series_id;
    if !plan.dates().into_iter().all(read) || !series_read {
        return Err(sqlx::Error::Protocol(
            "an event change reached past the dates it read".into(),
        ));
    }
    Ok(Ok((tx, plan, now)))
}

async fn found(tx: &mut super::Tx, ask: &Ask<'_>, now: DateTime<Utc>) -> Result<Option<Found>, sqlx::Error> {
    let Some(event) = super::events::get(&mut *tx, ask.guild_id, ask.event_id).await? else {
        return Ok(None);
    };
    let series_upcoming = match event.series_id {
        Some(series) if ask.whole_series => {
            super::series::upcoming_in_whole_series(&mut *tx, series, now).await?
        }
        _ => Vec::new(),
    };
    Ok(Some(Found {
        event,
        series_upcoming,
    }))
}
