//! Fresh PostgreSQL databases for one test, dropped afterwards.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::AssertSqlSafe;

/// The server the tests create their databases on.
fn server_url() -> String {
    std::env::var("RENCONTRE_TEST_POSTGRES")
        .expect("RENCONTRE_TEST_POSTGRES=postgres://… names a server to create databases on")
}

/// `url` with its database replaced by `name` (query string kept).
fn url_of_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").unwrap() + 3;
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Runs `test` with `count` fresh, empty PostgreSQL databases (their URLs),
/// and drops them afterwards, failed or not.
pub async fn with_databases<F, Fut>(count: usize, test: F)
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let url = server_url();
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(PgConnectOptions::from_str(&url).unwrap())
        .await
        .unwrap();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let names: Vec<String> = (0..count)
        .map(|i| format!("copy_{}_{stamp}_{i}", std::process::id()))
        .collect();
    for name in &names {
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
    }
    let urls = names.iter().map(|n| url_of_database(&url, n)).collect();
    // Its own task, so that a failed assertion still reaches the DROPs.
    let outcome = tokio::spawn(test(urls)).await;
    for name in &names {
        sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
            .execute(&admin)
            .await
            .unwrap();
    }
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}
