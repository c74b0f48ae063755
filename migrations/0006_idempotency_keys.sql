-- One idempotency helper for every side effect (Slack deliveries, clicks, later task effects),
-- with an outcome: a claim whose process died before finishing can be taken over and retried.
CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  -- Aliases of one piece of work (event id, (channel, ts)) share the primary key here.
  claim_group TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'done', 'failed')),
  owner TEXT NOT NULL,          -- the claiming process's instance id
  owner_host TEXT NOT NULL,
  owner_pid INTEGER NOT NULL,
  claimed_at INTEGER NOT NULL,  -- unix ms, first attempt
  heartbeat_at INTEGER NOT NULL,
  completed_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 1,
  payload TEXT,                 -- JSON the work needs to resume after a crash (primary row only)
  detail TEXT                   -- outcome detail, e.g. the last error
);
CREATE INDEX idempotency_keys_group ON idempotency_keys (claim_group);
CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
CREATE INDEX idempotency_keys_unfinished ON idempotency_keys (key) WHERE state = 'claimed';

-- Deliveries claimed before outcomes existed were acted on: keep them as done so retries inside
-- the dedupe window stay duplicates.
INSERT INTO idempotency_keys (key, claim_group, state, owner, owner_host, owner_pid, claimed_at, heartbeat_at, completed_at)
  SELECT key, key, 'done', 'before-0006', '', 0, received_at, received_at, received_at FROM slack_deliveries;
DROP TABLE slack_deliveries;

-- Feedback buttons sit on an answer's last message, which is not its first when the answer is
-- split: a vote is accepted only from that message (channel + ts), so it is stored too.
ALTER TABLE answers ADD COLUMN buttons_ts TEXT;
UPDATE answers SET buttons_ts = message_ts WHERE message_ts IS NOT NULL;
