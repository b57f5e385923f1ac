-- Secret links to calendar feeds: a server's agenda (user_id NULL) or one
-- member's events. Regenerating a link replaces its token.
CREATE TABLE calendar_feeds (
    token      TEXT PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_by_owner ON calendar_feeds (guild_id, COALESCE(user_id, 0));
