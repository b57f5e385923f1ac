-- Each event's answers counted as they change, rather than counted again
-- at every read. A click decides against the seats taken and the number
-- waiting, and every card, the agenda and the promotions show or use the
-- same figures: counting them walked all of the event's answers, so a
-- popular event (thousands waiting) made every click on it slower.
-- The triggers below keep the row exact whatever writes the answers
-- (clicks, check-ins, promotions, erasure), inside the writer's own
-- transaction; the row goes with its event.
CREATE TABLE rsvp_counts (
    event_id      INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    -- going members plus their guests
    going_seats   INTEGER NOT NULL DEFAULT 0,
    going_members INTEGER NOT NULL DEFAULT 0,
    maybe         INTEGER NOT NULL DEFAULT 0,
    waitlisted    INTEGER NOT NULL DEFAULT 0,
    -- check-ins, whatever the answer (walk-ins included)
    checked_in    INTEGER NOT NULL DEFAULT 0
);

INSERT INTO rsvp_counts (event_id, going_seats, going_members, maybe, waitlisted, checked_in)
SELECT event_id,
       SUM(CASE WHEN status = 'going' THEN 1 + guests ELSE 0 END),
       SUM(status = 'going'),
       SUM(status = 'maybe'),
       SUM(status = 'waitlisted'),
       COUNT(checked_in_at)
  FROM rsvps GROUP BY event_id;

-- (An upsert's DO UPDATE fires the UPDATE trigger, not this one.)
CREATE TRIGGER rsvp_counts_on_insert AFTER INSERT ON rsvps BEGIN
    INSERT INTO rsvp_counts (event_id, going_seats, going_members, maybe, waitlisted, checked_in)
    VALUES (NEW.event_id,
            CASE WHEN NEW.status = 'going' THEN 1 + NEW.guests ELSE 0 END,
            NEW.status = 'going', NEW.status = 'maybe', NEW.status = 'waitlisted',
            NEW.checked_in_at IS NOT NULL)
    ON CONFLICT (event_id) DO UPDATE SET
        going_seats = going_seats + excluded.going_seats,
        going_members = going_members + excluded.going_members,
        maybe = maybe + excluded.maybe,
        waitlisted = waitlisted + excluded.waitlisted,
        checked_in = checked_in + excluded.checked_in;
END;

CREATE TRIGGER rsvp_counts_on_update AFTER UPDATE OF status, guests, checked_in_at ON rsvps BEGIN
    UPDATE rsvp_counts SET
        going_seats = going_seats - CASE WHEN OLD.status = 'going' THEN 1 + OLD.guests ELSE 0 END
                                  + CASE WHEN NEW.status = 'going' THEN 1 + NEW.guests ELSE 0 END,
        going_members = going_members - (OLD.status = 'going') + (NEW.status = 'going'),
        maybe = maybe - (OLD.status = 'maybe') + (NEW.status = 'maybe'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted') + (NEW.status = 'waitlisted'),
        checked_in = checked_in - (OLD.checked_in_at IS NOT NULL) + (NEW.checked_in_at IS NOT NULL)
    WHERE event_id = NEW.event_id;
END;

CREATE TRIGGER rsvp_counts_on_delete AFTER DELETE ON rsvps BEGIN
    UPDATE rsvp_counts SET
        going_seats = going_seats - CASE WHEN OLD.status = 'going' THEN 1 + OLD.guests ELSE 0 END,
        going_members = going_members - (OLD.status = 'going'),
        maybe = maybe - (OLD.status = 'maybe'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted'),
        checked_in = checked_in - (OLD.checked_in_at IS NOT NULL)
    WHERE event_id = OLD.event_id;
END;
