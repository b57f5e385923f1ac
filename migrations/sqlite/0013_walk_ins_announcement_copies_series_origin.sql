-- An organizer may check in someone who came without answering: that
-- attendance is kept as a 'walk_in' answer (it holds no seat and is in no
-- list of the card, but counts as a check-in in the report). SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt as it was,
-- with the new status allowed, and its indexes recreated under their names.
ALTER TABLE rsvps RENAME TO rsvps_before_walk_in;
CREATE TABLE rsvps (
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    user_name     TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('going', 'maybe', 'declined', 'waitlisted', 'walk_in')),
    guests        INTEGER NOT NULL DEFAULT 0 CHECK (guests BETWEEN 0 AND 10),
    note          TEXT,
    -- order of arrival in the going/waitlist queue, per event
    arrival_seq   INTEGER NOT NULL,
    responded_at  INTEGER NOT NULL,
    checked_in_at INTEGER,
    PRIMARY KEY (event_id, user_id)
);
INSERT INTO rsvps (event_id, user_id, user_name, status, guests, note, arrival_seq, responded_at, checked_in_at)
    SELECT event_id, user_id, user_name, status, guests, note, arrival_seq, responded_at, checked_in_at
    FROM rsvps_before_walk_in;
DROP TABLE rsvps_before_walk_in;
CREATE INDEX rsvps_by_event_status ON rsvps (event_id, status, arrival_seq);
CREATE INDEX rsvps_by_user ON rsvps (user_id);
CREATE INDEX rsvps_for_reports ON rsvps (event_id, status, guests, checked_in_at, user_id);
CREATE INDEX rsvps_by_event_arrival ON rsvps (event_id, arrival_seq);

-- Every refresh of an event's card also edits the announcements that carry
-- its buttons: find them by event, not by walking every announcement.
CREATE INDEX announcements_by_event ON announcements (event_id, status);

-- A new time for some dates of a series splits it (the dates generated
-- later follow the new rule); each part remembers the series it came from,
-- so that "the whole series" reaches every part, however often it was split.
ALTER TABLE series ADD COLUMN origin_id INTEGER REFERENCES series (id);
CREATE INDEX series_by_origin ON series (origin_id);
