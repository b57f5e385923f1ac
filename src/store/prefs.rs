//! Member preferences (reminders, the language of their DMs) and delivery
//! facts (closed DMs).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::store::{pick, with_pool, Db};
use chrono::{DateTime, Utc};

use super::{from_sql_id, sql_id, to_ts};
use crate::domain::Lang;

/// Someone a DM is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub user_id: u64,
    /// The language of their Discord client, when learnt; else the server's.
    pub lang: Option<Lang>,
    /// A DM to them failed because their DMs were closed.
    pub dms_closed: bool,
}

/// `user_id, locale, dms_closed_at IS NOT NULL` as read.
pub(crate) type RecipientRow = (i64, Option<String>, bool);

impl From<RecipientRow> for Recipient {
    fn from((user_id, locale, dms_closed): RecipientRow) -> Self {
        Recipient {
            user_id: from_sql_id(user_id),
            lang: locale.as_deref().map(Lang::from_locale),
            dms_closed,
        }
    }
}

/// Turns reminders on or off. Turning them on also forgets that the
/// member's DMs were found closed: they say they want DMs, so they are
/// tried again.
pub async fn set_reminders(
    pool: &Db,
    guild_id: u64,
    user_id: u64,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
        "INSERT INTO member_prefs (guild_id, user_id, reminders_enabled, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET
             reminders_enabled = excluded.reminders_enabled, updated_at = excluded.updated_at,
             dms_closed_at = CASE WHEN excluded.reminders_enabled THEN NULL ELSE member_prefs.dms_closed_at END",
    )
    .bind(sql_id(guild_id))
    .bind(sql_id(user_id))
    .bind(enabled)
    .bind(to_ts(now))
    .execute(pool)
    .await?;
        Ok(())
    })
}

/// Reminders are on unless the member turned them off.
pub async fn reminders_enabled(pool: &Db, guild_id: u64, user_id: u64) -> Result<bool, sqlx::Error> {
    with_pool!(pool, {
        let on: Option<bool> = sqlx::query_scalar(
            "SELECT reminders_enabled FROM member_prefs WHERE guild_id = $1 AND user_id = $2",
        )
        .bind(sql_id(guild_id))
        .bind(sql_id(user_id))
        .fetch_optional(pool)
        .await?;
        Ok(on.unwrap_or(true))
    })
}

/// Notes that a DM to this member failed because their DMs are closed
/// (Discord error 50007), so reminders skip them instead of retrying.
pub async fn mark_dms_closed(
    pool: &Db,
    guild_id: u64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query(
            "INSERT INTO member_prefs (guild_id, user_id, dms_closed_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET dms_closed_at = excluded.dms_closed_at,
             updated_at = excluded.updated_at",
        )
        .bind(sql_id(guild_id))
        .bind(sql_id(user_id))
        .bind(to_ts(now))
        .bind(to_ts(now))
        .execute(pool)
        .await?;
        Ok(())
    })
}

/// A DM reached a member once noted with closed DMs: they opened them, so
/// reminders reach them again.
pub async fn dms_open(pool: &Db, guild_id: u64, user_id: u64) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        sqlx::query("UPDATE member_prefs SET dms_closed_at = NULL WHERE guild_id = $1 AND user_id = $2")
            .bind(sql_id(guild_id))
            .bind(sql_id(user_id))
            .execute(pool)
            .await?;
        Ok(())
    })
}

/// At most this many members' languages are kept. Past it, the languages
/// already saved are forgotten; if none is saved yet (a burst of new members
/// between two saves), a new member's language waits for their next
/// interaction: the map neither grows without bound nor is walked on each
/// click.
const LOCALES_KEPT: usize = 20_000;

/// The language each member's Discord client was last seen in, learnt from
/// every interaction at the cost of a map lookup: only a language not yet
/// saved is written, later and in one statement for all
/// ([`save_locales`]), never on the click path.
#[derive(Default)]
pub struct Locales(Mutex<Learnt>);

#[derive(Default)]
struct Learnt {
    /// Per (server, member): the language, and whether it is saved.
    langs: HashMap<(u64, u64), (Lang, bool)>,
    /// Languages were saved since the saved ones were last forgotten.
    some_saved: bool,
}

impl Locales {
    /// Notes the language a member's interaction came in.
    pub fn observe(&self, guild_id: u64, user_id: u64, lang: Lang) {
        let mut learnt = self.lock();
        let key = (guild_id, user_id);
        match learnt.langs.get(&key) {
            Some((known, _)) if *known == lang => return,
            Some(_) => {}
            None if learnt.langs.len() < LOCALES_KEPT => {}
            None => {
                if !learnt.some_saved {
                    return;
                }
                learnt.langs.retain(|_, (_, saved)| !*saved);
                learnt.some_saved = false;
                if learnt.langs.len() >= LOCALES_KEPT {
                    return;
                }
            }
        }
        learnt.langs.insert(key, (lang, false));
    }

    /// A member who erased their data: nothing of theirs is written back.
    pub fn forget_user(&self, user_id: u64) {
        self.lock().langs.retain(|(_, user), _| *user != user_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Learnt> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Writes the languages learnt since the last call, in one statement; a
/// row is touched only where the language changed.
pub async fn save_locales(pool: &Db, locales: &Locales, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    with_pool!(pool, {
        let unsaved: Vec<serde_json::Value> = locales
            .lock()
            .langs
            .iter()
            .filter(|(_, (_, saved))| !*saved)
            .map(|((guild, user), (lang, _))| serde_json::json!([sql_id(*guild), sql_id(*user), lang.code()]))
            .collect();
        if unsaved.is_empty() {
            return Ok(());
        }
        sqlx::query(pick!(
            sqlite: "INSERT INTO member_prefs (guild_id, user_id, locale, updated_at)
         SELECT value ->> 0, value ->> 1, value ->> 2, $1 FROM json_each($2) WHERE true
         ON CONFLICT (guild_id, user_id) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at
         WHERE member_prefs.locale IS NOT excluded.locale",
            postgres: "INSERT INTO member_prefs (guild_id, user_id, locale, updated_at)
         SELECT (value ->> 0)::bigint, (value ->> 1)::bigint, value ->> 2, $1
             FROM json_array_elements($2::json) AS value
         ON CONFLICT (guild_id, user_id) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at
         WHERE member_prefs.locale IS DISTINCT FROM excluded.locale",
        ))
    .bind(to_ts(now))
    .bind(serde_json::Value::from(unsaved.clone()).to_string())
    .execute(pool)
    .await?;
        let mut learnt = locales.lock();
        for entry in unsaved {
            let key = (
                entry[0].as_i64().map(from_sql_id),
                entry[1].as_i64().map(from_sql_id),
            );
            if let (Some(guild), Some(user)) = key {
                // Unless a newer language came in meanwhile.
                if let Some((lang, saved)) = learnt.langs.get_mut(&(guild, user)) {
                    if lang.code() == entry[2] {
                        *saved = true;
                        learnt.some_saved = true;
                    }
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(locales: &Locales) -> usize {
        locales.lock().langs.len()
    }

    fn mark_all_saved(locales: &Locales) {
        let mut learnt = locales.lock();
        learnt.langs.values_mut().for_each(|(_, saved)| *saved = true);
        learnt.some_saved = true;
    }

    #[test]
    fn a_burst_of_new_members_never_grows_the_map_past_its_bound() {
        let locales = Locales::default();
        for user in 0..LOCALES_KEPT as u64 + 500 {
            locales.observe(1, user, Lang::Fr);
        }
        assert_eq!(kept(&locales), LOCALES_KEPT, "none saved yet: the newest wait");
        // A member already known still changes language in place.
        locales.observe(1, 0, Lang::En);
        assert_eq!(locales.lock().langs[&(1, 0)], (Lang::En, false));

        // Once saved, the saved languages make room for new members at once.
        mark_all_saved(&locales);
        locales.observe(1, 1_000_000, Lang::En);
        assert_eq!(kept(&locales), 1);
        assert_eq!(locales.lock().langs[&(1, 1_000_000)], (Lang::En, false));
    }
}
