//! The database a test runs on. `RENCONTRE_TEST_ENGINE` chooses the engine
//! for the whole run: `sqlite` (the default; a file in a temp dir) or
//! `postgres` (a fresh database on the server `RENCONTRE_TEST_POSTGRES`
//! names), so the same tests prove both engines. `bash .ci/postgres start`
//! makes a throwaway server and prints that variable.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The server the PostgreSQL databases are made on (its `postgres` database
/// or any other it holds: only the host, port and user are used).
pub const SERVER_VARIABLE: &str = "RENCONTRE_TEST_POSTGRES";
/// `sqlite` or `postgres`: which engine every test's database uses.
pub const ENGINE_VARIABLE: &str = "RENCONTRE_TEST_ENGINE";
/// Every test database's name starts with it, so leftovers of a killed run
/// are easy to find on a long-lived server.
pub const NAME_PREFIX: &str = "rt_";

/// The engine this run's tests use: `"sqlite"` or `"postgres"`.
pub fn engine() -> &'static str {
    match std::env::var(ENGINE_VARIABLE).as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => "sqlite",
        Ok("postgres") => "postgres",
        Ok(other) => panic!("{ENGINE_VARIABLE}={other}: expected sqlite or postgres"),
    }
}

/// One test's own database, deleted when dropped (the SQLite file with its
/// temp dir; the PostgreSQL database by `DROP DATABASE … WITH (FORCE)`, which
/// also ends the connections a pool still holds).
pub struct TestDatabase {
    /// What `store::connect` and `DATABASE_URL` take.
    pub url: String,
    /// The SQLite file's folder.
    dir: Option<tempfile::TempDir>,
    /// The PostgreSQL server's URL and the database made on it.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh, empty database on this run's engine.
    pub async fn new() -> TestDatabase {
        match engine() {
            "postgres" => TestDatabase::postgres().await,
            _ => TestDatabase::sqlite(),
        }
    }

    /// A fresh SQLite file, whatever the run's engine (for tests about the
    /// file itself).
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("a temp dir for the test database");
        TestDatabase {
            url: format!("sqlite://{}", dir.path().join("test.db").display()),
            dir: Some(dir),
            postgres: None,
        }
    }

    /// A fresh PostgreSQL database, whatever the run's engine (for tests only
    /// PostgreSQL can run). Panics, saying how to get one, without a server.
    pub async fn postgres() -> TestDatabase {
        let server = match std::env::var(SERVER_VARIABLE) {
            Ok(url) if !url.is_empty() => url,
            _ => panic!(
                "{SERVER_VARIABLE} is not set: this test needs a PostgreSQL server. Start a throwaway one with \
                 eval \"$(bash .ci/postgres start)\" and run the tests again"
            ),
        };
        TestDatabase::postgres_on(&server).await
    }

    /// A fresh database on the PostgreSQL server `server` names (the
    /// benchmarks take theirs from a variable of their own). Panics, naming
    /// the host, when the server cannot be reached.
    pub async fn postgres_on(server: &str) -> TestDatabase {
        let server = server.to_owned();
        let name = unique_name();
        let mut admin = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e}", redacted(&server)));
        sqlx::raw_sql(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name} on {}: {e}", redacted(&server)));
        // Closing politely is not worth failing a test over.
        let _ = admin.close().await;
        TestDatabase {
            url: with_database(&server, &name),
            dir: None,
            postgres: Some((server, name)),
        }
    }

    /// `"sqlite"` or `"postgres"`: this database's engine.
    pub fn engine(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside or outside a tokio runtime, and blocking on a
        // runtime from inside another panics: the database is dropped from
        // a thread of its own, with its own runtime, and waited for so it is
        // gone when the value is.
        let dropping = name.clone();
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("a runtime: {e}"))?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server)
                    .await
                    .map_err(|e| format!("connect to {}: {e}", redacted(&server)))?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    r#"DROP DATABASE IF EXISTS "{dropping}" WITH (FORCE)"#
                )))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
                let _ = admin.close().await;
                Ok(())
            })
        })
        .join();
        // A panic in Drop while a failing test unwinds would abort the whole
        // binary and hide the test's own message: a leftover database is
        // only reported.
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("test database {name} was not dropped: {e}"),
            Err(_) => eprintln!("test database {name} was not dropped: the dropping thread panicked"),
        }
    }
}

/// `rt_<pid>_<counter>_<microseconds>`: unique across the parallel tests of
/// one binary (counter), the binaries of one run (pid), and runs (time).
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    format!(
        "{NAME_PREFIX}{}_{}_{micros}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The server's URL with its path (the database) replaced by `name`; the
/// query string (sslmode and the like) is kept.
pub fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server, None),
    };
    let authority_at = base.find("://").map_or(0, |i| i + 3);
    let path_at = base[authority_at..]
        .find('/')
        .map_or(base.len(), |i| authority_at + i);
    let mut url = format!("{}/{name}", &base[..path_at]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// The URL without its password, for messages.
pub fn redacted(url: &str) -> String {
    let authority_at = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[authority_at..]
        .find(['/', '?'])
        .map_or(url.len(), |i| authority_at + i);
    match url[authority_at..authority_end].rfind('@') {
        Some(at) => {
            let user_info = &url[authority_at..authority_at + at];
            match user_info.split_once(':') {
                Some((user, _password)) => {
                    format!("{}{user}:***{}", &url[..authority_at], &url[authority_at + at..])
                }
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    }
}
