-- What an admin set in the `/teammate settings` modal; each row overrides its config option
-- (TEAMMATE_APPROVERS, TEAMMATE_CARD_BUDGET, TEAMMATE_QUIET_HOURS) or `.teammate.yml` (scanners
-- switched off per repository). No row: the config value applies. Values are JSON.
CREATE TABLE team_settings (
  key TEXT PRIMARY KEY CHECK (key IN ('approvers', 'card_budget', 'quiet_hours', 'scanners_off')),
  value TEXT NOT NULL,
  updated_by TEXT NOT NULL,         -- Slack user ID of the admin who saved it
  updated_at INTEGER NOT NULL       -- unix milliseconds
);
