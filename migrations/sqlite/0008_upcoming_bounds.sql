-- "Not over yet" is `ends_at > now`, which the (guild_id, starts_at) index
-- cannot bound: the agenda and calendar feeds walked every past event of
-- the server. An event not over starts after now minus the server's longest
-- event; this index gives that length in one probe (MAX of its last column),
-- so the walk covers only the events to come.
CREATE INDEX events_by_guild_length ON events (guild_id, ends_at - starts_at);
-- A series' first date (`ORDER BY occurrence_index LIMIT 1`), read for each
-- series of a calendar feed and when a series is extended, without sorting
-- all of the series' dates.
CREATE INDEX events_by_series_occurrence ON events (series_id, occurrence_index);
