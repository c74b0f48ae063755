-- Secret redaction now uses gitleaks' maintained rules (src/security/redact-secrets.ts). Indexes
-- built before it may hold Stripe, Google, AWS, webhook, JWT and password values in chunk text
-- and in the full-text terms. Empty the code index: the next refresh (at start, or `teammate
-- index`/`ask`) re-reads every file through the new rules. secure_delete overwrites the freed
-- pages with zeros, so the old values do not linger in the database file either.
PRAGMA secure_delete = ON;
INSERT INTO code_fts (code_fts) VALUES ('delete-all');
DELETE FROM code_chunk_vectors;
DELETE FROM code_symbols;
DELETE FROM code_chunks;
DELETE FROM code_files;
DELETE FROM code_repos;
PRAGMA secure_delete = OFF;
