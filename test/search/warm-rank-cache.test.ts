/**
 * Warming the rank cache ahead of questions must change no result: a connection whose cache was
 * warmed ranks exactly as a cold one, the warmed entries are the ones queries use, and an index
 * change during the warm-up leaves nothing of the old version in use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { DEFAULT_TUNING } from '../../src/search/ranking-tuning.js';
import { seedDocumentFrequencies, termStats } from '../../src/search/term-stats.js';
import { type WorkerBackedSearch, searchInWorker } from '../../src/search/search-in-worker.js';
import type { CodeSearch } from '../../src/search/types.js';
import { warmRankCache } from '../../src/search/warm-rank-cache.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { indexVersion } from '../../src/storage/index-version.js';
import { migrate } from '../../src/storage/migrate.js';
import { rankCacheIndex } from '../../src/storage/rank-cache-index.js';
import { rankCacheSize } from '../../src/storage/rank-chunks.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const WORKER_URL = new URL('../../dist/search/search-worker.js', import.meta.url);
const FILES = 700;
const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'te', 'zo', 'ba', 'ne'];
/** Pronounceable words (no digits, no plural s) so the query parser keeps them whole. */
const WORDS = SYLLABLES.flatMap((a) => SYLLABLES.map((b) => `${a}${b}${a}`));

/** Deterministic pseudo-random numbers (mulberry32), so the corpus is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 700 one-function files (over 500 chunks, so selectTerms' document-frequency cut applies) where
 * word j is in about 35 %/(1 + j/6) of them: a few too common to be kept, many in 64–175 files
 * (warmed), the rest rarer (never warmed), with repeats so term frequencies differ.
 */
function corpus(): Record<string, string> {
  const rnd = random(9);
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    const words = WORDS.filter((_, j) => rnd() < 0.35 / (1 + j / 6));
    const body = words.map((w) => `  ${w}(${rnd() < 0.3 ? `${w}, ${w}` : 'value'});`).join('\n');
    files[`src/${WORDS[i % WORDS.length]}/mod-${i}.ts`] = `export function handle${i}(value: number) {\n${body}\n  return value;\n}\n`;
  }
  return files;
}

const QUERIES = [
  `${WORDS[3]} ${WORDS[5]} ${WORDS[8]} fails`,
  `why does ${WORDS[10]} call ${WORDS[12]} twice`,
  `TypeError: cannot read ${WORDS[4]} of undefined\n    at ${WORDS[6]} (src/${WORDS[7]}/mod-7.ts:3:5)\n    at ${WORDS[20]} (src/${WORDS[9]}/mod-9.ts:2:3)`,
  `where is ${WORDS[40]} handled together with ${WORDS[2]} and ${WORDS[60]}`,
  `${WORDS.slice(1, 30).join(' ')}`,
];

describe('warming the rank cache', () => {
  let tmp: { dir: string; cleanup: () => void };
  let dbFile: string;
  let db: Db;
  let main: CodeSearch;
  let repo: Repository;
  const opened: Db[] = [];
  const connect = () => {
    const c = openDatabase(dbFile, { readonly: true });
    opened.push(c);
    return c;
  };
  const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** As the search worker does it. */
  const warmUp = (c: Db, pauseFn: () => Promise<void> = pause) =>
    warmRankCache(rankCacheIndex(c), { tune: DEFAULT_TUNING, pause: pauseFn, onTerms: (v, terms) => seedDocumentFrequencies(c, v, terms) });
  const hitsOf = (c: Db, query: string) => createCodeSearch(c, silentLogger(), { worker: false }).search(repo, query, { limit: 20, explain: true });

  beforeEach(async () => {
    tmp = makeTempDir('teammate-warm-');
    const root = path.join(tmp.dir, 'repo');
    makeGitRepo(root, corpus());
    dbFile = path.join(tmp.dir, 'index.db');
    db = openDatabase(dbFile);
    migrate(db);
    main = createCodeSearch(db, silentLogger(), { worker: false });
    repo = { id: root, root, label: 'repo' };
    await main.index(repo);
  });
  afterEach(() => {
    for (const c of opened.splice(0)) c.close();
    db.close();
    tmp.cleanup();
  });

  it('ranks exactly as a cold connection, from the entries the warm-up cached', async () => {
    const warm = connect();
    const report = await warmUp(warm);
    expect(report.complete).toBe(true);
    expect(report.version).toBe(indexVersion(db));
    expect(report.terms).toBeGreaterThan(10);
    expect(report.postings).toBeGreaterThan(report.terms * 64 - 1);
    expect(rankCacheSize(warm)?.postings).toBe(report.postings);

    const cold = connect();
    // The vocabulary read on the way seeds the document frequencies, with the values a lookup gives.
    const vocab = db.prepare('SELECT term FROM code_fts_vocab').pluck().all() as string[];
    expect(vocab.length).toBeGreaterThan(WORDS.length);
    for (const t of [...vocab, 'no_such_term_anywhere']) expect(termStats(warm).df(t), t).toBe(termStats(cold).df(t));
    for (const query of QUERIES) {
      const expected = await hitsOf(cold, query);
      expect(expected.length).toBeGreaterThan(0);
      expect(await hitsOf(warm, query), query).toEqual(expected);
    }
    // A question made of warmed words only adds nothing to the cache: its phrases were all hits.
    const before = rankCacheSize(warm);
    expect(await hitsOf(warm, `${WORDS[6]} ${WORDS[7]} ${WORDS[8]} ${WORDS[9]}`)).toEqual(await hitsOf(cold, `${WORDS[6]} ${WORDS[7]} ${WORDS[8]} ${WORDS[9]}`));
    expect(rankCacheSize(warm)).toEqual(before);
  });

  it('uses nothing of the old version when the index changes during the warm-up', async () => {
    const warm = connect();
    const old = indexVersion(db);
    let steps = 0;
    const report = await warmUp(warm, async () => {
      await pause();
      // Some terms in, the index changes: other files use the warmed words now, so every idf,
      // the row count and the average length differ.
      if (++steps !== 8) return;
      expect(rankCacheSize(warm)?.postings).toBeGreaterThan(0);
      for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(repo.root, `src/extra-${i}.ts`), `${WORDS.slice(2, 12).join(' ')}\n`.repeat(1 + (i % 4)));
      gitIn(repo.root, 'add', '-A');
      gitIn(repo.root, 'commit', '-qm', 'more');
      await main.index(repo);
    });
    expect(indexVersion(db)).not.toBe(old);
    expect(report.complete).toBe(false);
    expect(report.version).toBe(old);

    const cold = connect();
    for (const query of QUERIES) expect(await hitsOf(warm, query), query).toEqual(await hitsOf(cold, query));
    expect(rankCacheSize(warm)?.version).toBe(indexVersion(db));
    // Warming the new version afterwards is as exact.
    expect((await warmUp(warm)).complete).toBe(true);
    const colder = connect();
    for (const query of QUERIES) expect(await hitsOf(warm, query), query).toEqual(await hitsOf(colder, query));
  });

  it('is done by the search worker after an index change, with the same hits as in-process search', async () => {
    expect(fs.existsSync(WORKER_URL), 'the build (global setup) compiles the worker').toBe(true);
    const inWorker: WorkerBackedSearch = searchInWorker(main, { dbFile, logger: silentLogger(), workerUrl: WORKER_URL, workers: 1 });
    try {
      const [first] = await inWorker.warmUp();
      expect(first?.complete).toBe(true);
      expect(first?.version).toBe(indexVersion(db));
      expect(first?.postings).toBeGreaterThan(0);
      for (const query of QUERIES) expect(await inWorker.search(repo, query, { limit: 20 })).toEqual(await main.search(repo, query, { limit: 20 }));

      fs.writeFileSync(path.join(repo.root, 'src/late.ts'), `export const late = ${WORDS[3]}(${WORDS[4]});\n`);
      gitIn(repo.root, 'add', '-A');
      gitIn(repo.root, 'commit', '-qm', 'late');
      await inWorker.index(repo);
      const [second] = await inWorker.warmUp();
      expect(second?.complete).toBe(true);
      expect(second?.version).toBe(indexVersion(db));
      expect(second?.version).not.toBe(first?.version);
      for (const query of QUERIES) expect(await inWorker.search(repo, query, { limit: 20 })).toEqual(await main.search(repo, query, { limit: 20 }));
    } finally {
      await inWorker.close();
    }
  });
});
