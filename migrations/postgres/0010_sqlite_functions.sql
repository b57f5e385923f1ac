-- The few SQLite functions the store's statements use, so that those
-- statements are one text on both engines (src/store/engine.rs). Each does
-- here what SQLite's does for the way the store calls it; statements that
-- need more than this say so with their own PostgreSQL text.

-- Position of `needle` in `haystack`, 1-based, 0 if absent (title search).
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN strpos(haystack, needle);

-- `n` random bytes from a cryptographic source, and their hex digits:
-- feed and form tokens are `lower(hex(randomblob(n)))`.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE FUNCTION randomblob(n integer) RETURNS bytea
    LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
    RETURN gen_random_bytes(n);

CREATE FUNCTION hex(bytes bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN upper(encode(bytes, 'hex'));

-- A JSON array of ids bound as text, one row per id:
-- `... IN (SELECT value FROM json_each($1))`. (PostgreSQL's own
-- json_each takes a json object; this one takes the text of an array.)
CREATE FUNCTION json_each(ids text) RETURNS TABLE (value bigint)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT e::bigint FROM json_array_elements_text(ids::json) AS e $$;
