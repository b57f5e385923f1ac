-- Who a job already reached (a reminder's recipients), so a job resumed
-- after a crash does not DM anyone twice.
CREATE TABLE job_deliveries (
    job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, user_id)
);
