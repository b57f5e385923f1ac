//! The database on disk: its files readable by the owner only, and backups
//! consistent under load.

use super::*;

#[cfg(unix)]
#[tokio::test]
async fn the_database_its_log_and_backups_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let (state, _clock, dir) = support::sqlite_state().await;
    event(&state, 1, "AG annuelle", "2026-12-20 18:00", 10).await;
    for name in ["test.db", "test.db-wal", "test.db-shm"] {
        assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
    }
    let copy = dir.path().join("backup.db");
    store::backup(&state.pool, &copy).await.unwrap();
    assert_eq!(mode(&copy), 0o600, "the backup");
    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let events: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(events, 1, "the backup is whole");

    // A database an older version left readable by all is tightened.
    let old = dir.path().join("old.db");
    drop(
        store::connect(&format!("sqlite://{}", old.display()))
            .await
            .unwrap(),
    );
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(
        store::connect(&format!("sqlite://{}", old.display()))
            .await
            .unwrap(),
    );
    assert_eq!(mode(&old), 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_is_consistent_and_restores() {
    let (state, _clock, dir) = support::sqlite_state().await;
    let event_id = event(&state, 1, "AG annuelle", "2026-12-20 18:00", 10_000).await;
    // Members keep answering while the backup is taken.
    let writer = {
        let state = state.clone();
        tokio::spawn(async move {
            for user in 0..400u64 {
                rsvp(&state, 1, 5_000 + user, event_id, "").await;
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let committed_before: i64 =
        rencontre::on_db!(&state.pool, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
            .fetch_one(db)
            .await)
        .unwrap();
    let copy = dir.path().join("backup.db");
    store::backup(&state.pool, &copy).await.unwrap();
    writer.await.unwrap();

    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let check: String = rencontre::on_db!(&restored, |db| sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(check, "ok");
    let rows: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(db)
        .await)
    .unwrap();
    assert!(
        rows >= committed_before,
        "{rows} rows in the copy, {committed_before} committed before it started"
    );
    let seats: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar(
        "SELECT COALESCE(SUM(1 + guests), 0) FROM rsvps WHERE status = 'going'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(seats, rows, "every copied answer is whole");
    assert!(
        store::backup(&state.pool, &copy).await.is_err(),
        "an existing file is never overwritten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backup_command_copies_a_database_in_use() {
    let (state, _clock, dir) = support::sqlite_state().await;
    let event_id = event(&state, 1, "AG annuelle", "2026-12-20 18:00", 10_000).await;
    for user in 0..50u64 {
        rsvp(&state, 1, 6_000 + user, event_id, "").await;
    }
    // Writes keep coming while the command runs.
    let writer = {
        let state = state.clone();
        tokio::spawn(async move {
            for user in 50..300u64 {
                rsvp(&state, 1, 6_000 + user, event_id, "").await;
            }
        })
    };
    let copy = dir.path().join("copy.db");
    let database = format!("sqlite://{}", dir.path().join("test.db").display());
    let target = copy.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_rencontre"))
            .arg("backup")
            .arg(&target)
            .env("DATABASE_URL", database)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    writer.await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let rows: i64 = rencontre::on_db!(&restored, |db| sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(db)
        .await)
    .unwrap();
    assert!(
        rows >= 50,
        "every answer committed before the backup is in it: {rows}"
    );
    let check: String = rencontre::on_db!(&restored, |db| sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db)
        .await)
    .unwrap();
    assert_eq!(check, "ok");
}
