//! The two schemas read from their catalogues and compared.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{PgPool, SqlitePool};

use super::{sqlite, with_postgres, PG_ONLY_COLUMN, PG_ONLY_INDEX, SQLITE_ONLY_TABLE};

#[derive(Debug, PartialEq)]
struct Column {
    name: String,
    /// PostgreSQL's spelling: SQLite's INTEGER is `bigint`, TEXT `text`.
    ty: String,
    not_null: bool,
    default: Option<String>,
}

#[derive(Debug, PartialEq, Default)]
struct Table {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    unique: BTreeSet<Vec<String>>,
    /// (column, referenced table, referenced column, ON DELETE)
    foreign_keys: BTreeSet<(String, String, String, String)>,
    checks: usize,
}

#[derive(Debug, PartialEq)]
struct Index {
    table: String,
    /// Column names, `(expr)` for an expression.
    keys: Vec<String>,
    unique: bool,
    partial: bool,
}

/// A row of `pg_constraint`, the referenced side empty unless a foreign key.
#[derive(sqlx::FromRow)]
struct Constraint {
    kind: String,
    columns: Vec<String>,
    referenced: Option<String>,
    referenced_column: Option<String>,
    on_delete: String,
}

#[derive(Debug, PartialEq, Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
    indexes: BTreeMap<String, Index>,
}
/// The on/off settings: 0/1 INTEGERs on SQLite, BOOLEANs on PostgreSQL
/// (the store binds and reads them as Rust bools, and writes TRUE/FALSE).
const FLAGS: [(&str, &str); 7] = [
    ("guild_settings", "mirror_events"),
    ("guild_settings", "mirror_blocked"),
    ("guild_settings", "threads"),
    ("guild_settings", "card_names"),
    ("series", "cancelled"),
    ("member_prefs", "reminders_enabled"),
    ("public_agendas", "enabled"),
];

/// A SQLite column as PostgreSQL spells it: its type, and its default.
fn pg_column(
    table: &str,
    name: &str,
    sqlite_type: &str,
    default: Option<String>,
) -> (String, Option<String>) {
    if FLAGS.contains(&(table, name)) {
        assert_eq!(sqlite_type, "INTEGER", "{table}.{name} is a 0/1 flag");
        let default = default.map(|d| {
            if d == "1" {
                "true".to_owned()
            } else {
                "false".to_owned()
            }
        });
        return ("boolean".to_owned(), default);
    }
    (pg_type(sqlite_type), default)
}

fn pg_type(sqlite_type: &str) -> String {
    match sqlite_type {
        "INTEGER" => "bigint",
        "TEXT" => "text",
        "REAL" => "double precision",
        "BLOB" => "bytea",
        other => panic!("SQLite column type {other:?} has no PostgreSQL mapping here"),
    }
    .to_string()
}

async fn sqlite_schema(pool: &SqlitePool) -> (Schema, BTreeSet<String>) {
    let mut schema = Schema::default();
    let mut virtual_tables = BTreeSet::new();
    let listed: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT l.name, l.type, m.sql FROM pragma_table_list l
         JOIN sqlite_schema m ON m.name = l.name
         WHERE l.schema = 'main' AND l.name NOT LIKE 'sqlite_%' AND l.name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, kind, sql) in listed {
        match kind.as_str() {
            "table" => {}
            "virtual" => {
                virtual_tables.insert(table);
                continue;
            }
            _ => continue,
        }
        let columns: Vec<(String, String, bool, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut primary_key: Vec<(i64, String)> = columns
            .iter()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.clone()))
            .collect();
        primary_key.sort();
        let foreign_keys: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut unique = BTreeSet::new();
        let indexes: Vec<(String, bool, String, bool)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, is_unique, origin, partial) in indexes {
            let keys: Vec<String> = sqlx::query_scalar(
                "SELECT coalesce(name, '(expr)') FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&index)
            .fetch_all(pool)
            .await
            .unwrap();
            match origin.as_str() {
                "u" => {
                    unique.insert(keys);
                }
                "c" => {
                    let index_of = Index {
                        table: table.clone(),
                        keys,
                        unique: is_unique,
                        partial,
                    };
                    schema.indexes.insert(index, index_of);
                }
                _ => {} // the primary key's, compared as `primary_key`
            }
        }
        let entry = Table {
            columns: columns
                .into_iter()
                .map(|(name, ty, not_null, default, pk)| {
                    let (ty, default) = pg_column(&table, &name, &ty, default);
                    Column {
                        name,
                        ty,
                        // A key column is never null on PostgreSQL; SQLite lets
                        // a TEXT key be null, which the bot never writes.
                        not_null: not_null || pk > 0,
                        default,
                    }
                })
                .collect(),
            primary_key: primary_key.into_iter().map(|(_, c)| c).collect(),
            unique,
            foreign_keys: foreign_keys.into_iter().collect(),
            checks: sql.to_uppercase().matches("CHECK (").count(),
        };
        schema.tables.insert(table, entry);
    }
    (schema, virtual_tables)
}

/// `'fr'::text` → `'fr'`: the cast PostgreSQL prints is the column's type.
fn pg_default(expr: String) -> String {
    for cast in ["::text", "::bigint"] {
        if let Some(bare) = expr.strip_suffix(cast) {
            return bare.to_string();
        }
    }
    expr
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT c.relname::text FROM pg_class c
         WHERE c.relnamespace = current_schema()::text::regnamespace AND c.relkind = 'r'
           AND c.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table,) in tables {
        let columns: Vec<(String, String, bool, Option<String>, String)> = sqlx::query_as(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                    pg_get_expr(d.adbin, d.adrelid), a.attgenerated::text
             FROM pg_attribute a
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let constraints: Vec<Constraint> = sqlx::query_as(
            "SELECT c.contype::text AS kind,
                        ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                              ORDER BY k.i) AS columns,
                        c.confrelid::regclass::text AS referenced,
                        (SELECT a.attname::text FROM pg_attribute a
                         WHERE a.attrelid = c.confrelid AND a.attnum = c.confkey[1])
                            AS referenced_column,
                        c.confdeltype::text AS on_delete
                 FROM pg_constraint c WHERE c.conrelid = $1::text::regclass",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut entry = Table::default();
        for (name, ty, not_null, default, generated) in columns {
            if (table.as_str(), name.as_str()) == PG_ONLY_COLUMN {
                assert_eq!(
                    (ty.as_str(), generated.as_str()),
                    ("tsvector", "s"),
                    "the search column is a stored generated tsvector"
                );
                continue;
            }
            entry.columns.push(Column {
                name,
                ty,
                not_null,
                default: default.map(pg_default),
            });
        }
        for Constraint {
            kind,
            columns,
            referenced,
            referenced_column,
            on_delete,
        } in constraints
        {
            match kind.as_str() {
                "p" => entry.primary_key = columns,
                "u" => {
                    entry.unique.insert(columns);
                }
                "c" => entry.checks += 1,
                "f" => {
                    let on_delete = match on_delete.as_str() {
                        "a" => "NO ACTION",
                        "c" => "CASCADE",
                        "n" => "SET NULL",
                        "r" => "RESTRICT",
                        "d" => "SET DEFAULT",
                        other => panic!("confdeltype {other}"),
                    };
                    let [column] = <[String; 1]>::try_from(columns).unwrap();
                    entry.foreign_keys.insert((
                        column,
                        referenced.unwrap(),
                        referenced_column.unwrap(),
                        on_delete.to_string(),
                    ));
                }
                // NOT NULL is a constraint from PostgreSQL 18 on: compared
                // with the columns
                "n" => {}
                other => panic!("unexpected constraint kind {other} on {table}"),
            }
        }
        schema.tables.insert(table, entry);
    }
    // Indexes created as such, not those backing a key or UNIQUE constraint.
    let indexes: Vec<(String, String, Vec<String>, bool, bool)> = sqlx::query_as(
        "SELECT i.relname::text, t.relname::text,
                ARRAY(SELECT coalesce(a.attname::text, '(expr)')
                      FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o)
                      LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                      ORDER BY k.o),
                x.indisunique, x.indpred IS NOT NULL
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         WHERE t.relnamespace = current_schema()::text::regnamespace AND t.relname <> '_sqlx_migrations'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, table, keys, unique, partial) in indexes {
        let index = Index {
            table,
            keys,
            unique,
            partial,
        };
        schema.indexes.insert(name, index);
    }
    schema
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL tests need RENCONTRE_TEST_POSTGRES=postgres://… (see README)"
)]
async fn both_engines_have_the_same_tables_columns_keys_and_indexes() {
    let (lite, _dir) = sqlite().await;
    let (expected, virtual_tables) = sqlite_schema(&lite).await;
    assert_eq!(
        virtual_tables,
        BTreeSet::from([SQLITE_ONLY_TABLE.to_string()]),
        "a new virtual table on SQLite needs its PostgreSQL counterpart"
    );
    assert!(expected.tables.len() >= 17 && expected.indexes.len() >= 18);
    with_postgres(move |pg| async move {
        let mut got = postgres_schema(&pg).await;
        let search = got.indexes.remove(PG_ONLY_INDEX).expect("the search index");
        assert_eq!(
            (search.table.as_str(), search.keys.clone()),
            ("introductions", vec!["guild_id".into(), "fts".into()])
        );
        let names = |s: &Schema| s.tables.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&got), names(&expected), "the same tables");
        for (table, want) in &expected.tables {
            assert_eq!(&got.tables[table], want, "table {table}");
        }
        let names = |s: &Schema| s.indexes.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&got), names(&expected), "the same index names");
        assert_eq!(got.indexes, expected.indexes);
    })
    .await;
}
