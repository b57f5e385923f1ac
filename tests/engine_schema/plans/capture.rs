//! The plans PostgreSQL ran, as `auto_explain` reports them: a pool whose
//! connections send each statement's plan as a notice, and a tracing layer
//! that keeps them.

use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};
use tracing_subscriber::layer::SubscriberExt;

/// The notices `auto_explain` sends (sqlx logs each one as a tracing event
/// of target `sqlx::postgres::notice`): one JSON plan per statement.
#[derive(Clone, Default)]
pub struct Plans(pub Arc<Mutex<Vec<String>>>);

struct Message<'a>(&'a mut String);

impl tracing::field::Visit for Message<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        }
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Plans {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::postgres::notice" {
            let mut message = String::new();
            event.record(&mut Message(&mut message));
            if message.contains("\"Query Text\"") {
                self.0.lock().unwrap().push(message);
            }
        }
    }
}

/// The process's collector (tracing has one global subscriber; the other
/// tests of this binary send no plans).
pub fn plans() -> Plans {
    static PLANS: OnceLock<Plans> = OnceLock::new();
    PLANS
        .get_or_init(|| {
            let plans = Plans::default();
            let subscriber = tracing_subscriber::registry().with(plans.clone());
            tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
            plans
        })
        .clone()
}

/// A pool on the same database whose every connection reports its plans.
pub async fn explained(database: &str) -> PgPool {
    let url = std::env::var("RENCONTRE_TEST_POSTGRES").expect("RENCONTRE_TEST_POSTGRES");
    let options = PgConnectOptions::from_str(&url).unwrap().database(database);
    PgPoolOptions::new()
        .max_connections(4)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(
                    "LOAD 'auto_explain';
                     SET auto_explain.log_min_duration = 0;
                     SET auto_explain.log_format = json;
                     SET auto_explain.log_level = notice;
                     SET client_min_messages = notice;",
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .unwrap()
}
