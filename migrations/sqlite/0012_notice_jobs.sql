-- DMs about a freed seat, a changed or a cancelled event become jobs like
-- reminders, so a restart loses none and none is sent twice. SQLite cannot
-- change a CHECK constraint, so `jobs` is rebuilt with the new kinds.
-- `job_deliveries` refers to it and is rebuilt alongside: dropping `jobs`
-- while the old `job_deliveries` still refers to it would cascade and
-- forget who was already reached.
CREATE TABLE jobs_new (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('reminder', 'announcement', 'deadline', 'occurrences',
                                               'card_refresh', 'purge_guild',
                                               'promoted', 'changed', 'cancelled')),
    guild_id   INTEGER NOT NULL,
    ref_id     INTEGER NOT NULL,
    due_at     INTEGER NOT NULL,
    -- e.g. the reminder offset in minutes; the promoted member; a notice's number
    detail     INTEGER NOT NULL DEFAULT 0,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'dropped')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    claimed_at INTEGER,
    done_at    INTEGER,
    -- a change or cancellation notice: the JSON array of the dates (event
    -- ids) it is about, so a series change is one DM per member
    payload    TEXT,
    UNIQUE (kind, ref_id, detail)
);
INSERT INTO jobs_new (id, kind, guild_id, ref_id, due_at, detail, status, attempts, last_error, claimed_at, done_at)
    SELECT id, kind, guild_id, ref_id, due_at, detail, status, attempts, last_error, claimed_at, done_at FROM jobs;

CREATE TABLE job_deliveries_new (
    job_id       INTEGER NOT NULL REFERENCES jobs_new (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, user_id)
);
INSERT INTO job_deliveries_new (job_id, user_id, delivered_at)
    SELECT job_id, user_id, delivered_at FROM job_deliveries;

DROP TABLE job_deliveries;
DROP TABLE jobs;
-- Renaming the parent also renames the child's reference to it.
ALTER TABLE jobs_new RENAME TO jobs;
ALTER TABLE job_deliveries_new RENAME TO job_deliveries;
CREATE INDEX jobs_by_status_due ON jobs (status, due_at);

-- The language of the member's Discord client (`fr` or `en`), learnt from
-- their interactions: their DMs speak it rather than the server's.
ALTER TABLE member_prefs ADD COLUMN locale TEXT;
