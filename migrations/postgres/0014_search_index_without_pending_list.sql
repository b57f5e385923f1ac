-- A GIN index with fastupdate (PostgreSQL's default) keeps recent inserts
-- in a pending list, unsorted and shared by every server, that each search
-- reads in full until VACUUM or autoanalyze merges it. After introductions
-- arrive in bulk (a server moving in, `rencontre copy`), one server's search
-- then pays for the others' new rows. Introductions are written rarely and
-- searched often: the index is kept merged on every write instead.
ALTER INDEX introductions_fts_by_guild SET (fastupdate = off);
SELECT gin_clean_pending_list('introductions_fts_by_guild');
