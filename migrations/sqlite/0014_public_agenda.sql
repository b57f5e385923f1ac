-- A server's agenda published as web pages (`/setup public`), off by
-- default. The slug is the first segment of the pages' URLs: unique across
-- servers, kept when publishing is turned off so the address comes back
-- the same. The name is the server's as last seen by `/setup public`; the
-- pages show it (and name the association as the events' organizer)
-- without asking Discord.
CREATE TABLE public_agendas (
    guild_id   INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
