-- json_each (0010) turns a bound JSON array of ids into rows. A function
-- declared in SQL is planned as returning 1,000 rows unless told otherwise,
-- so `rsvps.event_id IN (SELECT value FROM json_each($1))` (the agenda's and
-- the attendees' counts, for a page of events) was planned as a hash join
-- over a sequential scan of every server's answers. The store binds a page
-- or a batch: a handful of ids, which the primary-key and event indexes
-- serve one by one (tests/engine_schema/plans.rs).
ALTER FUNCTION json_each(text) ROWS 10;
