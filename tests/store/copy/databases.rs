//! Fresh PostgreSQL databases for one test, dropped afterwards.

use crate::support::database::TestDatabase;

/// Runs `test` with `count` fresh, empty PostgreSQL databases (their URLs),
/// whatever engine the run's other tests use, and drops them afterwards,
/// failed or not. The databases are `support::database`'s: their names are
/// unique across the parallel tests of a binary, where a clock reading
/// alone is not (two tests once got the same name in one nanosecond).
pub async fn with_databases<F, Fut>(count: usize, test: F)
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut databases = Vec::with_capacity(count);
    for _ in 0..count {
        databases.push(TestDatabase::postgres().await);
    }
    let urls = databases.iter().map(|d| d.url.clone()).collect();
    // Its own task, so that a failed assertion is reported after the
    // databases are dropped rather than while the test's pools hold them.
    let outcome = tokio::spawn(test(urls)).await;
    drop(databases);
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}
