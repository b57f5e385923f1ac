//! Write transactions on PostgreSQL, where one database holds many
//! associations: a server's writes wait for that server's writes only,
//! and a write that may touch any server waits for all of them.

use std::time::Duration;

use crate::support;

use rencontre::store;
use sqlx::{Connection, PgConnection};
use support::database::TestDatabase;

/// Far beyond any wait here; reached only if a lock is never granted.
const STUCK: Duration = Duration::from_secs(30);

/// Waits until `count` advisory lock requests are queued on the server.
async fn queued(url: &str, count: i64) {
    let mut watcher = PgConnection::connect(url).await.unwrap();
    let seen = tokio::time::timeout(STUCK, async {
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            )
            .fetch_one(&mut watcher)
            .await
            .unwrap();
            if waiting >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(seen.is_ok(), "{count} writes never queued for their locks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: eval \"$(bash .ci/postgres start)\" first"
)]
async fn one_server_writes_while_another_holds_its_lock_and_a_write_for_any_waits_for_both() {
    let database = TestDatabase::postgres().await;
    let pool = store::connect(&database.url).await.unwrap();
    let first = store::begin_write_in(&pool, &[1]).await.unwrap();
    let second = tokio::time::timeout(STUCK, store::begin_write_in(&pool, &[2]))
        .await
        .expect("server 2's write waited for server 1's")
        .unwrap();

    // The same server's next write waits, and so does one that may touch
    // any server (a job claim, an erasure).
    let same = tokio::spawn({
        let pool = pool.clone();
        async move {
            store::begin_write_in(&pool, &[1])
                .await
                .unwrap()
                .commit()
                .await
                .unwrap()
        }
    });
    let any = tokio::spawn({
        let pool = pool.clone();
        async move { store::begin_write(&pool).await.unwrap().commit().await.unwrap() }
    });
    queued(&database.url, 2).await;
    assert!(!same.is_finished() && !any.is_finished());

    first.commit().await.unwrap();
    second.commit().await.unwrap();
    tokio::time::timeout(STUCK, async {
        same.await.unwrap();
        any.await.unwrap();
    })
    .await
    .expect("the waiting writes went through once the others committed");
}

/// A batch of clicks spans servers, and two processes' batches may name
/// the same servers in any order: the locks are taken in one order, so
/// neither waits for the other forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: eval \"$(bash .ci/postgres start)\" first"
)]
async fn writes_over_several_servers_in_any_order_do_not_deadlock() {
    let database = TestDatabase::postgres().await;
    let pool = store::connect(&database.url).await.unwrap();
    let mut writers = Vec::new();
    for round in 0..40u64 {
        let pool = pool.clone();
        let guilds = if round % 2 == 0 {
            vec![3, 1, 2]
        } else {
            vec![2, 3, 1, 3]
        };
        writers.push(tokio::spawn(async move {
            let tx = store::begin_write_in(&pool, &guilds).await.unwrap();
            tokio::task::yield_now().await;
            tx.commit().await.unwrap();
        }));
    }
    tokio::time::timeout(STUCK, async {
        for writer in writers {
            writer.await.unwrap();
        }
    })
    .await
    .expect("writes over the same servers never all went through");
}
