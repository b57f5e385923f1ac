-- Several processes may share a database (PostgreSQL; SQLite stays one
-- process per file, but keeps the same schema). A claimed job names the
-- runner that claimed it, and each runner says it is alive every few
-- seconds: the claims of a runner that stopped saying so are taken up by
-- the others, and never those of a live one.
ALTER TABLE jobs ADD COLUMN claimed_by TEXT;
CREATE TABLE job_runners (
    id      TEXT    PRIMARY KEY,
    seen_at INTEGER NOT NULL
);

-- Interactions already answered, so that one delivered to two processes
-- (overlapping gateway sessions while shards move) is answered once. Only
-- used on PostgreSQL: one SQLite process remembers them in memory.
CREATE TABLE interactions_seen (
    id      INTEGER PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
CREATE INDEX interactions_seen_by_time ON interactions_seen (seen_at);
