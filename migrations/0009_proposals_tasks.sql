-- The proactive loop: proposals (findings turned into cards), the decisions taken on them, the
-- tasks approved proposals become, and what each scan did (for the digest's "suppressed" counts).
-- Times are unix milliseconds.

-- One row per (repository, fingerprint): this row IS the fingerprint memory. A pending, approved
-- or rejected proposal is never proposed again; a snoozed one returns after snooze_until; stale and
-- expired ones return when a scan sees the same evidence again.
CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  repo_id TEXT NOT NULL,
  scanner TEXT NOT NULL,
  rule TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  title TEXT NOT NULL,
  finding TEXT NOT NULL,            -- JSON Finding (src/scanners/finding.ts), the latest seen
  writeup TEXT,                     -- JSON {title, why, plan, acceptance} when written up (LLM or scanner text)
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'approved', 'rejected', 'snoozed', 'stale', 'expired')),
  snooze_until INTEGER,
  -- Where it is shown: 'channel' = a card in `channel`, 'deck' = Home deck and digest only
  -- (over the card budget, or found during quiet hours). NULL until a scan selected it.
  delivery TEXT CHECK (delivery IN ('channel', 'deck')),
  channel TEXT,
  message_ts TEXT,                  -- the card, once posted (look before posting again)
  thread_ts TEXT,                   -- the thread a change request came from
  requested_by TEXT,                -- Slack user who asked for it (change requests); may not self-approve
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  proposed_at INTEGER NOT NULL,     -- when it last became pending (first seen, or back from a snooze)
  decided_by TEXT,
  decided_at INTEGER,
  decision_reason TEXT,
  UNIQUE (repo_id, fingerprint)
);
CREATE INDEX proposals_state ON proposals (state, proposed_at);
CREATE UNIQUE INDEX proposals_card ON proposals (channel, message_ts) WHERE message_ts IS NOT NULL;

-- Audit: every state change of a proposal, who, from which surface.
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'snooze')),
  reason TEXT,
  surface TEXT NOT NULL CHECK (surface IN ('slack', 'home', 'console', 'cli')),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX decisions_created ON decisions (created_at);
CREATE INDEX decisions_proposal ON decisions (proposal_id);

-- The durable queue (issue 8 builds workers on it). One task per proposal, enforced here.
-- A worker claims with one statement:
--   UPDATE tasks SET status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, started_at = ?, updated_at = ?
--   WHERE id = (SELECT id FROM tasks WHERE (status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_expires_at < ?)
--               ORDER BY run_at, id LIMIT 1)
--   RETURNING *
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL UNIQUE REFERENCES proposals (id),
  repo_id TEXT NOT NULL,
  executor TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_error TEXT,
  result TEXT,                      -- JSON: PR / issue / run URL, test summary
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX tasks_claim ON tasks (status, run_at);
CREATE INDEX tasks_lease ON tasks (status, lease_expires_at);

CREATE TABLE task_events (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,               -- queued, claimed, heartbeat, retry, succeeded, failed, cancelled, …
  detail TEXT,                      -- JSON
  at INTEGER NOT NULL
);
CREATE INDEX task_events_task ON task_events (task_id, at);

-- One row per scan of a repository (all scanners or one): what it found and what it kept quiet.
CREATE TABLE scan_runs (
  id INTEGER PRIMARY KEY,
  repo_id TEXT NOT NULL,
  scanner TEXT,                     -- NULL: every enabled scanner
  channel TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  findings INTEGER NOT NULL DEFAULT 0,
  new_proposals INTEGER NOT NULL DEFAULT 0,   -- first seen, or back from a snooze / stale / expired
  posted INTEGER NOT NULL DEFAULT 0,          -- selected for a channel card
  suppressed_duplicate INTEGER NOT NULL DEFAULT 0,
  suppressed_below_threshold INTEGER NOT NULL DEFAULT 0,
  suppressed_budget INTEGER NOT NULL DEFAULT 0,
  suppressed_quiet INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE INDEX scan_runs_started ON scan_runs (started_at);

-- Digests produced, so the next one covers "since the last digest" of its channel.
CREATE TABLE digests (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,            -- '' for the CLI / console
  period_from INTEGER NOT NULL,
  period_to INTEGER NOT NULL,
  message_ts TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX digests_channel ON digests (channel, period_to);
