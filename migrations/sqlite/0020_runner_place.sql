-- Where a job runner runs: its machine and process namespace (`host`) and
-- its process (`process`, pid and start time). A runner that finds on its
-- own host a runner whose process is gone (kill -9, out of memory) takes up
-- that runner's claims at once instead of waiting out its lease.
ALTER TABLE job_runners ADD COLUMN host TEXT;
ALTER TABLE job_runners ADD COLUMN process TEXT;
