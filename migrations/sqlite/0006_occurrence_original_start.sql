-- Where the series' rule first placed each occurrence, before any edit moved
-- it: calendar feeds name an edited or cancelled date by it (RECURRENCE-ID),
-- and the first occurrence's is the anchor later dates are generated from,
-- so moving the first date alone does not move the rest of the series.
-- Rows from before this column: their current start is the best we know.
ALTER TABLE events ADD COLUMN original_starts_at INTEGER;
UPDATE events SET original_starts_at = starts_at WHERE series_id IS NOT NULL;
