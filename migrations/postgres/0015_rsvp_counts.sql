-- Each event's answers counted as they change, rather than counted again
-- at every read (see the SQLite migration 0022 for why). The trigger keeps
-- the row exact whatever writes the answers, inside the writer's own
-- transaction; the row goes with its event.
CREATE TABLE rsvp_counts (
    event_id      BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    -- going members plus their guests
    going_seats   BIGINT NOT NULL DEFAULT 0,
    going_members BIGINT NOT NULL DEFAULT 0,
    maybe         BIGINT NOT NULL DEFAULT 0,
    waitlisted    BIGINT NOT NULL DEFAULT 0,
    -- check-ins, whatever the answer (walk-ins included)
    checked_in    BIGINT NOT NULL DEFAULT 0
);

INSERT INTO rsvp_counts (event_id, going_seats, going_members, maybe, waitlisted, checked_in)
SELECT event_id,
       COALESCE(SUM(1 + guests) FILTER (WHERE status = 'going'), 0),
       COUNT(*) FILTER (WHERE status = 'going'),
       COUNT(*) FILTER (WHERE status = 'maybe'),
       COUNT(*) FILTER (WHERE status = 'waitlisted'),
       COUNT(checked_in_at)
  FROM rsvps GROUP BY event_id;

CREATE FUNCTION rsvp_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rsvp_counts (event_id, going_seats, going_members, maybe, waitlisted, checked_in)
        VALUES (NEW.event_id,
                CASE WHEN NEW.status = 'going' THEN 1 + NEW.guests ELSE 0 END,
                (NEW.status = 'going')::int, (NEW.status = 'maybe')::int,
                (NEW.status = 'waitlisted')::int, (NEW.checked_in_at IS NOT NULL)::int)
        ON CONFLICT (event_id) DO UPDATE SET
            going_seats = rsvp_counts.going_seats + excluded.going_seats,
            going_members = rsvp_counts.going_members + excluded.going_members,
            maybe = rsvp_counts.maybe + excluded.maybe,
            waitlisted = rsvp_counts.waitlisted + excluded.waitlisted,
            checked_in = rsvp_counts.checked_in + excluded.checked_in;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE rsvp_counts SET
            going_seats = going_seats - CASE WHEN OLD.status = 'going' THEN 1 + OLD.guests ELSE 0 END
                                      + CASE WHEN NEW.status = 'going' THEN 1 + NEW.guests ELSE 0 END,
            going_members = going_members - (OLD.status = 'going')::int + (NEW.status = 'going')::int,
            maybe = maybe - (OLD.status = 'maybe')::int + (NEW.status = 'maybe')::int,
            waitlisted = waitlisted - (OLD.status = 'waitlisted')::int + (NEW.status = 'waitlisted')::int,
            checked_in = checked_in - (OLD.checked_in_at IS NOT NULL)::int
                                    + (NEW.checked_in_at IS NOT NULL)::int
        WHERE event_id = NEW.event_id;
    ELSE
        UPDATE rsvp_counts SET
            going_seats = going_seats - CASE WHEN OLD.status = 'going' THEN 1 + OLD.guests ELSE 0 END,
            going_members = going_members - (OLD.status = 'going')::int,
            maybe = maybe - (OLD.status = 'maybe')::int,
            waitlisted = waitlisted - (OLD.status = 'waitlisted')::int,
            checked_in = checked_in - (OLD.checked_in_at IS NOT NULL)::int
        WHERE event_id = OLD.event_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER rsvp_counts_follow AFTER INSERT OR DELETE OR UPDATE OF status, guests, checked_in_at
    ON rsvps FOR EACH ROW EXECUTE FUNCTION rsvp_counts_follow();
