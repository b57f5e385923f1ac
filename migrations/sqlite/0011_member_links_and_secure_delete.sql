-- Every member gets their own link to the server's feed ('all') as well as
-- to their own events ('mine'), so one member's new link or departure never
-- breaks anyone else's subscription. Rows from before (the one shared link,
-- user_id NULL) keep working until an admin revokes every link of the server.
ALTER TABLE calendar_feeds ADD COLUMN scope TEXT NOT NULL DEFAULT 'mine' CHECK (scope IN ('all', 'mine'));
UPDATE calendar_feeds SET scope = 'all' WHERE user_id IS NULL;
DROP INDEX calendar_feeds_by_owner;
CREATE UNIQUE INDEX calendar_feeds_by_owner ON calendar_feeds (guild_id, COALESCE(user_id, 0), scope);
-- Erasure and departures find a member's links across servers.
CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id);

-- An erased introduction leaves no token behind in the full-text index
-- (without this, FTS5 keeps deleted entries until a later merge).
INSERT INTO introductions_fts (introductions_fts, rank) VALUES ('secure-delete', 1);
