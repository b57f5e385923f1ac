-- Each click that joins an event's line takes MAX(arrival_seq) + 1. The
-- status-first index made that a walk over all the event's answers (O(n)
-- per click, O(n²) per storm); this one makes it a single index probe.
CREATE INDEX rsvps_by_event_arrival ON rsvps (event_id, arrival_seq);
