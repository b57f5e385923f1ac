//! The test databases themselves: each PostgreSQL test gets a database of its
//! own on the server, usable at once and gone once the test drops it, so the
//! PostgreSQL half of the suite runs its tests in parallel without one test
//! seeing another's data, and leaves the server as it found it.

use crate::support;

use sqlx::{Connection, PgConnection};
use support::database::{engine, redacted, with_database, TestDatabase, SERVER_VARIABLE};

/// Whether the server holds a database of that name.
async fn exists(name: &str) -> bool {
    let server = std::env::var(SERVER_VARIABLE).unwrap();
    let mut admin = PgConnection::connect(&server).await.unwrap();
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    found == 1
}

fn name_of(database: &TestDatabase) -> String {
    database.url.rsplit('/').next().unwrap().to_owned()
}

async fn select_one(url: &str) -> i32 {
    let mut connection = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut connection)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: eval \"$(bash .ci/postgres start)\" first"
)]
async fn each_test_gets_its_own_postgres_database_gone_after_the_test() {
    let first = TestDatabase::postgres().await;
    let second = TestDatabase::postgres().await;
    assert_ne!(first.url, second.url);
    let (first_name, second_name) = (name_of(&first), name_of(&second));
    assert!(first_name.starts_with("rt_"), "{first_name}");
    assert!(exists(&first_name).await && exists(&second_name).await);
    assert_eq!(select_one(&first.url).await, 1);
    assert_eq!(select_one(&second.url).await, 1);

    // A table in one is not in the other.
    let mut connection = PgConnection::connect(&first.url).await.unwrap();
    sqlx::raw_sql("CREATE TABLE only_here (x int)")
        .execute(&mut connection)
        .await
        .unwrap();
    let mut other = PgConnection::connect(&second.url).await.unwrap();
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(tables, 0);
    drop(other);

    // Dropped with a connection still open (as a test's pool would be):
    // WITH (FORCE) ends it.
    drop(first);
    assert!(!exists(&first_name).await, "{first_name} outlived its test");
    assert!(exists(&second_name).await, "dropping one left the other");
    assert!(connection.ping().await.is_err(), "the open connection was ended");
    drop(second);
    assert!(!exists(&second_name).await, "{second_name} outlived its test");
}

/// Made in one runtime, dropped where no runtime runs (a test's values can
/// outlive its runtime).
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: eval \"$(bash .ci/postgres start)\" first"
)]
fn a_postgres_database_is_dropped_outside_a_runtime_too() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let database = runtime.block_on(TestDatabase::postgres());
    let name = name_of(&database);
    assert!(runtime.block_on(exists(&name)));
    drop(database);
    assert!(!runtime.block_on(exists(&name)), "{name} outlived its test");
}

/// The run's engine decides where `TestDatabase::new` puts a test.
#[tokio::test]
async fn the_run_engine_chooses_the_database() {
    let database = TestDatabase::new().await;
    assert_eq!(database.engine(), engine());
    let scheme = match engine() {
        "postgres" => "postgres://",
        _ => "sqlite://",
    };
    assert!(database.url.starts_with(scheme), "{}", database.url);
}

#[test]
fn a_database_url_keeps_the_server_and_its_options() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5433/postgres", "rt_1"),
        "postgres://postgres@127.0.0.1:5433/rt_1"
    );
    assert_eq!(
        with_database("postgres://u:p@db.example:5432?sslmode=require", "rt_2"),
        "postgres://u:p@db.example:5432/rt_2?sslmode=require"
    );
    assert_eq!(
        with_database("postgresql://u@h/other?application_name=x", "rt_3"),
        "postgresql://u@h/rt_3?application_name=x"
    );
}

#[test]
fn a_server_url_in_a_message_hides_its_password() {
    assert_eq!(
        redacted("postgres://rencontre:s3cret@db.example:5432/rencontre"),
        "postgres://rencontre:***@db.example:5432/rencontre"
    );
    assert_eq!(
        redacted("postgres://postgres@127.0.0.1:5433/postgres"),
        "postgres://postgres@127.0.0.1:5433/postgres"
    );
}
