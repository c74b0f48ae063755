/**
 * Search in a worker thread must be invisible to callers: same hits as in-process search, an index
 * refreshed on the main connection seen at once, and a dead worker costing speed, not answers.
 * Vitest runs TypeScript sources, where no compiled worker sits next to search-in-worker.ts; these
 * tests start the worker the build (test/harness/global-setup.ts) compiled from the same sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { type WorkerBackedSearch, searchInWorker } from '../../src/search/search-in-worker.js';
import type { CodeSearch } from '../../src/search/types.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const WORKER_URL = new URL('../../dist/search/search-worker.js', import.meta.url);
const SRC = new URL('../../src/', import.meta.url);

/** A realistic corpus: this project's own search, Q&A and Slack code, as a git repository. */
function corpusFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dir of ['search', 'qa', 'slack']) {
    const abs = path.join(SRC.pathname, dir);
    for (const name of fs.readdirSync(abs, { recursive: true }) as string[]) {
      const file = path.join(abs, name);
      if (fs.statSync(file).isFile()) files[`src/${dir}/${name}`] = fs.readFileSync(file, 'utf8');
    }
  }
  return files;
}

const QUERIES = [
  'where is the configuration loaded from the environment?',
  'how are Slack request signatures and timestamps verified',
  'what happens when Slack retries a delivery of the same event?',
  'bm25 ranking of chunks',
  "TypeError: Cannot read properties of undefined (reading 'ts')\n    at handleQuestion (src/slack/handle-question.ts:120:15)",
  'src/search/snippet.ts',
  'createProgressReporter',
  'rate limited Retry-After',
  'zzzz-no-such-word-anywhere',
  '',
];

/** The in-process search must never run: proves the worker answered. */
function searchMustNotRunHere(base: CodeSearch): CodeSearch {
  return {
    ...base,
    search: () => Promise.reject(new Error('searched on the main thread')),
  };
}

describe('search in a worker thread', () => {
  let tmp: { dir: string; cleanup: () => void };
  let db: Db;
  let dbFile: string;
  let local: CodeSearch;
  let repo: Repository;
  const opened: WorkerBackedSearch[] = [];
  const open = (base: CodeSearch, opts: { workerUrl?: URL; dbFile?: string } = {}) => {
    const s = searchInWorker(base, { dbFile: opts.dbFile ?? dbFile, logger: silentLogger(), workerUrl: opts.workerUrl ?? WORKER_URL, workers: 2 });
    opened.push(s);
    return s;
  };

  beforeEach(async () => {
    expect(fs.existsSync(WORKER_URL), 'the build (global setup) compiles the worker').toBe(true);
    tmp = makeTempDir('teammate-search-worker-');
    const root = path.join(tmp.dir, 'repo');
    makeGitRepo(root, corpusFiles());
    dbFile = path.join(tmp.dir, 'index.db');
    db = openDatabase(dbFile);
    migrate(db);
    local = createCodeSearch(db, silentLogger(), { worker: false });
    repo = { id: root, root, label: 'repo' };
    await local.index(repo);
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    db.close();
    tmp.cleanup();
  });

  it('returns exactly the hits in-process search returns', async () => {
    const inWorker = open(searchMustNotRunHere(local));
    expect(inWorker.inWorker).toBe(true);
    for (const query of QUERIES) {
      for (const opts of [{}, { limit: 3 }, { limit: 30, explain: true }]) {
        const expected = await local.search(repo, query, opts);
        expect(await inWorker.search(repo, query, opts), `${JSON.stringify(query)} ${JSON.stringify(opts)}`).toEqual(expected);
      }
    }
    expect((await local.search(repo, QUERIES[0]!)).length).toBeGreaterThan(0);
  });

  it('answers many searches at once, each with its own hits', async () => {
    const inWorker = open(searchMustNotRunHere(local));
    const queries = Array.from({ length: 40 }, (_, i) => QUERIES[i % QUERIES.length]!);
    const [expected, got] = await Promise.all([
      Promise.all(queries.map((q) => local.search(repo, q))),
      Promise.all(queries.map((q) => inWorker.search(repo, q))),
    ]);
    expect(got).toEqual(expected);
  });

  it('sees what a refresh through it indexed, added and removed', async () => {
    const inWorker = open(local);
    expect(await inWorker.search(repo, 'frobnicateWidgets')).toEqual([]);
    fs.writeFileSync(path.join(repo.root, 'src', 'widgets.ts'), 'export function frobnicateWidgets(count: number) {\n  return count * 2;\n}\n');
    gitIn(repo.root, 'add', '-A');
    gitIn(repo.root, 'commit', '-qm', 'widgets');
    const summary = await inWorker.index(repo);
    expect(summary.indexedFiles).toBe(1);
    expect(inWorker.indexedCommit(repo)).toBe(gitIn(repo.root, 'rev-parse', 'HEAD').trim());
    const hits = await inWorker.search(repo, 'frobnicateWidgets');
    expect(hits[0]?.path).toBe('src/widgets.ts');
    expect(hits).toEqual(await local.search(repo, 'frobnicateWidgets'));

    gitIn(repo.root, 'rm', '-q', 'src/widgets.ts');
    gitIn(repo.root, 'commit', '-qm', 'no widgets');
    await inWorker.index(repo);
    expect(await inWorker.search(repo, 'frobnicateWidgets')).toEqual([]);
  });

  it('searches in-process for an in-memory database, which no second connection can open', async () => {
    const memory = openDatabase(':memory:');
    migrate(memory);
    const memSearch = createCodeSearch(memory, silentLogger(), { worker: false });
    await memSearch.index(repo);
    const wrapped = open(memSearch, { dbFile: ':memory:' });
    expect(wrapped.inWorker).toBe(false);
    expect(await wrapped.search(repo, QUERIES[0]!)).toEqual(await local.search(repo, QUERIES[0]!));
    memory.close();
  });

  it('hands the searches of a worker that dies back to in-process search', async () => {
    // A worker script that exits as soon as it is asked anything.
    const dying = path.join(tmp.dir, 'dying-worker.mjs');
    fs.writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    const wrapped = open(local, { workerUrl: new URL(`file://${dying}`) });
    expect(wrapped.inWorker).toBe(true);
    const queries = QUERIES.slice(0, 4);
    const got = await Promise.all(queries.map((q) => wrapped.search(repo, q)));
    expect(got).toEqual(await Promise.all(queries.map((q) => local.search(repo, q))));
    // Later searches keep working while the worker is down.
    expect(await wrapped.search(repo, 'createProgressReporter')).toEqual(await local.search(repo, 'createProgressReporter'));
  });

  it('searches in-process when the worker cannot open the index', async () => {
    const notADb = path.join(tmp.dir, 'not-a-db.db');
    fs.writeFileSync(notADb, 'plain text, not SQLite '.repeat(100));
    const wrapped = open(local, { dbFile: notADb });
    expect(await wrapped.search(repo, 'load configuration')).toEqual(await local.search(repo, 'load configuration'));
  });

  it("passes a search's error through instead of an empty result", async () => {
    const inWorker = open(searchMustNotRunHere(local));
    expect((await inWorker.search(repo, 'load configuration')).length).toBeGreaterThan(0);
    // The term statistics table gone: the worker's next search fails, and the caller hears why.
    db.exec('DROP TABLE code_fts_vocab');
    await expect(inWorker.search(repo, 'load configuration again')).rejects.toThrow(/no such table/);
  });
});
