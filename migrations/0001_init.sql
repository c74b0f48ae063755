-- Foundation: Slack delivery bookkeeping, answered threads and answer feedback.

-- One row per Slack delivery we acted on. Keys are `event:<event_id>` and `msg:<channel>:<ts>`
-- (an @mention arrives as both app_mention and message). Pruned after a day.
CREATE TABLE slack_deliveries (
  key TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL -- unix ms
);
CREATE INDEX slack_deliveries_received ON slack_deliveries (received_at);

-- Threads Teammate takes part in: follow-ups there need no @mention.
CREATE TABLE conversations (
  channel TEXT NOT NULL,
  thread_ts TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  started_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (channel, thread_ts)
);

-- Every answer given, in Slack or the console, with what it cited.
CREATE TABLE answers (
  id INTEGER PRIMARY KEY,
  surface TEXT NOT NULL CHECK (surface IN ('slack', 'console', 'cli')),
  channel TEXT,
  thread_ts TEXT,
  message_ts TEXT,           -- the reply's ts, once posted
  question_ts TEXT,          -- the asking message's ts
  user_id TEXT,
  repo_id TEXT NOT NULL,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  citations TEXT NOT NULL DEFAULT '[]', -- JSON [{path,startLine,endLine,url}]
  mode TEXT NOT NULL CHECK (mode IN ('llm', 'extractive', 'error')),
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX answers_question ON answers (channel, question_ts) WHERE question_ts IS NOT NULL;
CREATE INDEX answers_thread ON answers (channel, thread_ts);

-- 👍/👎 on an answer; one vote per user, the latest wins.
CREATE TABLE answer_feedback (
  answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  value TEXT NOT NULL CHECK (value IN ('up', 'down')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (answer_id, user_id)
);
