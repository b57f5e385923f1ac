//! The query plans of the statements the benchmarks run (issue 5): `/agenda`,
//! `/event attendees`, `/member search`, `/calendar`, `/report`, the RSVP
//! click and what every interaction reads. Each is checked with `EXPLAIN
//! QUERY PLAN` on the very text the store executes (its `*_SQL` constants),
//! so a dropped index or a rewritten query that brings back a full scan, a
//! walk over years of history or a sort fails here rather than in a
//! benchmark run months later.
//!
//! The bot never runs `ANALYZE` (nor does the seed), so SQLite plans from the
//! schema alone, with default estimates that do not depend on row counts: a
//! small seeded association plans as the full-scale one does (checked once
//! at 10,000 members / 200,000 RSVPs when this test was written). The first
//! test asserts there are still no statistics; if `ANALYZE` is ever added,
//! these plans must be re-checked at scale.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::{Connection, SqliteConnection};

use super::seed::{generate, Scale};
use super::{announcements, events, feeds, intros, report, rsvps, settings};

const GUILD: u64 = 1;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap()
}

/// A migrated, seeded database (the pool) and a fresh connection to it.
/// Plans are read on the fresh one: an `EXPLAIN` is planned against the
/// connection's cached schema and never re-checks it, so a pooled
/// connection that loaded the schema before a migration or the seed can
/// report a plan without the newest index (seen while writing this test).
async fn seeded() -> (super::Db, SqliteConnection, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    let pool = super::connect(&url).await.unwrap();
    generate(&pool, GUILD, &Scale::small(), 2013, now())
        .await
        .unwrap();
    let conn = SqliteConnection::connect(&url).await.unwrap();
    (pool, conn, dir)
}

/// The `detail` column of `EXPLAIN QUERY PLAN`, one line per plan step.
/// Parameters stay unbound: without statistics no plan depends on them.
async fn plan(conn: &mut SqliteConnection, sql: &str) -> Vec<String> {
    let eqp = sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"));
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(eqp).fetch_all(&mut *conn).await.unwrap();
    rows.into_iter().map(|(_, _, _, detail)| detail).collect()
}

/// What a statement's plan must look like.
struct Expect {
    name: &'static str,
    sql: &'static str,
    /// Plan lines that must appear verbatim, in this order (a join's outer
    /// table first). Constraints in parentheses show how the index is
    /// bounded: `(guild_id=?)` alone on `events` would be a walk over history.
    uses: &'static [&'static str],
    /// The only temporary B-trees allowed, where no index can give the order.
    sorts: &'static [&'static str],
}

/// Fails on a full scan of a real table (with or without an index: a
/// `SCAN … USING COVERING INDEX` reads the whole index), an automatic index
/// (SQLite building the index it lacks), a sort not listed in `sorts`, or a
/// missing `uses` line. Allowed scans: `json_each` over the bound id list,
/// the full-text table driven by its MATCH (idxStr starting with `M`; `=M`
/// would be the MATCH re-run for each looked-up rowid), the output of a
/// subquery the plan itself built (unnamed, or named by a `CO-ROUTINE`
/// line), and the one row of a `SELECT` without `FROM`.
fn check(e: &Expect, plan: &[String]) {
    let shown = format!("{}: plan was\n  {}", e.name, plan.join("\n  "));
    let coroutines: Vec<&str> = plan
        .iter()
        .filter_map(|l| l.strip_prefix("CO-ROUTINE "))
        .collect();
    for line in plan {
        if let Some(scan) = line.strip_prefix("SCAN ") {
            let fts_match = scan
                .strip_prefix("f VIRTUAL TABLE INDEX ")
                .and_then(|index| index.split_once(':'))
                .is_some_and(|(_, idx_str)| idx_str.starts_with('M'));
            let allowed = scan.starts_with("json_each VIRTUAL TABLE")
                || fts_match
                || scan.starts_with("(subquery-")
                || coroutines.contains(&scan)
                || scan == "CONSTANT ROW";
            assert!(allowed, "full scan `{line}` in {shown}");
        }
        assert!(!line.contains("AUTOMATIC"), "automatic index `{line}` in {shown}");
        if line.starts_with("USE TEMP B-TREE") {
            assert!(
                e.sorts.contains(&line.as_str()),
                "unexpected sort `{line}` in {shown}"
            );
        }
    }
    let mut rest = plan.iter();
    for wanted in e.uses {
        assert!(
            rest.any(|line| line == wanted),
            "`{wanted}` missing or out of order in {shown}"
        );
    }
}

const EXPECTED: &[Expect] = &[
    // Every interaction: the server's settings, then the event named by a
    // button or an option.
    Expect {
        name: "settings::get",
        sql: settings::GET_SQL,
        uses: &["SEARCH guild_settings USING INTEGER PRIMARY KEY (rowid=?)"],
        sorts: &[],
    },
    Expect {
        name: "events::get",
        sql: events::GET_SQL,
        uses: &["SEARCH events USING INTEGER PRIMARY KEY (rowid=?)"],
        sorts: &[],
    },
    Expect {
        name: "events::get_any",
        sql: events::GET_ANY_SQL,
        uses: &["SEARCH events USING INTEGER PRIMARY KEY (rowid=?)"],
        sorts: &[],
    },
    // /agenda: the page and the total, bounded below by the server's longest
    // event (migration 0008), the page in index order; then the page's counts
    // and the caller's own answers, by primary key over the id list.
    Expect {
        name: "events::upcoming page",
        sql: events::UPCOMING_SQL,
        uses: &[
            "SEARCH events USING INDEX events_by_guild_start (guild_id=? AND starts_at>? AND starts_at<?)",
            "SEARCH events USING COVERING INDEX events_by_guild_length (guild_id=?)",
        ],
        sorts: &[],
    },
    Expect {
        name: "events::upcoming total",
        sql: events::UPCOMING_TOTAL_SQL,
        uses: &[
            "SEARCH events USING INDEX events_by_guild_start (guild_id=? AND starts_at>? AND starts_at<?)",
            "SEARCH events USING COVERING INDEX events_by_guild_length (guild_id=?)",
        ],
        sorts: &[],
    },
    Expect {
        name: "events::counts",
        sql: events::COUNTS_SQL,
        uses: &["SEARCH rsvp_counts USING INTEGER PRIMARY KEY (rowid=?)"],
        sorts: &[],
    },
    Expect {
        name: "announcements::posted_with_event (every card refresh)",
        sql: announcements::POSTED_WITH_EVENT_SQL,
        uses: &["SEARCH announcements USING INDEX announcements_by_event (event_id=? AND status=?)"],
        sorts: &[],
    },
    Expect {
        name: "rsvps::mine",
        sql: rsvps::MINE_SQL,
        uses: &[
            "SEARCH r USING INDEX sqlite_autoindex_rsvps_1 (event_id=? AND user_id=?)",
            "SEARCH w USING COVERING INDEX rsvps_by_event_status (event_id=? AND status=? AND arrival_seq<?)",
        ],
        sorts: &[],
    },
    // /event attendees: members read the head of each list (one index range
    // per status, in arrival order, stopped by its LIMIT); organizers read
    // every answer of the event. Neither sorts: the display order is put
    // together in Rust.
    Expect {
        name: "rsvps::attendees::heads",
        sql: rsvps::attendees::HEADS_SQL,
        uses: &[
            "SEARCH rsvps USING INDEX rsvps_by_event_status (event_id=? AND status=?)",
            "SEARCH rsvps USING INDEX rsvps_by_event_status (event_id=? AND status=?)",
            "SEARCH rsvps USING INDEX rsvps_by_event_status (event_id=? AND status=?)",
        ],
        sorts: &[],
    },
    Expect {
        name: "rsvps::attendees::all",
        sql: rsvps::attendees::ALL_SQL,
        uses: &["SEARCH rsvps USING INDEX rsvps_by_event_arrival (event_id=?)"],
        sorts: &[],
    },
    // /member search: the full-text match (which names the server: its
    // postings are intersected inside the index) runs once and drives the
    // statement; ranking by bm25 is computed, hence sorted, and only the
    // page's introductions are read whole, in the order `p` gives them.
    Expect {
        name: "intros::search page",
        sql: intros::SEARCH_SQL,
        uses: &[
            "SCAN f VIRTUAL TABLE INDEX 0:M5",
            "USE TEMP B-TREE FOR ORDER BY",
            "SCAN p",
            "SEARCH i USING INTEGER PRIMARY KEY (rowid=?)",
        ],
        sorts: &["USE TEMP B-TREE FOR ORDER BY"],
    },
    Expect {
        name: "intros::search total",
        sql: intros::SEARCH_TOTAL_SQL,
        uses: &["SCAN f VIRTUAL TABLE INDEX 0:M5"],
        sorts: &[],
    },
    // /calendar: events to come (bounded as the agenda), a member's answers
    // by user, and each series' first date by (series_id, occurrence_index).
    Expect {
        name: "feeds::content",
        sql: feeds::CONTENT_SQL,
        uses: &[
            "SEARCH events USING INDEX events_by_guild_start (guild_id=? AND starts_at>?)",
            "SEARCH events USING COVERING INDEX events_by_guild_length (guild_id=?)",
            "SEARCH rsvps USING INDEX rsvps_by_user (user_id=?)",
        ],
        sorts: &[],
    },
    Expect {
        name: "feeds::content series",
        sql: feeds::CONTENT_SERIES_SQL,
        uses: &[
            "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH events USING INDEX events_by_guild_start (guild_id=? AND starts_at>?)",
            "SEARCH e USING INDEX events_by_series_occurrence (series_id=?)",
        ],
        sorts: &[],
    },
    // /report: the year's events by start, each with its counts row by
    // primary key; distinct members need a set, which is what the remaining
    // B-tree is.
    Expect {
        name: "report::year events",
        sql: report::EVENTS_SQL,
        uses: &[
            "SEARCH e USING INDEX events_by_guild_start (guild_id=? AND starts_at>? AND starts_at<?)",
            "SEARCH c USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN",
        ],
        sorts: &[],
    },
    Expect {
        name: "report::year unique attendees",
        sql: report::UNIQUE_ATTENDEES_SQL,
        uses: &[
            "SEARCH e USING INDEX events_by_guild_start (guild_id=? AND starts_at>? AND starts_at<?)",
            "SEARCH r USING COVERING INDEX rsvps_for_reports (event_id=?)",
        ],
        sorts: &["USE TEMP B-TREE FOR count(DISTINCT)"],
    },
    Expect {
        name: "report::year new introductions",
        sql: report::NEW_INTRODUCTIONS_SQL,
        uses: &[
            "SEARCH introductions USING COVERING INDEX introductions_by_guild_created \
                 (guild_id=? AND created_at>? AND created_at<?)",
        ],
        sorts: &[],
    },
    // The RSVP clicks of a batch, inside the write transaction, per event,
    // in one statement: the event by primary key; the seats and the waiting
    // members from the event's counts row; the last place in line in one
    // probe of (event_id, arrival_seq) (MAX); the clickers' answers by
    // primary key. Then the places in line from a covering index, when a clicker waits; the
    // waitlist, when a seat is freed, from
    // (event_id, status, arrival_seq); the write walks only the changed rows
    // it is given.
    Expect {
        name: "rsvps::decide load",
        sql: rsvps::decide::LOAD_SQL,
        uses: &[
            "SEARCH events USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH s USING COVERING INDEX rsvps_by_event_arrival (event_id=?)",
            "SEARCH a USING INDEX sqlite_autoindex_rsvps_1 (event_id=? AND user_id=?)",
        ],
        sorts: &[],
    },
    Expect {
        name: "rsvps::decide waiting places",
        sql: rsvps::decide::WAITING_SEQS_SQL,
        uses: &["SEARCH rsvps USING COVERING INDEX rsvps_by_event_status (event_id=? AND status=?)"],
        sorts: &[],
    },
    Expect {
        name: "rsvps::decide waitlist",
        sql: rsvps::decide::WAITLIST_SQL,
        uses: &["SEARCH rsvps USING INDEX rsvps_by_event_status (event_id=? AND status=?)"],
        sorts: &[],
    },
    Expect {
        name: "rsvps::decide write",
        sql: rsvps::decide::WRITE_SQL,
        uses: &["SCAN json_each VIRTUAL TABLE INDEX 1:"],
        sorts: &[],
    },
    Expect {
        name: "rsvps::promote::seats_taken",
        sql: rsvps::promote::SEATS_TAKEN_SQL,
        uses: &["SEARCH rsvp_counts USING INTEGER PRIMARY KEY (rowid=?)"],
        sorts: &[],
    },
    Expect {
        name: "rsvps::promote waitlist",
        sql: rsvps::promote::WAITLIST_SQL,
        uses: &["SEARCH rsvps USING INDEX rsvps_by_event_status (event_id=? AND status=?)"],
        sorts: &[],
    },
    Expect {
        name: "rsvps::promote update",
        sql: rsvps::promote::PROMOTE_SQL,
        uses: &["SEARCH rsvps USING INDEX sqlite_autoindex_rsvps_1 (event_id=? AND user_id=?)"],
        sorts: &[],
    },
];

#[tokio::test]
async fn the_benchmarked_queries_use_their_indexes() {
    let (_pool, mut conn, _dir) = seeded().await;
    let stats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE 'sqlite_stat%'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        stats, 0,
        "statistics exist: the plans below assume none (see the module comment)"
    );
    for expect in EXPECTED {
        check(expect, &plan(&mut conn, expect.sql).await);
    }
}

/// `EXPLAIN QUERY PLAN` shows the same `SEARCH … (event_id=?)` for a MAX
/// that reads one index entry and for one that walks all the event's
/// entries (as MAX(arrival_seq) did on the status-first index). The bytecode
/// tells them apart: with the min/max optimisation the aggregate step is
/// followed by a jump out of the loop, otherwise by the loop's `Next`/`Prev`.
/// Each statement here has one MAX and, for the clicks' load, the
/// `json_group_array` of the clickers' answers (a walk over those only).
#[tokio::test]
async fn the_max_subqueries_read_one_index_entry() {
    let (_pool, mut conn, _dir) = seeded().await;
    for (sql, aggregates) in [
        (rsvps::decide::LOAD_SQL, 2),
        (events::UPCOMING_SQL, 1),
        (feeds::CONTENT_SQL, 1),
    ] {
        let program: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let ops: Vec<&str> = program.iter().map(|(_, op)| op.as_str()).collect();
        let steps: Vec<&[&str]> = ops.windows(2).filter(|w| w[0] == "AggStep").collect();
        assert_eq!(steps.len(), aggregates, "aggregates in {sql}");
        let jumps = steps.iter().filter(|w| w[1] == "Goto").count();
        assert_eq!(jumps, 1, "MAX walks the index in {sql}: {ops:?}");
    }
}

mod bounded;
