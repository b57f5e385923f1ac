//! Member introductions and their full-text index.

use crate::store::{with_conn, with_pool, Conn, Db};
use chrono::{DateTime, Utc};

use super::{from_sql_id, from_ts, sql_id, to_ts};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Introduction {
    pub user_id: u64,
    pub name: String,
    pub organization: Option<String>,
    pub about: Option<String>,
    pub skills: Option<String>,
    pub website: Option<String>,
    pub message_channel_id: Option<u64>,
    pub message_id: Option<u64>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    user_id: i64,
    name: String,
    organization: Option<String>,
    about: Option<String>,
    skills: Option<String>,
    website: Option<String>,
    message_channel_id: Option<i64>,
    message_id: Option<i64>,
    updated_at: i64,
}

impl From<Row> for Introduction {
    fn from(r: Row) -> Self {
        Introduction {
            user_id: from_sql_id(r.user_id),
            name: r.name,
            organization: r.organization,
            about: r.about,
            skills: r.skills,
            website: r.website,
            message_channel_id: r.message_channel_id.map(from_sql_id),
            message_id: r.message_id.map(from_sql_id),
            updated_at: Some(from_ts(r.updated_at)),
        }
    }
}

/// Saves a member's introduction (one per member and server).
pub async fn upsert(
    pool: &Db,
    guild_id: u64,
    intro: &Introduction,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
            "INSERT INTO introductions (guild_id, user_id, name, organization, about, skills, website,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name,
             organization = excluded.organization, about = excluded.about,
             skills = excluded.skills, website = excluded.website, updated_at = excluded.updated_at",
        )
        .bind(sql_id(guild_id))
        .bind(sql_id(intro.user_id))
        .bind(&intro.name)
        .bind(&intro.organization)
        .bind(&intro.about)
        .bind(&intro.skills)
        .bind(&intro.website)
        .bind(to_ts(now))
        .bind(to_ts(now))
        .execute(pool)
        .await?;
        Ok(())
    })
}

pub async fn get(pool: &Db, guild_id: u64, user_id: u64) -> Result<Option<Introduction>, sqlx::Error> {
    with_pool!(pool, {
        let row: Option<Row> = sqlx::query_as(
            "SELECT user_id, name, organization, about, skills, website, message_channel_id,
            message_id, updated_at
         FROM introductions WHERE guild_id = $1 AND user_id = $2",
        )
        .bind(sql_id(guild_id))
        .bind(sql_id(user_id))
        .fetch_optional(pool)
        .await?;
        Ok(row.map(Introduction::from))
    })
}

/// Remembers the posted introduction message, so an update edits it.
pub async fn set_message(
    pool: &Db,
    guild_id: u64,
    user_id: u64,
    channel_id: u64,
    message_id: u64,
) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
        "UPDATE introductions SET message_channel_id = $1, message_id = $2 WHERE guild_id = $3 AND user_id = $4",
    )
    .bind(sql_id(channel_id))
    .bind(sql_id(message_id))
    .bind(sql_id(guild_id))
    .bind(sql_id(user_id))
    .execute(pool)
    .await?;
        Ok(())
    })
}

/// Turns what a member typed into a safe FTS5 query: only words survive,
/// each quoted and used as a prefix, all required. FTS syntax (`"`, `NEAR(`,
/// `*`, `-`, `AND`/`OR`) typed by a member is thus plain text, never an
/// operator. `None` if no word is left.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Whether a match `f` is an introduction of server `?2`. When every
/// introduction stored belongs to that server (one association per bot, the
/// usual case), the two ends of `introductions_by_guild_created` say so once
/// per statement and the per-match lookup is skipped (`OR` stops at its
/// first true term); otherwise each match is looked up by rowid. A common
/// word matches two thirds of the introductions: the lookups were a quarter
/// of the search.
macro_rules! of_guild {
    () => {
        "((SELECT MIN(guild_id) FROM introductions) = $2
              AND (SELECT MAX(guild_id) FROM introductions) = $2
           OR EXISTS (SELECT 1 FROM introductions g WHERE g.id = f.rowid AND g.guild_id = $2))"
    };
}

/// Ranks the matches from the full-text index alone (bm25, then id), and
/// reads the whole introductions of the page only.
pub(crate) const SEARCH_SQL: &str = concat!(
    "SELECT i.user_id, i.name, i.organization, i.about, i.skills, i.website,
            i.message_channel_id, i.message_id, i.updated_at
         FROM (SELECT f.rowid AS id, bm25(introductions_fts, 4.0, 3.0, 1.0, 2.0) AS rank
               FROM introductions_fts f
               WHERE introductions_fts MATCH $1 AND ",
    of_guild!(),
    "
               ORDER BY rank, f.rowid LIMIT $3 OFFSET $4) p
         CROSS JOIN introductions i ON i.id = p.id
         ORDER BY p.rank, p.id"
);

pub(crate) const SEARCH_TOTAL_SQL: &str = concat!(
    "SELECT COUNT(*) FROM introductions_fts f WHERE introductions_fts MATCH $1 AND ",
    of_guild!()
);

/// Best matches first (bm25, name and organization weigh more), paged.
/// The full-text match drives both statements: it is their only scanned
/// table, so it runs once (joined to `introductions` the other way round,
/// it once ran per introduction of the server: 5.7 s at 10,000 members).
pub async fn search(
    pool: &Db,
    guild_id: u64,
    fts: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Introduction>, i64), sqlx::Error> {
    with_pool!(pool, {
        let rows: Vec<Row> = sqlx::query_as(SEARCH_SQL)
            .bind(fts)
            .bind(sql_id(guild_id))
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(SEARCH_TOTAL_SQL)
            .bind(fts)
            .bind(sql_id(guild_id))
            .fetch_one(pool)
            .await?;
        Ok((rows.into_iter().map(Introduction::from).collect(), total))
    })
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_syntax_is_neutralised() {
        assert_eq!(
            fts_query("NEAR(web \"seo\")"),
            Some("\"near\"* \"web\"* \"seo\"*".into())
        );
        assert_eq!(fts_query("-* \"\" ()"), None);
        assert_eq!(
            fts_query("x' OR 1=1; DROP TABLE introductions; --"),
            Some("\"x\"* \"or\"* \"1\"* \"1\"* \"drop\"* \"table\"* \"introductions\"*".into())
        );
        assert_eq!(fts_query("Référencement"), Some("\"référencement\"*".into()));
    }
}
