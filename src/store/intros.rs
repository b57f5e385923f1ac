//! Member introductions and their full-text index.

use crate::store::{with_pool, Db};
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

/// What a member searches for: the words they typed, lowercased, at most
/// eight, each matched as a prefix and all required. Only words survive, so
/// full-text syntax typed by a member (`"`, `NEAR(`, `*`, `-`, `AND`/`OR`,
/// `&`, `|`, `!`) is plain text, never an operator; each engine's query is
/// written from the words ([`Words::fts5`], [`Words::tsquery`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words(Vec<String>);

/// The words of `text`; `None` if no word is left.
pub fn fts_query(text: &str) -> Option<Words> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    (!words.is_empty()).then_some(Words(words))
}

impl Words {
    /// SQLite's FTS5 query, bounded to one server: the server is a column
    /// of the index (migration 0018), so FTS5 intersects the words' postings
    /// with the server's before anything is ranked.
    pub fn fts5(&self, guild_id: u64) -> String {
        let words: Vec<String> = self.0.iter().map(|w| format!("\"{w}\"*")).collect();
        format!(
            "guild_id : \"{}\" AND {{name organization about skills}} : ({})",
            sql_id(guild_id),
            words.join(" ")
        )
    }

    /// PostgreSQL's `to_tsquery` text: each word a prefix (`:*`), all
    /// required (`&`). The `rencontre` configuration strips accents.
    pub fn tsquery(&self) -> String {
        let words: Vec<String> = self.0.iter().map(|w| format!("'{w}':*")).collect();
        words.join(" & ")
    }
}

/// Ranks one server's matches from the full-text index alone (bm25, the
/// name and organization weighing more; the server column weighs nothing),
/// then reads the whole introductions of the page only.
pub(crate) const SEARCH_SQL: &str = "SELECT i.user_id, i.name, i.organization, i.about, i.skills, i.website,
            i.message_channel_id, i.message_id, i.updated_at
         FROM (SELECT f.rowid AS id, bm25(introductions_fts, 0.0, 4.0, 3.0, 1.0, 2.0) AS rank
               FROM introductions_fts f
               WHERE introductions_fts MATCH $1
               ORDER BY rank, f.rowid LIMIT $3 OFFSET $4) p
         CROSS JOIN introductions i ON i.id = p.id AND i.guild_id = $2
         ORDER BY p.rank, p.id";

/// The query names the server (`Words::fts5`): the count is the server's.
pub(crate) const SEARCH_TOTAL_SQL: &str =
    "SELECT COUNT(*) FROM introductions_fts f WHERE introductions_fts MATCH $1";

/// PostgreSQL: the GIN index on `(guild_id, fts)` gives the server's
/// matches only (the server bound as a BIGINT, or btree_gin cannot use it);
/// `ts_rank` weighs name (A), organization (B), skills (C) and about (D) in
/// bm25's order on SQLite.
pub(crate) const PG_SEARCH_SQL: &str = "SELECT user_id, name, organization, about, skills, website,
            message_channel_id, message_id, updated_at
         FROM introductions, to_tsquery('rencontre', $1) q
         WHERE guild_id = $2 AND fts @@ q
         ORDER BY ts_rank('{0.25, 0.5, 0.75, 1}', fts, q) DESC, id
         LIMIT $3 OFFSET $4";

pub(crate) const PG_SEARCH_TOTAL_SQL: &str =
    "SELECT COUNT(*) FROM introductions WHERE guild_id = $2 AND fts @@ to_tsquery('rencontre', $1)";

/// Best matches first, paged, with the number of matches: what the server's
/// own directory holds decides the cost, not what other servers store.
pub async fn search(
    pool: &Db,
    guild_id: u64,
    words: &Words,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Introduction>, i64), sqlx::Error> {
    let (page, total, query) = match pool {
        Db::Sqlite(_) => (SEARCH_SQL, SEARCH_TOTAL_SQL, words.fts5(guild_id)),
        Db::Postgres(_) => (PG_SEARCH_SQL, PG_SEARCH_TOTAL_SQL, words.tsquery()),
    };
    with_pool!(pool, {
        let rows: Vec<Row> = sqlx::query_as(page)
            .bind(&query)
            .bind(sql_id(guild_id))
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let mut total = sqlx::query_scalar(total).bind(&query);
        if <Engine as super::engine::Dialect>::POSTGRES {
            total = total.bind(sql_id(guild_id));
        }
        let total: i64 = total.fetch_one(pool).await?;
        Ok((rows.into_iter().map(Introduction::from).collect(), total))
    })
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_syntax_is_neutralised() {
        let fts5 = |text: &str| fts_query(text).map(|w| w.fts5(7));
        let pg = |text: &str| fts_query(text).map(|w| w.tsquery());
        let on = |words: &str| {
            Some(format!(
                "guild_id : \"7\" AND {{name organization about skills}} : ({words})"
            ))
        };
        assert_eq!(fts5("NEAR(web \"seo\")"), on("\"near\"* \"web\"* \"seo\"*"));
        assert_eq!(fts_query("-* \"\" ()"), None);
        assert_eq!(
            fts5("x' OR 1=1; DROP TABLE introductions; --"),
            on("\"x\"* \"or\"* \"1\"* \"1\"* \"drop\"* \"table\"* \"introductions\"*")
        );
        assert_eq!(fts5("Référencement"), on("\"référencement\"*"));
        assert_eq!(pg("x' | !y & (z:*)"), Some("'x':* & 'y':* & 'z':*".into()));
        assert_eq!(
            pg("Référencement web"),
            Some("'référencement':* & 'web':*".into())
        );
    }
}
