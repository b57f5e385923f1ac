//! Every stored value of every table, read on both engines and compared.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::{AssertSqlSafe, PgPool, SqlitePool};

/// The SQLite tables that hold data, read here independently of the copy:
/// a table the copy forgot shows up as missing from its summary.
pub async fn data_tables(pool: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        r"SELECT name FROM sqlite_schema WHERE type = 'table'
          AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE '\_sqlx%' ESCAPE '\'
          AND name NOT LIKE 'introductions\_fts%' ESCAPE '\' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Every row of `table` on SQLite, as JSON objects sorted by primary key.
async fn sqlite_rows(pool: &SqlitePool, table: &str) -> Vec<Value> {
    let columns: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
    let object = columns
        .iter()
        .map(|(c, _)| format!("'{c}', \"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let json: String = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT json_group_array(json_object({object})) FROM \"{table}\""
    )))
    .fetch_one(pool)
    .await
    .unwrap();
    let mut keys: Vec<(i64, String)> = columns
        .into_iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(c, pk)| (pk, c))
        .collect();
    keys.sort();
    sorted(
        serde_json::from_str(&json).unwrap(),
        &keys.into_iter().map(|(_, c)| c).collect::<Vec<_>>(),
    )
}

/// Every row of `table` on PostgreSQL, its computed search column left out,
/// flags as 0/1 like SQLite's, sorted like [`sqlite_rows`].
async fn pg_rows(pool: &PgPool, table: &str, keys: &[String]) -> Vec<Value> {
    let json: String = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT coalesce(json_agg(to_jsonb(t) - 'fts'), '[]')::text FROM \"{table}\" t"
    )))
    .fetch_one(pool)
    .await
    .unwrap();
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    let rows = rows
        .into_iter()
        .map(|row| match row {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| match v {
                        Value::Bool(b) => (k, Value::from(i64::from(b))),
                        other => (k, other),
                    })
                    .collect(),
            ),
            other => other,
        })
        .collect();
    sorted(rows, keys)
}

fn sorted(mut rows: Vec<Value>, keys: &[String]) -> Vec<Value> {
    rows.sort_by_key(|row| {
        if keys.is_empty() {
            vec![row.to_string()]
        } else {
            keys.iter()
                .map(|k| format!("{:>30}", row[k].to_string()))
                .collect()
        }
    });
    rows
}

async fn pk_columns(pool: &SqlitePool, table: &str) -> Vec<String> {
    let mut keys: Vec<(i64, String)> =
        sqlx::query_as("SELECT pk, name FROM pragma_table_info(?1) WHERE pk > 0")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
    keys.sort();
    keys.into_iter().map(|(_, c)| c).collect()
}

/// Every table's rows, both sides, compared value by value.
pub async fn assert_same_rows(source: &SqlitePool, target: &PgPool) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for table in data_tables(source).await {
        let keys = pk_columns(source, &table).await;
        let expected = sqlite_rows(source, &table).await;
        let copied = pg_rows(target, &table, &keys).await;
        assert_eq!(copied.len(), expected.len(), "rows of {table}");
        for (copied, expected) in copied.iter().zip(&expected) {
            assert_eq!(copied, expected, "a row of {table}");
        }
        counts.insert(table, expected.len());
    }
    counts
}
