-- The start an event had before it was first moved (NULL: never moved), so
-- the public page can tell search engines it was rescheduled, and from when.
ALTER TABLE events ADD COLUMN rescheduled_from INTEGER;
