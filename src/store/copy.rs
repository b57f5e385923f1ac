//! `rencontre copy`: one deployment's data moved from its SQLite file to a
//! PostgreSQL database (issue 15), every table, ids kept.
//!
//! The tables and their columns are read from the SQLite schema itself, not
//! from a list, so a table added by a later migration is copied without
//! anyone remembering to add it here; the foreign keys give the order. What
//! is computed on either side is never copied: SQLite's FTS5 table and its
//! shadow tables, PostgreSQL's generated `introductions.fts`, and the
//! tables the database's triggers keep ([`KEPT_BY_TRIGGERS`]).
//!
//! Rows are read in batches from one SQLite read snapshot, each batch as one
//! JSON array (one value across sqlx's thread instead of thousands of rows),
//! and written with `json_populate_recordset`, which casts each JSON value to
//! its column's type (a 0/1 flag becomes a BOOLEAN). Everything is written in
//! one PostgreSQL transaction: a failed copy leaves the target as it was.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context as _};
use sqlx::{AssertSqlSafe, PgPool, SqlitePool};

use super::Db;

/// Rows read per SQLite statement and written per PostgreSQL statement.
const BATCH: i64 = 2_000;

/// What a copy wrote: each table with its row count, in the order copied.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub tables: Vec<(String, u64)>,
}

impl Summary {
    /// Rows written, all tables together.
    pub fn total(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// Tables the database fills itself from other tables' rows (`rsvp_counts`:
/// SQLite migration 0022, PostgreSQL 0015): PostgreSQL's triggers rebuild
/// them as the copied rows arrive, so copying them too would write each row
/// twice.
pub const KEPT_BY_TRIGGERS: &[&str] = &["rsvp_counts"];

/// A table to copy: its name and the columns both engines store.
struct Table {
    name: String,
    columns: Vec<String>,
}

/// Copies every row of `from` (SQLite) into `to` (PostgreSQL, migrated and
/// empty), keeping ids, then sets each identity sequence past the highest id
/// (and past SQLite's AUTOINCREMENT counter, so a deleted event's id is never
/// handed out again: an old message's buttons still carry it). Refuses any
/// other direction, and a target that already holds a row, before writing.
pub async fn copy(from: &Db, to: &Db) -> anyhow::Result<Summary> {
    let (Db::Sqlite(source), Db::Postgres(target)) = (from, to) else {
        bail!("rencontre copy moves a SQLite database into PostgreSQL: --from sqlite://… --to postgres://…");
    };
    let tables = source_tables(source).await?;
    check_target_columns(target, &tables).await?;

    // One read snapshot: the rows of every table as they were at one instant.
    let mut read = source.begin().await?;
    let mut write = target.begin().await?;
    refuse_non_empty(&mut write).await?;
    let mut summary = Summary::default();
    for table in &tables {
        let rows = copy_table(&mut read, &mut write, table)
            .await
            .with_context(|| format!("copying table {}", table.name))?;
        summary.tables.push((table.name.clone(), rows));
    }
    reset_sequences(&mut read, &mut write).await?;
    write.commit().await?;
    read.rollback().await?;
    Ok(summary)
}

/// The SQLite tables that hold data, parents before children: everything
/// but SQLite's and sqlx's own tables, virtual tables and their shadow
/// tables (`introductions_fts_data`, …).
async fn source_tables(source: &SqlitePool) -> anyhow::Result<Vec<Table>> {
    let names: Vec<String> = sqlx::query_scalar(
        r"SELECT t.name FROM sqlite_schema t
          WHERE t.type = 'table'
            AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
            AND t.name NOT LIKE '\_sqlx%' ESCAPE '\'
            AND t.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
            AND NOT EXISTS (SELECT 1 FROM sqlite_schema v
                            WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%'
                              AND t.name LIKE v.name || '\_%' ESCAPE '\')
          ORDER BY t.rowid",
    )
    .fetch_all(source)
    .await?;
    let names: Vec<String> = names
        .into_iter()
        .filter(|name| !KEPT_BY_TRIGGERS.contains(&name.as_str()))
        .collect();
    let mut parents = BTreeMap::new();
    let mut columns = BTreeMap::new();
    for name in &names {
        let refs: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)")
                .bind(name)
                .fetch_all(source)
                .await?;
        // A table that refers to itself (series.origin_id) is written in one
        // statement per batch, by id: PostgreSQL checks the key at its end.
        parents.insert(
            name.clone(),
            refs.into_iter().filter(|p| p != name).collect::<BTreeSet<_>>(),
        );
        let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
            .bind(name)
            .fetch_all(source)
            .await?;
        columns.insert(name.clone(), cols);
    }
    // Creation order, each table moved after the tables it refers to.
    let mut ordered: Vec<Table> = Vec::with_capacity(names.len());
    let mut done = BTreeSet::new();
    while done.len() < names.len() {
        let ready = names.iter().find(|n| {
            !done.contains(*n)
                && parents[*n]
                    .iter()
                    .all(|p| done.contains(p) || !parents.contains_key(p))
        });
        let Some(name) = ready else {
            bail!("the SQLite tables' foreign keys form a cycle; cannot order the copy");
        };
        done.insert(name.clone());
        ordered.push(Table {
            name: name.clone(),
            columns: columns.remove(name).unwrap_or_default(),
        });
    }
    Ok(ordered)
}

/// Every SQLite table and column must exist on PostgreSQL as a stored
/// column: otherwise the two databases are not of the same version.
async fn check_target_columns(target: &PgPool, tables: &[Table]) -> anyhow::Result<()> {
    for table in tables {
        let stored: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'",
        )
        .bind(&table.name)
        .fetch_all(target)
        .await?;
        if stored.is_empty() {
            bail!(
                "the target has no table {}: are both databases of the same Rencontre version?",
                table.name
            );
        }
        if let Some(missing) = table.columns.iter().find(|c| !stored.contains(c)) {
            bail!(
                "the target's table {} has no column {missing}: are both databases of the same Rencontre version?",
                table.name
            );
        }
    }
    Ok(())
}

/// Refuses a target that holds any row in any table but sqlx's own.
async fn refuse_non_empty(write: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    let tables: Vec<String> = sqlx::query_scalar(
        r"SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            AND table_name NOT LIKE '\_sqlx%'
          ORDER BY table_name",
    )
    .fetch_all(&mut *write)
    .await?;
    for table in tables {
        let held: bool = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT EXISTS (SELECT 1 FROM {})",
            quoted(&table)
        )))
        .fetch_one(&mut *write)
        .await?;
        if held {
            bail!("the target database is not empty (table {table} holds rows); rencontre copy only writes into a new, empty database");
        }
    }
    Ok(())
}

/// Copies one table in batches of [`BATCH`] rows by rowid; returns its rows.
async fn copy_table(
    read: &mut sqlx::SqliteConnection,
    write: &mut sqlx::PgConnection,
    table: &Table,
) -> anyhow::Result<u64> {
    let name = quoted(&table.name);
    let list = table
        .columns
        .iter()
        .map(|c| quoted(c))
        .collect::<Vec<_>>()
        .join(", ");
    let object = table
        .columns
        .iter()
        .map(|c| format!("'{}', {}", c.replace('\'', "''"), quoted(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let select = format!(
        "SELECT json_group_array(json_object({object})), max(rowid_), count(*)
         FROM (SELECT rowid AS rowid_, {list} FROM {name} WHERE rowid > ?1 ORDER BY rowid LIMIT ?2)"
    );
    let insert = format!(
        "INSERT INTO {name} ({list}) SELECT {list} FROM json_populate_recordset(NULL::{name}, $1::json)"
    );
    let mut after = i64::MIN;
    let mut copied = 0u64;
    loop {
        let (rows, last, count): (String, Option<i64>, i64) = sqlx::query_as(AssertSqlSafe(select.clone()))
            .bind(after)
            .bind(BATCH)
            .fetch_one(&mut *read)
            .await?;
        let Some(last) = last else { break };
        sqlx::query(AssertSqlSafe(insert.clone()))
            .bind(rows)
            .execute(&mut *write)
            .await?;
        copied += count as u64;
        after = last;
    }
    Ok(copied)
}

/// Sets every identity's next value past the highest id copied and past
/// SQLite's AUTOINCREMENT counter for that table, whichever is higher.
async fn reset_sequences(
    read: &mut sqlx::SqliteConnection,
    write: &mut sqlx::PgConnection,
) -> anyhow::Result<()> {
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'
         ORDER BY table_name",
    )
    .fetch_all(&mut *write)
    .await?;
    let counters: Vec<(String, i64)> = sqlx::query_as("SELECT name, seq FROM sqlite_sequence")
        .fetch_all(&mut *read)
        .await
        // No AUTOINCREMENT table ever written: SQLite has no such table yet.
        .unwrap_or_default();
    for (table, column) in identities {
        let counter = counters
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, seq)| *seq);
        sqlx::query(AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence($1, $2),
                           GREATEST((SELECT max({col}) FROM {tab}), $3, 0) + 1, false)",
            col = quoted(&column),
            tab = quoted(&table),
        )))
        .bind(quoted(&table))
        .bind(&column)
        .bind(counter)
        .execute(&mut *write)
        .await
        .with_context(|| format!("resetting the id sequence of {table}"))?;
    }
    Ok(())
}

/// An identifier quoted for either engine.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Opens the SQLite database to copy from: it must exist (a mistyped path
/// would otherwise be created empty and "copied"), and is migrated to this
/// version's schema so its columns match the target's.
pub async fn open_source(url: &str) -> anyhow::Result<Db> {
    use std::str::FromStr;
    let options =
        sqlx::sqlite::SqliteConnectOptions::from_str(url).context("--from is not a valid sqlite:// URL")?;
    let file = options.get_filename();
    if !file.exists() {
        bail!(
            "{} does not exist: --from names the SQLite file to copy",
            file.display()
        );
    }
    super::connect(url).await
}
