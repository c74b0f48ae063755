-- Scheduling: cron only enqueues. Each scheduled fire time ("slot") of a job is claimed by one
-- row, so a slot runs once across restarts and across processes sharing this database
-- (graphile-worker's known_crontabs idea).

-- One row per (job, slot) that some process claimed. `slot` is the scheduled fire time as an ISO
-- 8601 UTC string (`2026-12-01T08:00:00.000Z`), or `manual:<ISO>` for a run someone asked for.
-- A claim not finished (the process died) can be taken over once its lease (claimed_at, renewed
-- while the run is alive) has expired; attempts counts the takeovers.
CREATE TABLE job_slots (
  job TEXT NOT NULL,
  slot TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'backfill', 'manual')),
  claimed_by TEXT NOT NULL,    -- host:pid:random of the claiming process
  claimed_at INTEGER NOT NULL, -- unix ms; renewed while the run is alive
  attempts INTEGER NOT NULL DEFAULT 1,
  finished_at INTEGER,         -- unix ms
  outcome TEXT CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
  error TEXT,
  PRIMARY KEY (job, slot)
);
CREATE INDEX job_slots_unfinished ON job_slots (job, claimed_at) WHERE finished_at IS NULL;

-- When each job was first scheduled: slots before that are never back-filled (a fresh install
-- does not run last night's digest).
CREATE TABLE scheduled_jobs (
  job TEXT PRIMARY KEY,
  cron TEXT NOT NULL,
  known_since INTEGER NOT NULL -- unix ms
);

-- The repository a Slack channel is about, set with `/teammate repo owner/name|PATH` in it.
CREATE TABLE channel_repositories (
  channel TEXT PRIMARY KEY,
  repo TEXT NOT NULL,          -- owner/name or an absolute path, as Repository.id
  set_by TEXT,                 -- Slack user ID
  set_at INTEGER NOT NULL      -- unix ms
);

-- Cross-process locks for runs that must not overlap (scans of one repository): held while the
-- run lives (expires_at renewed), free for others once released or expired (the holder died).
CREATE TABLE run_locks (
  key TEXT PRIMARY KEY,        -- e.g. scan:acme/api
  holder TEXT NOT NULL,        -- host:pid:random
  expires_at INTEGER NOT NULL  -- unix ms
);
