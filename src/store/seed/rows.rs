//! The seeder's rows waiting to be written, and the multi-row INSERT that
//! writes them a thousand at a time on either engine.

use crate::store::{with_conn, Conn};

/// Rows a multi-row INSERT carries (SQLite allows 32,766 parameters,
/// PostgreSQL 65,535).
pub(super) const BATCH: usize = 1_000;

/// Appends one row's values to [`Pending`].
macro_rules! row {
    ($pending:expr; $($value:expr),+ $(,)?) => {
        $($pending.push($value);)+
    };
}

pub(super) use row;

/// A value of a pending row, bound when the rows are inserted.
pub(super) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

/// The values of the rows not written yet, in column order.
#[derive(Default)]
pub(super) struct Pending(Vec<Value>);

impl Pending {
    pub(super) fn push(&mut self, value: impl Into<Value>) {
        self.0.push(value.into());
    }

    /// Inserts the pending rows with `insert` (`INSERT INTO t (a, b) VALUES `)
    /// if there are `at_least` of them.
    pub(super) async fn flush(
        &mut self,
        conn: impl Into<Conn<'_>>,
        insert: &str,
        at_least: usize,
    ) -> anyhow::Result<()> {
        with_conn!(conn, {
            let columns = insert.split(')').next().unwrap_or_default().matches(',').count() + 1;
            let rows = self.0.len() / columns;
            if rows == 0 || rows < at_least {
                return Ok(());
            }
            let postgres = <Engine as crate::store::engine::Dialect>::POSTGRES;
            let sql = format!("{insert}{}", placeholders(rows, columns, postgres));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for value in std::mem::take(&mut self.0) {
                query = match value {
                    Value::Int(v) => query.bind(v),
                    Value::Text(v) => query.bind(v),
                };
            }
            query.execute(&mut *conn).await?;
            Ok(())
        })
    }
}

/// The `(…), (…)` of `rows` rows of `columns` values. PostgreSQL numbers its
/// parameters (`$1`). SQLite gets anonymous `?`: it takes `$1` for a name,
/// and finding a parameter's name walks the list of every name before it,
/// so binding the 9,000 values of a batch costs their count squared — the
/// seeding of one association went from 1.6 s to over 30 s of CPU with `$N`.
fn placeholders(rows: usize, columns: usize, postgres: bool) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns)
                .map(|c| match postgres {
                    true => format!("${}", r * columns + c),
                    false => "?".to_owned(),
                })
                .collect();
            format!("({})", values.join(", "))
        })
        .collect();
    tuples.join(", ")
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn sqlite_parameters_are_anonymous_and_postgres_ones_numbered() {
        assert_eq!(placeholders(2, 3, false), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(placeholders(2, 3, true), "($1, $2, $3), ($4, $5, $6)");
    }
}
