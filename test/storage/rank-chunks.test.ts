import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { repoToken } from '../../src/search/repo-key.js';
import type { CodeSearch } from '../../src/search/types.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { indexVersion } from '../../src/storage/index-version.js';
import { migrate } from '../../src/storage/migrate.js';
import { kthLargest, rankCacheSize, rankChunks, warmRankChunks } from '../../src/storage/rank-chunks.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const W = { wPath: 6, wDefs: 4 };

/**
 * A repository where a few words are in almost every file (config, value, return), some in a
 * handful (parser, token) and some in one file (zebra_stripe, quokka), with repeated words so term
 * frequencies differ, different file lengths so length normalisation matters, and two identical
 * files so some scores tie exactly.
 */
function fixtureFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    const extra = i % 7 === 0 ? 'parser token parser\n'.repeat(1 + (i % 3)) : '';
    const rare = i === 13 ? 'export const zebra_stripe = quokka(config);\n' : '';
    files[`src/mod${i}/file-${i}.ts`] =
      `export function loadConfig${i}(config: Config) {\n  const value = config.value${i};\n${extra}${rare}  return value;\n}\n` +
      '// filler line of body text\n'.repeat(i % 5) +
      (i % 2 === 0 ? `export function parseValue${i}(value: string) {\n  return value.trim();\n}\n` : '');
  }
  files['src/copy-a/same.ts'] = 'export function parserToken() {\n  return token.parser(config);\n}\n';
  files['src/copy-b/same.ts'] = files['src/copy-a/same.ts'] as string;
  files['docs/guide.md'] = '# Config\nThe parser reads a token stream; config values are returned.\n';
  return files;
}

/** The one-stage ranking rankChunks must reproduce: FTS5 bm25 over the OR of every phrase. */
function ftsTop(db: Db, phrases: readonly string[], limit: number, filter?: string): { id: number; s: number }[] {
  const match = filter ? `${filter} AND (${phrases.join(' OR ')})` : phrases.join(' OR ');
  return db
    .prepare(`SELECT rowid AS id, bm25(code_fts, 0, ${W.wPath}, ${W.wDefs}, 1) AS s FROM code_fts WHERE code_fts MATCH ? ORDER BY s, rowid LIMIT ?`)
    .all(match, limit) as { id: number; s: number }[];
}

const QUERIES: readonly (readonly string[])[] = [
  ['"config"', '"value"', '"return"'],
  // A term repeated is weighted: FTS5 evaluates each repetition.
  ['"zebra_stripe"', '"zebra_stripe"', '"zebra_stripe"', '"config"', '"parser"', '"parser"', '"value"'],
  ['"quokka"', '"token"', '"parser"', '"config"', '"filler"', '"body"', '"load"', '"configs"'],
  ['"parser"', '"token"'],
  ['"nowhere_to_be_found"', '"config"'],
];

describe('rankChunks: two stages equal to the one-stage FTS5 ranking', () => {
  let tmp: { dir: string; cleanup: () => void };
  let db: Db;
  let search: CodeSearch;
  let repo: Repository;

  beforeEach(async () => {
    tmp = makeTempDir('teammate-rank-');
    const root = path.join(tmp.dir, 'repo');
    makeGitRepo(root, fixtureFiles());
    db = openDatabase(path.join(tmp.dir, 'test.db'));
    migrate(db);
    search = createCodeSearch(db, createLogger({ level: 'silent' }), { worker: false });
    repo = { id: root, root, label: 'repo' };
    await search.index(repo);
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  it('returns the same chunks with the same bm25 values, bit for bit, for common and rare terms', () => {
    for (const phrases of QUERIES) {
      for (const limit of [1, 3, 10, 2000]) {
        const expected = ftsTop(db, phrases, limit);
        expect(expected.length).toBeGreaterThan(0);
        // Twice: the first call scores each phrase, the second sums cached scores.
        expect(rankChunks(db, phrases, { ...W, limit })).toEqual(expected);
        expect(rankChunks(db, phrases, { ...W, limit })).toEqual(expected);
      }
    }
  });

  it('breaks exact ties by rowid, as the identical files show', () => {
    const phrases = ['"parser"', '"token"'];
    const top = rankChunks(db, phrases, { ...W, limit: 50 });
    const tied = top.filter((r, i) => top.some((o, j) => j !== i && o.s === r.s));
    expect(tied.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < top.length; i++) {
      const [a, b] = [top[i - 1], top[i]] as [{ id: number; s: number }, { id: number; s: number }];
      expect(a.s < b.s || (a.s === b.s && a.id < b.id)).toBe(true);
    }
  });

  it('scores against the new index after a refresh, not the cached one', async () => {
    const phrases = ['"config"', '"parser"', '"token"', '"value"'];
    const before = rankChunks(db, phrases, { ...W, limit: 20 });
    expect(before).toEqual(ftsTop(db, phrases, 20));
    // More parser-heavy files change the row count, the average length and every idf.
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(repo.root, `src/extra-${i}.ts`), 'parser parser token\nconfig\n'.repeat(i + 1));
    fs.rmSync(path.join(repo.root, 'src/mod13/file-13.ts'));
    gitIn(repo.root, 'add', '-A');
    gitIn(repo.root, 'commit', '-q', '-m', 'more parsers');
    await search.index(repo);
    const after = rankChunks(db, phrases, { ...W, limit: 20 });
    expect(after).toEqual(ftsTop(db, phrases, 20));
    expect(after).not.toEqual(before);
    expect(rankChunks(db, ['"zebra_stripe"'], { ...W, limit: 5 })).toEqual([]);
  });

  it('confines the ranking to one repository of a shared database, with the same scores', async () => {
    const otherRoot = path.join(tmp.dir, 'other');
    makeGitRepo(otherRoot, { 'lib/config.py': 'def load_config(config):\n    return config.parser(token)\n', 'lib/value.py': 'value = config\n' });
    const other = { id: otherRoot, root: otherRoot, label: 'other' };
    await search.index(other);
    const phrases = ['"config"', '"parser"', '"token"', '"value"', '"config"'];
    for (const r of [repo, other]) {
      const filter = `repo : ${repoToken(r.id)}`;
      const expected = ftsTop(db, phrases, 15, filter);
      expect(expected.length).toBeGreaterThan(0);
      expect(rankChunks(db, phrases, { ...W, filter, limit: 15 })).toEqual(expected);
    }
    // Without the filter both repositories' chunks rank together.
    expect(rankChunks(db, phrases, { ...W, limit: 2000 })).toEqual(ftsTop(db, phrases, 2000));
  });

  it('warms a phrase into exactly the entry a query uses, and only for the current index version', async () => {
    const phrases = ['"config"', '"parser"', '"token"', '"parser"'];
    const version = indexVersion(db);
    const other = { id: path.join(tmp.dir, 'other'), root: path.join(tmp.dir, 'other'), label: 'other' };
    for (const p of ['"config"', '"parser"', '"token"']) expect(warmRankChunks(db, p, W, version)).toEqual({ cached: expect.any(Number) as number });
    expect(warmRankChunks(db, '"config"', W, version)).toEqual({ cached: 0 });
    const warmed = rankCacheSize(db);
    expect(warmed?.postings).toBeGreaterThan(0);
    // All hits: the query adds nothing, and ranks as FTS5 does.
    expect(rankChunks(db, phrases, { ...W, limit: 30 })).toEqual(ftsTop(db, phrases, 30));
    expect(rankCacheSize(db)).toEqual(warmed);
    // Another weight or filter is another entry.
    expect(warmRankChunks(db, '"config"', { ...W, wPath: 5 }, version)).not.toEqual({ cached: 0 });
    // The index changes: a warm-up still aimed at the old version keeps nothing.
    makeGitRepo(other.root, { 'lib/config.py': 'config = parser(token)\n' });
    await search.index(other);
    expect(warmRankChunks(db, '"value"', W, version)).toBe('stale');
    expect(rankCacheSize(db)?.version).toBe(version);
    expect(rankChunks(db, phrases, { ...W, limit: 30 })).toEqual(ftsTop(db, phrases, 30));
    expect(rankCacheSize(db)?.version).toBe(indexVersion(db));
  });

  it('keeps its version (and so the caches) across commits to other tables, not across an index change', async () => {
    const before = indexVersion(db);
    const dataVersion = db.pragma('data_version', { simple: true });
    // Another connection (the bot's main thread) records a Slack delivery: not an index change.
    const other = openDatabase(db.name);
    other
      .prepare('INSERT INTO idempotency_keys (key, claim_group, state, owner, owner_host, owner_pid, claimed_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('evt-1', 'evt-1', 'done', 'me', 'host', 1, Date.now(), Date.now());
    other.close();
    expect(db.pragma('data_version', { simple: true })).not.toBe(dataVersion);
    expect(indexVersion(db)).toBe(before);
    // Inside a transaction this connection's pending index writes are invisible to the key: no reuse.
    db.transaction(() => expect(indexVersion(db)).not.toBe(before))();
    fs.appendFileSync(path.join(repo.root, 'src/mod1/file-1.ts'), 'export const extra = 1;\n');
    gitIn(repo.root, 'commit', '-q', '-am', 'one more line');
    await search.index(repo);
    expect(indexVersion(db)).not.toBe(before);
  });

  it('finds the k-th largest value', () => {
    const values = [5, 1, 9, 9, 3, 7, 7, 7, 0, 2, 8, 6, 4, 9, 1];
    const desc = [...values].sort((a, b) => b - a);
    for (let k = 1; k <= values.length; k++) expect(kthLargest(Float64Array.from(values), k)).toBe(desc[k - 1]);
  });
});
