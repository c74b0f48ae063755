-- Code index: files, line-ranged chunks, definitions and an FTS5 index over pre-tokenized text.
-- Every row is keyed by repo_id (Repository.id) so many repositories share one database.

CREATE TABLE code_repos (
  repo_id TEXT PRIMARY KEY,
  root TEXT NOT NULL,
  commit_sha TEXT,            -- HEAD when the index was last brought up to date
  indexed_at INTEGER NOT NULL -- unix ms
);

CREATE TABLE code_files (
  id INTEGER PRIMARY KEY,
  repo_id TEXT NOT NULL,
  path TEXT NOT NULL,         -- relative to the repository root, '/' separated
  hash TEXT NOT NULL,         -- git blob sha, content sha1, or mtime:size for non-git folders
  bytes INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  role TEXT NOT NULL DEFAULT 'code' CHECK (role IN ('code', 'test', 'doc', 'example', 'config')),
  UNIQUE (repo_id, path)
);

CREATE TABLE code_chunks (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES code_files (id) ON DELETE CASCADE,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  text TEXT NOT NULL          -- scrubbed of secret-shaped tokens before it is stored
);
CREATE INDEX code_chunks_file ON code_chunks (file_id);

CREATE TABLE code_symbols (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES code_files (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL
);
CREATE INDEX code_symbols_file ON code_symbols (file_id);
CREATE INDEX code_symbols_name ON code_symbols (name COLLATE NOCASE);

-- rowid = code_chunks.id. Columns hold our own code-aware token stream (identifiers split and kept
-- whole), so FTS5 only needs to split on spaces; '_' stays a token character for snake_case wholes.
-- Contentless: the text lives once, in code_chunks. `repo` holds one token per repository so a
-- query is confined to it inside FTS5 (a column filter) instead of after ranking every repository.
CREATE VIRTUAL TABLE code_fts USING fts5 (
  repo, path, defs, body,
  content = '', contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
