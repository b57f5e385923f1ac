//! Configuration from the environment (and a `.env` file).

mod shards;

use std::fmt;

pub use shards::{ShardRange, ShardRangeError};

/// The bot token. Never printed: its Debug and Display show a placeholder.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The token itself, only for handing to Discord's client.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://rencontre.db";

#[derive(Debug, Clone)]
pub struct Config {
    pub token: Option<Secret>,
    pub database_url: String,
    pub proxy: Option<String>,
    pub guild: Option<u64>,
    pub http: Option<String>,
    /// Public address of the HTTP server, for the links `/calendar` gives
    /// (default: `http://` + `RENCONTRE_HTTP`).
    pub public_url: Option<String>,
    /// A separate address for `/metrics` (`RENCONTRE_METRICS`); the public
    /// port then does not serve it.
    pub metrics: Option<String>,
    pub welcome: bool,
    /// The shards this process runs (`RENCONTRE_SHARDS`, or `run --shards`);
    /// `None`: every shard Discord recommends.
    pub shards: Option<ShardRange>,
}

impl Config {
    /// Reads the environment; a `.env` file in the working directory is
    /// loaded first (without overriding variables already set). Only there:
    /// `dotenvy::dotenv()` also searches parent folders, where a stray file
    /// could point `DISCORD_PROXY`, and the token with it, elsewhere.
    pub fn from_env() -> anyhow::Result<Config> {
        let _ = dotenvy::from_path(".env");
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let guild = match var("RENCONTRE_GUILD") {
            // 0 is no server (and serenity's ids panic on it).
            Some(g) => Some(g.trim().parse().ok().filter(|id: &u64| *id != 0).ok_or_else(|| {
                anyhow::anyhow!("RENCONTRE_GUILD must be a server id (a number), got {g:?}")
            })?),
            None => None,
        };
        let shards = match var("RENCONTRE_SHARDS") {
            Some(text) => Some(
                text.parse()
                    .map_err(|e| anyhow::anyhow!("RENCONTRE_SHARDS: {e}"))?,
            ),
            None => None,
        };
        Ok(Config {
            token: var("DISCORD_TOKEN").map(Secret::new),
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            proxy: var("DISCORD_PROXY"),
            guild,
            http: var("RENCONTRE_HTTP"),
            public_url: var("RENCONTRE_PUBLIC_URL"),
            metrics: var("RENCONTRE_METRICS"),
            welcome: var("RENCONTRE_WELCOME").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
            shards,
        })
    }
}

impl Config {
    /// Where members reach the HTTP server, if it runs.
    pub fn feed_base(&self) -> Option<String> {
        let bind = self.http.as_ref()?;
        Some(
            self.public_url
                .clone()
                .unwrap_or_else(|| format!("http://{bind}")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn the_token_never_prints() {
        let s = Secret::new("MTIz.secret.token".into());
        assert!(!format!("{s:?} {s}").contains("secret"));
        assert_eq!(s.expose(), "MTIz.secret.token");
    }
}
