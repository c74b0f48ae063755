import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { repoToken } from '../../src/search/repo-key.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate, readMigrations } from '../../src/storage/migrate.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.cleanup();
});

// What an index built before gitleaks' rules could hold: a Stripe key the old prefix list missed.
const OLD_SECRET = ['sk_', 'live_', '9fQ2xLm7Rt4Vw8Yz1Bc3Nd5P'].join('');

describe('migration 0007', () => {
  it('empties an index that may hold secrets, zeroes the freed pages, and the next refresh rebuilds it', async () => {
    const temp = makeTempDir('teammate-purge-');
    temps.push(temp);
    const root = path.join(temp.dir, 'repo');
    makeGitRepo(root, { 'src/pay.ts': 'export const charge = () => 1;\n' });
    const file = path.join(temp.dir, 'teammate.db');
    const db = openDatabase(file);
    migrate(db, readMigrations().filter((m) => m.version < 7));
    // An index row as the old code wrote it.
    db.prepare("INSERT INTO code_repos (repo_id, root, commit_sha, indexed_at) VALUES ('r', ?, NULL, 1)").run(root);
    const fileId = Number(db.prepare("INSERT INTO code_files (repo_id, path, hash, bytes, lines) VALUES ('r', 'src/pay.ts', 'h', 10, 1)").run().lastInsertRowid);
    const chunkId = db.prepare('INSERT INTO code_chunks (file_id, start_line, end_line, text) VALUES (?, 1, 1, ?)').run(fileId, `const KEY = "${OLD_SECRET}";`).lastInsertRowid;
    db.prepare('INSERT INTO code_fts (rowid, repo, path, defs, body) VALUES (?, ?, ?, ?, ?)').run(chunkId, repoToken('r'), 'src pay', '', `const key ${OLD_SECRET.toLowerCase()}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(file).toString('latin1')).toContain(OLD_SECRET);

    const result = migrate(db);
    expect(result.applied.map((m) => m.version)).toContain(7);
    for (const table of ['code_repos', 'code_files', 'code_chunks', 'code_symbols', 'code_chunk_vectors']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    expect(db.prepare('SELECT count(*) FROM code_fts_vocab').pluck().get()).toBe(0);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(file).toString('latin1');
    expect(bytes).not.toContain(OLD_SECRET);
    expect(bytes).not.toContain(OLD_SECRET.toLowerCase());

    const search = createCodeSearch(db, silentLogger());
    const repo = { id: 'r', root, label: 'repo' };
    expect(search.isIndexed(repo)).toBe(false);
    const summary = await search.index(repo);
    expect(summary.indexedFiles).toBe(1);
    db.close();
  });
});
