-- Date polls (`/poll`): an organizer offers up to 10 dates, members answer
-- each one yes or if-need-be (no answer is no); closing the poll creates
-- the event at the chosen date.
CREATE TABLE polls (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT,
    -- where the poll's card is posted, and its message once posted
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    -- the poll closes itself then (a `poll_close` job); none: by hand only
    deadline    INTEGER,
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER,
    -- the date chosen at close (its position), and the event it became;
    -- both empty on a poll closed without an event (nobody could come)
    chosen      INTEGER,
    event_id    INTEGER
);
CREATE INDEX polls_by_guild ON polls (guild_id, closed_at);

CREATE TABLE poll_dates (
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    -- 0-based, in date order
    position  INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    -- a range said in the poll ("18h30-20h") sets the event's length
    minutes   INTEGER,
    PRIMARY KEY (poll_id, position)
);

CREATE TABLE poll_answers (
    poll_id     INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    user_name   TEXT    NOT NULL,
    answer      TEXT    NOT NULL CHECK (answer IN ('yes', 'if_need_be')),
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, position, user_id)
);
CREATE INDEX poll_answers_by_user ON poll_answers (user_id);

-- Two job kinds: a poll closing at its deadline, and the DMs telling those
-- who could come that the event exists. SQLite cannot change a CHECK
-- constraint, so `jobs` (and `job_deliveries`, which refers to it) are
-- rebuilt as in 0012, keeping every row.
CREATE TABLE jobs_new (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('reminder', 'announcement', 'deadline', 'occurrences',
                                               'card_refresh', 'purge_guild',
                                               'promoted', 'changed', 'cancelled',
                                               'poll_close', 'poll_closed')),
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
INSERT INTO jobs_new (id, kind, guild_id, ref_id, due_at, detail, status, attempts, last_error, claimed_at, done_at, payload)
    SELECT id, kind, guild_id, ref_id, due_at, detail, status, attempts, last_error, claimed_at, done_at, payload FROM jobs;

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
ALTER TABLE jobs_new RENAME TO jobs;
ALTER TABLE job_deliveries_new RENAME TO job_deliveries;
CREATE INDEX jobs_by_status_due ON jobs (status, due_at);
