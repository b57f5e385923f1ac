//! Write transactions on PostgreSQL, where one database holds many
//! associations: a server's writes wait for that server's writes only,
//! and a write that may touch any server waits for all of them. What
//! waits for what is read from `pg_locks`, for this test's database only.

use std::time::Duration;

use crate::support;

use rencontre::store;
use sqlx::{Connection, PgConnection};
use support::database::TestDatabase;

/// Far beyond any wait here; reached only if a lock is never granted.
const STUCK: Duration = Duration::from_secs(30);

/// The database-wide write lock's key and the per-server locks' class, as
/// `src/store/engine.rs` sets them (a server's key is its id for the small
/// ids used here).
const WRITE_LOCK: i64 = 0x5265_6e63_6f6e_7472;
const SERVER_LOCKS: i64 = 0x5265_6e63;

/// An advisory lock as `pg_locks` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    /// The database-wide write lock.
    Write,
    /// Server `n`'s lock.
    Server(i64),
}

impl Lock {
    /// `pg_locks` columns: a bigint key is split over classid and objid
    /// with objsubid 1; a pair of integers is (classid, objid), objsubid 2.
    fn of(classid: i64, objid: i64, objsubid: i64) -> Option<Lock> {
        match objsubid {
            1 if (classid << 32 | objid) == WRITE_LOCK => Some(Lock::Write),
            2 if classid == SERVER_LOCKS => Some(Lock::Server(objid)),
            _ => None,
        }
    }
}

/// The advisory locks of this database: (backend pid, lock, mode, granted).
async fn locks(watcher: &mut PgConnection) -> Vec<(i32, Lock, String, bool)> {
    let rows: Vec<(i32, i64, i64, i64, String, bool)> = sqlx::query_as(
        "SELECT pid, classid::bigint, objid::bigint, objsubid::bigint, mode, granted FROM pg_locks
         WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_all(watcher)
    .await
    .unwrap();
    rows.into_iter()
        .filter_map(|(pid, class, obj, sub, mode, granted)| {
            Lock::of(class, obj, sub).map(|lock| (pid, lock, mode, granted))
        })
        .collect()
}

/// Waits until a request for `lock` in `mode` is queued, not granted.
async fn queued(watcher: &mut PgConnection, lock: Lock, mode: &str) {
    let seen = tokio::time::timeout(STUCK, async {
        loop {
            let all = locks(watcher).await;
            if all
                .iter()
                .any(|(_, l, m, granted)| *l == lock && m == mode && !granted)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(seen.is_ok(), "no write ever queued for {lock:?} ({mode})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: eval \"$(bash .ci/postgres start)\" first"
)]
async fn one_server_writes_while_another_holds_its_lock_and_a_write_for_any_waits_for_both() {
    let database = TestDatabase::postgres().await;
    let pool = store::connect(&database.url).await.unwrap();
    let mut watcher = PgConnection::connect(&database.url).await.unwrap();
    let first = store::begin_write_in(&pool, &[1]).await.unwrap();
    let second = tokio::time::timeout(STUCK, store::begin_write_in(&pool, &[2]))
        .await
        .expect("server 2's write waited for server 1's")
        .unwrap();

    // Server 1's next write waits for server 1's lock…
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
    queued(&mut watcher, Lock::Server(1), "ExclusiveLock").await;
    // … and a write that may touch any server (a job claim, an erasure)
    // for the whole database.
    let any = tokio::spawn({
        let pool = pool.clone();
        async move { store::begin_write(&pool).await.unwrap().commit().await.unwrap() }
    });
    queued(&mut watcher, Lock::Write, "ExclusiveLock").await;

    first.commit().await.unwrap();
    tokio::time::timeout(STUCK, same)
        .await
        .expect("server 1's next write went through once the first committed")
        .unwrap();
    // Server 2's write still holds its share: the write for any waits on.
    let still: Vec<_> = locks(&mut watcher).await;
    assert!(
        still
            .iter()
            .any(|(_, lock, mode, granted)| *lock == Lock::Write && mode == "ExclusiveLock" && !granted),
        "{still:?}"
    );
    assert!(!any.is_finished());
    second.commit().await.unwrap();
    tokio::time::timeout(STUCK, any)
        .await
        .expect("the write for any server went through once the last committed")
        .unwrap();
}

/// A batch of clicks spans servers, and two processes' batches may name the
/// same servers in any order: each takes its servers' locks in ascending
/// order, so neither holds one the other needs while waiting for one it has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: eval \"$(bash .ci/postgres start)\" first"
)]
async fn a_write_over_several_servers_takes_their_locks_in_ascending_order() {
    let database = TestDatabase::postgres().await;
    let pool = store::connect(&database.url).await.unwrap();
    let mut watcher = PgConnection::connect(&database.url).await.unwrap();
    let holder = store::begin_write_in(&pool, &[2]).await.unwrap();
    let batch = tokio::spawn({
        let pool = pool.clone();
        async move {
            store::begin_write_in(&pool, &[3, 1, 2, 3])
                .await
                .unwrap()
                .commit()
                .await
                .unwrap()
        }
    });
    queued(&mut watcher, Lock::Server(2), "ExclusiveLock").await;
    // Server 1's lock taken, server 2's awaited, server 3's not asked yet.
    let held: Vec<(Lock, bool)> = locks(&mut watcher)
        .await
        .into_iter()
        .filter(|(_, lock, _, _)| *lock != Lock::Write)
        .map(|(_, lock, _, granted)| (lock, granted))
        .collect();
    assert!(held.contains(&(Lock::Server(1), true)), "{held:?}");
    assert!(held.contains(&(Lock::Server(2), false)), "{held:?}");
    assert!(!held.iter().any(|(lock, _)| *lock == Lock::Server(3)), "{held:?}");
    holder.commit().await.unwrap();
    tokio::time::timeout(STUCK, batch)
        .await
        .expect("the batch went through once server 2's write committed")
        .unwrap();
}
