-- Processes sharing a database take turns to IDENTIFY with Discord: one per
-- bucket (shard id modulo max_concurrency) every 5 seconds. The last
-- IDENTIFY of each bucket, in milliseconds since 1970 by the database's clock.
CREATE TABLE identify_turns (
    bucket        BIGINT PRIMARY KEY,
    identified_at BIGINT NOT NULL
);

-- What one process does for all (registering the commands, the hourly
-- sweep): the process holding the lease, until when (seconds since 1970).
CREATE TABLE leases (
    name   TEXT    PRIMARY KEY,
    holder TEXT    NOT NULL,
    until  BIGINT NOT NULL
);
