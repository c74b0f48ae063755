-- A proposal's state can also change without a person: a scan that no longer finds its evidence
-- (the TODO removed, CI green again, the dependency bumped, the issue taken) retires it as
-- `expired`. The audit keeps that change too, as action 'expire' from surface 'scan'.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its rows.
CREATE TABLE decisions_new (
  id INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'snooze', 'expire')),
  reason TEXT,
  surface TEXT NOT NULL CHECK (surface IN ('slack', 'home', 'console', 'cli', 'scan')),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO decisions_new (id, proposal_id, user_id, action, reason, surface, from_state, to_state, created_at)
  SELECT id, proposal_id, user_id, action, reason, surface, from_state, to_state, created_at FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
CREATE INDEX decisions_created ON decisions (created_at);
CREATE INDEX decisions_proposal ON decisions (proposal_id);
