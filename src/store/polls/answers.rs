//! Members' answers to a poll: one tap at a time, the counts per date, and
//! who could come at the date chosen.

use crate::store::{pick, with_pool, Db};
use chrono::{DateTime, Utc};

use super::{poll, Poll, Row, COLUMNS, PG_COLUMNS};
use crate::domain::poll::{after_tap, Answer, Tally};
use crate::store::prefs::{Recipient, RecipientRow};
use crate::store::{begin_write_in, sql_id, to_ts};

/// Per date (in order), how many answered yes and if need be.
pub async fn tallies(pool: &Db, poll: &Poll) -> Result<Vec<Tally>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT position, COUNT(CASE WHEN answer = 'yes' THEN 1 END), COUNT(CASE WHEN answer = 'if_need_be' THEN 1 END)
         FROM poll_answers WHERE poll_id = $1 GROUP BY position",
        )
        .bind(poll.id)
        .fetch_all(pool)
        .await?;
        let mut tallies = vec![Tally::default(); poll.dates.len()];
        for (position, yes, if_need_be) in rows {
            if let Some(t) = usize::try_from(position).ok().and_then(|p| tallies.get_mut(p)) {
                *t = Tally { yes, if_need_be };
            }
        }
        Ok(tallies)
    })
}

/// One member's answers, per date (in order); `None` is no.
pub async fn answers_of(pool: &Db, poll: &Poll, user_id: u64) -> Result<Vec<Option<Answer>>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT position, answer FROM poll_answers WHERE poll_id = $1 AND user_id = $2")
                .bind(poll.id)
                .bind(sql_id(user_id))
                .fetch_all(pool)
                .await?;
        Ok(spread(poll.dates.len(), rows))
    })
}

fn spread(dates: usize, rows: Vec<(i64, String)>) -> Vec<Option<Answer>> {
    let mut mine = vec![None; dates];
    for (position, answer) in rows {
        if let Some(slot) = usize::try_from(position).ok().and_then(|p| mine.get_mut(p)) {
            *slot = Answer::parse(&answer);
        }
    }
    mine
}

/// Everyone's answers, for organizers: (position, answer, name), in the
/// order they answered.
pub async fn all_answers(pool: &Db, poll_id: i64) -> Result<Vec<(usize, Answer, String)>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT position, answer, user_name FROM poll_answers WHERE poll_id = $1
         ORDER BY answered_at, user_name",
        )
        .bind(poll_id)
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(p, a, name)| Some((usize::try_from(p).ok()?, Answer::parse(&a)?, name)))
            .collect())
    })
}

/// What became of a tap on a poll's button.
#[derive(Debug, Clone, PartialEq)]
pub enum Tapped {
    /// No such poll in this server, or no such date on it.
    Unknown,
    /// The poll is closed: nothing changed.
    Closed(Poll),
    /// Recorded; the member's answers now, per date.
    Answered { poll: Poll, mine: Vec<Option<Answer>> },
}

/// One member's tap: `answer` for the date at `position`, or taking it back
/// when it was already their answer. Read and written in one transaction,
/// so a tap never lands on a poll closed a moment earlier.
#[allow(clippy::too_many_arguments)]
pub async fn tap(
    pool: &Db,
    guild_id: u64,
    poll_id: i64,
    position: usize,
    user_id: u64,
    user_name: &str,
    answer: Answer,
    now: DateTime<Utc>,
) -> Result<Tapped, sqlx::Error> {
    with_pool!(pool, {
        let mut tx = begin_write_in(pool, &[guild_id]).await?;
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM polls p WHERE p.id = $1 AND p.guild_id = $2",
            pick!(sqlite: COLUMNS, postgres: PG_COLUMNS)
        ));
        let row: Option<Row> = sqlx::query_as(sql)
            .bind(poll_id)
            .bind(sql_id(guild_id))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(poll) = row.map(poll).transpose()? else {
            return Ok(Tapped::Unknown);
        };
        if poll.closed_at.is_some() {
            return Ok(Tapped::Closed(poll));
        }
        if position >= poll.dates.len() {
            return Ok(Tapped::Unknown);
        }
        let current: Option<String> = sqlx::query_scalar(
            "SELECT answer FROM poll_answers WHERE poll_id = $1 AND position = $2 AND user_id = $3",
        )
        .bind(poll.id)
        .bind(position as i64)
        .bind(sql_id(user_id))
        .fetch_optional(&mut *tx)
        .await?;
        match after_tap(current.as_deref().and_then(Answer::parse), answer) {
            None => {
                sqlx::query("DELETE FROM poll_answers WHERE poll_id = $1 AND position = $2 AND user_id = $3")
                    .bind(poll.id)
                    .bind(position as i64)
                    .bind(sql_id(user_id))
                    .execute(&mut *tx)
                    .await?;
            }
            Some(answer) => {
                sqlx::query(
                    "INSERT INTO poll_answers (poll_id, position, user_id, user_name, answer, answered_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (poll_id, position, user_id)
                 DO UPDATE SET answer = excluded.answer, user_name = excluded.user_name,
                     answered_at = excluded.answered_at",
                )
                .bind(poll.id)
                .bind(position as i64)
                .bind(sql_id(user_id))
                .bind(user_name)
                .bind(answer.as_str())
                .bind(to_ts(now))
                .execute(&mut *tx)
                .await?;
            }
        }
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT position, answer FROM poll_answers WHERE poll_id = $1 AND user_id = $2")
                .bind(poll.id)
                .bind(sql_id(user_id))
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let mine = spread(poll.dates.len(), rows);
        Ok(Tapped::Answered { poll, mine })
    })
}

/// Who answered yes or if need be for the date at `position`, in the order
/// they answered, with their language: those told the event exists.
pub async fn could_come(
    pool: &Db,
    guild_id: u64,
    poll_id: i64,
    position: usize,
) -> Result<Vec<Recipient>, sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<RecipientRow> = sqlx::query_as(
            "SELECT a.user_id, p.locale, p.dms_closed_at IS NOT NULL FROM poll_answers a
         LEFT JOIN member_prefs p ON p.guild_id = $1 AND p.user_id = a.user_id
         WHERE a.poll_id = $2 AND a.position = $3
         ORDER BY a.answered_at, a.user_id",
        )
        .bind(sql_id(guild_id))
        .bind(poll_id)
        .bind(position as i64)
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(Recipient::from).collect())
    })
}
