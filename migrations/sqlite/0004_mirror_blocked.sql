-- Set when Discord refused to create a native scheduled event (the bot
-- lacks Manage Events): mirroring stops instead of failing on every event.
ALTER TABLE guild_settings ADD COLUMN mirror_blocked INTEGER NOT NULL DEFAULT 0;
