-- Issue 13: a discussion thread per event card, and the names of who is
-- going on the card. Both are off until an admin turns them on.
ALTER TABLE guild_settings ADD COLUMN threads INTEGER NOT NULL DEFAULT 0;
-- who turned threads on: told when Discord refuses a thread later
ALTER TABLE guild_settings ADD COLUMN threads_admin_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN card_names INTEGER NOT NULL DEFAULT 0;

-- The thread opened on an event's card. Its own table, so the events'
-- columns (and every query that reads them) stay as they are.
CREATE TABLE event_threads (
    event_id    INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    thread_id   INTEGER NOT NULL,
    archived_at INTEGER
);
