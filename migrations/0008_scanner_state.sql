-- Per repository and scanner: the failure streak (3 in a row pauses the scanner), the last
-- commit scanned and the scanner's own incremental cache (JSON).
CREATE TABLE scanner_state (
  repo_id TEXT NOT NULL,
  scanner TEXT NOT NULL,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  last_error TEXT,
  last_failure_at TEXT,
  last_success_at TEXT,
  last_commit TEXT,
  data TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (repo_id, scanner)
);
