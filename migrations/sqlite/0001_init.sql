-- Rencontre's schema. Times are UTC unix seconds (INTEGER): compact, indexable,
-- unambiguous. Discord snowflakes are INTEGER (they fit in i64 until 2084).

CREATE TABLE guild_settings (
    guild_id                INTEGER PRIMARY KEY,
    agenda_channel_id       INTEGER,
    intro_channel_id        INTEGER,
    announce_channel_id     INTEGER,
    organizer_role_id       INTEGER,
    timezone                TEXT    NOT NULL DEFAULT 'Europe/Paris',
    language                TEXT    NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
    -- minutes before start, comma-separated, longest first
    reminder_offsets        TEXT    NOT NULL DEFAULT '1440,60',
    mirror_events           INTEGER NOT NULL DEFAULT 0,
    intro_button_channel_id INTEGER,
    intro_button_message_id INTEGER,
    -- set when the bot leaves the server; data is purged after a grace period
    left_at                 INTEGER,
    updated_at              INTEGER NOT NULL
);

-- A recurring series; each occurrence is a row of `events` with its own RSVPs.
CREATE TABLE series (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    repeat      TEXT    NOT NULL CHECK (repeat IN ('weekly', 'biweekly', 'monthly')),
    -- generated up to this instant; the job runner extends it
    generated_until INTEGER NOT NULL,
    cancelled   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

CREATE TABLE events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id           INTEGER NOT NULL,
    title              TEXT    NOT NULL,
    description        TEXT,
    location           TEXT,
    starts_at          INTEGER NOT NULL,
    ends_at            INTEGER NOT NULL CHECK (ends_at > starts_at),
    capacity           INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 10000),
    rsvp_deadline      INTEGER,
    restricted_role_id INTEGER,
    -- where the card is posted; NULL means the server's agenda channel
    channel_id         INTEGER,
    card_channel_id    INTEGER,
    card_message_id    INTEGER,
    status             TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason      TEXT,
    series_id          INTEGER REFERENCES series (id),
    repeat             TEXT CHECK (repeat IN ('weekly', 'biweekly', 'monthly')),
    occurrence_index   INTEGER,
    native_event_id    INTEGER,
    created_by         INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX events_by_guild_start ON events (guild_id, starts_at);
CREATE INDEX events_by_series ON events (series_id, starts_at);

CREATE TABLE rsvps (
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    user_name     TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('going', 'maybe', 'declined', 'waitlisted')),
    guests        INTEGER NOT NULL DEFAULT 0 CHECK (guests BETWEEN 0 AND 10),
    note          TEXT,
    -- order of arrival in the going/waitlist queue, per event
    arrival_seq   INTEGER NOT NULL,
    responded_at  INTEGER NOT NULL,
    checked_in_at INTEGER,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX rsvps_by_event_status ON rsvps (event_id, status, arrival_seq);
CREATE INDEX rsvps_by_user ON rsvps (user_id);

CREATE TABLE introductions (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    user_id            INTEGER NOT NULL,
    name               TEXT    NOT NULL,
    organization       TEXT,
    about              TEXT,
    skills             TEXT,
    website            TEXT,
    message_channel_id INTEGER,
    message_id         INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (guild_id, user_id)
);
CREATE INDEX introductions_by_guild_created ON introductions (guild_id, created_at);

-- Full-text index over introductions; remove_diacritics lets "referencement"
-- find "référencement". Kept in sync by the triggers below.
CREATE VIRTUAL TABLE introductions_fts USING fts5 (
    name, organization, about, skills,
    content = 'introductions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER introductions_ai AFTER INSERT ON introductions BEGIN
    INSERT INTO introductions_fts (rowid, name, organization, about, skills)
    VALUES (new.id, new.name, new.organization, new.about, new.skills);
END;
CREATE TRIGGER introductions_ad AFTER DELETE ON introductions BEGIN
    INSERT INTO introductions_fts (introductions_fts, rowid, name, organization, about, skills)
    VALUES ('delete', old.id, old.name, old.organization, old.about, old.skills);
END;
CREATE TRIGGER introductions_au AFTER UPDATE ON introductions BEGIN
    INSERT INTO introductions_fts (introductions_fts, rowid, name, organization, about, skills)
    VALUES ('delete', old.id, old.name, old.organization, old.about, old.skills);
    INSERT INTO introductions_fts (rowid, name, organization, about, skills)
    VALUES (new.id, new.name, new.organization, new.about, new.skills);
END;

CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    author_id    INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    event_id     INTEGER REFERENCES events (id) ON DELETE SET NULL,
    ping_role_id INTEGER,
    -- NULL: posted at once
    post_at      INTEGER,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted', 'cancelled', 'failed')),
    message_id   INTEGER,
    created_at   INTEGER NOT NULL,
    posted_at    INTEGER
);
CREATE INDEX announcements_by_guild_status ON announcements (guild_id, status, post_at);

-- The persisted schedule: reminders, scheduled announcements, deadline
-- closings, occurrence generation. A runner claims due rows in a transaction.
CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('reminder', 'announcement', 'deadline', 'occurrences', 'card_refresh', 'purge_guild')),
    guild_id   INTEGER NOT NULL,
    ref_id     INTEGER NOT NULL,
    due_at     INTEGER NOT NULL,
    -- e.g. the reminder offset in minutes
    detail     INTEGER NOT NULL DEFAULT 0,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'dropped')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    claimed_at INTEGER,
    done_at    INTEGER,
    UNIQUE (kind, ref_id, detail)
);
CREATE INDEX jobs_by_status_due ON jobs (status, due_at);

CREATE TABLE member_prefs (
    guild_id          INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    reminders_enabled INTEGER NOT NULL DEFAULT 1,
    -- set when a DM failed with 50007 (DMs closed); such members are skipped
    dms_closed_at     INTEGER,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Small facts the bot keeps about itself (e.g. the hash of the last command
-- registration, so restarts don't burn Discord's daily creation limit).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
