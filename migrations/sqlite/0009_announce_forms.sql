-- The options of an open `/announce` form. The form's id carries only the
-- random token: a channel or role in the id would come back from the client,
-- which could name another server's. Bound to the server and member that
-- opened it, and short-lived (expired rows are swept when forms are opened).
CREATE TABLE announce_forms (
    token      TEXT    PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    event_id   INTEGER,
    ping_role  INTEGER,
    post_at    INTEGER,
    expires_at INTEGER NOT NULL
);
CREATE INDEX announce_forms_by_expiry ON announce_forms (expires_at);
