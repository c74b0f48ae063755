/**
 * A first index prepares files in worker threads (createPreparePool) while one thread writes. That
 * must be invisible in the index: the same files, chunks, definitions and FTS5 tokens, row for row,
 * as preparing inline; a worker that dies or fails must stop the run with an error and lose nothing;
 * and a refresh after a parallel first index must still bring the index up to date.
 * Vitest runs TypeScript sources, where no compiled worker sits next to prepare-pool.ts; these
 * tests start the workers the build (test/harness/global-setup.ts) compiled from the same sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { indexInWorker } from '../../src/search/index-in-worker.js';
import { indexRepository } from '../../src/search/index-repo.js';
import { createPreparePool, type FilePreparer } from '../../src/search/prepare-pool.js';
import type { IndexProgress } from '../../src/search/types.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const DIST = new URL('../../dist/search/', import.meta.url);
const PREPARE_WORKER = new URL('prepare-worker.js', DIST);
const INDEX_WORKER = new URL('index-worker.js', DIST);
const SRC = new URL('../../src/', import.meta.url);
const GH_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

/**
 * This project's own sources (TypeScript with tree-sitter definitions, several hundred files, so
 * a run spans many jobs and write batches), plus files every outcome kind needs: a secret to
 * redact, a minified file to skip, a binary to refuse, a test file on the regex rules.
 */
function corpusFiles(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  const abs = SRC.pathname;
  for (const name of fs.readdirSync(abs, { recursive: true }) as string[]) {
    const file = path.join(abs, name);
    if (fs.statSync(file).isFile()) files[`src/${name}`] = fs.readFileSync(file, 'utf8');
  }
  files['deploy/deploy.py'] = `def deploy_service(name):\n    token = "${GH_TOKEN}"\n    return name\n`;
  files['public/app.min.js'] = 'var a=1;'.repeat(50);
  files['logo.dat'] = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03]);
  files['test/config.test.ts'] = 'describe("loadConfig", () => {\n  it("reads PORT", () => {\n    expect(loadConfig({ PORT: "1" }).port).toBe(1);\n  });\n});\n';
  return files;
}

/** Every row search reads, ids included: files, chunks, definitions, and each FTS5 token with its position. */
function indexRows(db: Db) {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances USING fts5vocab(main, 'code_fts', 'instance')");
  return {
    files: db.prepare('SELECT id, repo_id, path, hash, bytes, lines, role FROM code_files ORDER BY id').all(),
    chunks: db.prepare('SELECT id, file_id, start_line, end_line, text FROM code_chunks ORDER BY id').all(),
    symbols: db.prepare('SELECT id, file_id, name, kind, start_line, end_line FROM code_symbols ORDER BY id').all(),
    tokens: db.prepare('SELECT term, doc, col, offset FROM temp.fts_instances ORDER BY doc, col, offset').raw().all(),
  };
}

/** A worker script that answers its first job like the real one, then fails the way `mode` says. */
function faultyWorker(dir: string, mode: 'exit' | 'error'): URL {
  const file = path.join(dir, `faulty-${mode}-worker.mjs`);
  const prepare = new URL('read-and-prepare.js', DIST).href;
  const definitions = new URL('definitions.js', DIST).href;
  fs.writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
import { readAndPrepare } from ${JSON.stringify(prepare)};
import { prepareDefinitionParsers } from ${JSON.stringify(definitions)};
let jobs = 0;
parentPort.on('message', async (job) => {
  await prepareDefinitionParsers();
  if (jobs++ === 0) return parentPort.postMessage({ id: job.id, outcomes: job.files.map((f) => readAndPrepare(job.root, f)) });
  if (${JSON.stringify(mode)} === 'exit') process.exit(3);
  parentPort.postMessage({ id: job.id, error: 'disk on fire' });
});
`,
  );
  return new URL(`file://${file}`);
}

describe('parallel first index', () => {
  let tmp: { dir: string; cleanup: () => void };
  let root: string;
  let repo: Repository;
  const dbs: Db[] = [];
  const pools: FilePreparer[] = [];
  const newDb = (name: string) => {
    const db = openDatabase(path.join(tmp.dir, `${name}.db`));
    migrate(db);
    dbs.push(db);
    return db;
  };
  const pool = (size: number, url = PREPARE_WORKER) => {
    const p = createPreparePool(size, url);
    pools.push(p);
    return p;
  };

  beforeEach(() => {
    expect(fs.existsSync(PREPARE_WORKER), 'the build (global setup) compiles the workers').toBe(true);
    tmp = makeTempDir('teammate-parallel-index-');
    root = path.join(tmp.dir, 'repo');
    makeGitRepo(root, corpusFiles());
    repo = { id: root, root, label: 'repo' };
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    for (const db of dbs.splice(0)) db.close();
    tmp.cleanup();
  });

  it('stores the same rows as preparing inline', async () => {
    const inline = newDb('inline');
    const parallel = newDb('parallel');
    const a = await indexRepository(inline, silentLogger(), repo);
    const b = await indexRepository(parallel, silentLogger(), repo, { preparer: () => pool(2), batchBytes: 64 * 1024 });
    expect(b.indexedFiles).toBe(a.indexedFiles);
    expect(b.skippedFiles).toBe(a.skippedFiles);
    expect(a.indexedFiles).toBeGreaterThan(200); // two jobs, many write batches
    const want = indexRows(inline);
    expect(want.symbols.length).toBeGreaterThan(1000);
    expect(want.chunks.some((c) => String((c as { text: string }).text).includes(GH_TOKEN))).toBe(false);
    expect(indexRows(parallel)).toEqual(want);
  });

  it('stores the same rows when the index worker runs it with its own preparing workers', async () => {
    const inline = newDb('inline');
    await indexRepository(inline, silentLogger(), repo);
    const viaWorker = newDb('worker');
    const summary = await indexInWorker(viaWorker.name, repo, { logLevel: 'silent', workerUrl: INDEX_WORKER, parallelMinFiles: 1 });
    expect(summary.files).toBe(inline.prepare('SELECT COUNT(*) FROM code_files').pluck().get());
    expect(indexRows(viaWorker)).toEqual(indexRows(inline));
  });

  it('reports progress from the index worker: listing, indexing from 0 to the end, finishing', async () => {
    const db = newDb('progress');
    const seen: IndexProgress[] = [];
    const summary = await indexInWorker(db.name, repo, { logLevel: 'silent', workerUrl: INDEX_WORKER, parallelMinFiles: 1, onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ phase: 'listing', done: 0, total: 0 });
    const indexing = seen.filter((p) => p.phase === 'indexing');
    // Files to read: every listed file but those skipped by path alone.
    const listed = summary.indexedFiles + summary.skippedFiles;
    expect(indexing[0]).toEqual({ phase: 'indexing', done: 0, total: expect.any(Number) });
    expect(indexing[0]?.total).toBeGreaterThanOrEqual(summary.indexedFiles);
    expect(indexing[0]?.total).toBeLessThanOrEqual(listed);
    for (let i = 1; i < indexing.length; i++) expect(indexing[i]?.done).toBeGreaterThanOrEqual(indexing[i - 1]?.done ?? 0);
    expect(seen.at(-1)).toEqual({ phase: 'finishing', done: indexing[0]?.total, total: indexing[0]?.total });
  });

  for (const mode of ['exit', 'error'] as const) {
    it(`a preparing worker that fails (${mode}) stops the run with an error and loses nothing`, async () => {
      const db = newDb('index');
      await indexRepository(db, silentLogger(), repo);
      const before = indexRows(db);
      // A new commit: every file changes, so the failed run has something to lose.
      for (const rel of gitIn(root, 'ls-files', 'src').split('\n').filter(Boolean)) fs.appendFileSync(path.join(root, rel), '\n// edited\n');
      gitIn(root, 'commit', '-qam', 'edit everything');

      await expect(indexRepository(db, silentLogger(), repo, { preparer: () => pool(1, faultyWorker(tmp.dir, mode)) })).rejects.toThrow(
        mode === 'exit' ? /prepare worker exited with code 3/ : /preparing files failed: disk on fire/,
      );
      // Every file is still searchable: no file removed, none left without its chunks.
      const after = indexRows(db);
      expect(after.files.map((f) => (f as { path: string }).path).sort()).toEqual(before.files.map((f) => (f as { path: string }).path).sort());
      const withChunks = db.prepare('SELECT COUNT(DISTINCT file_id) FROM code_chunks').pluck().get();
      expect(withChunks).toBe(after.files.length);

      // The next run completes, and its index is what a fresh index of the new commit holds.
      await indexRepository(db, silentLogger(), repo, { preparer: () => pool(2) });
      const fresh = newDb('fresh');
      await indexRepository(fresh, silentLogger(), repo);
      type FileRow = { id: number; path: string };
      const strip = (rows: ReturnType<typeof indexRows>) => ({
        files: (rows.files as FileRow[]).map(({ id: _id, ...f }) => f).sort((x, y) => x.path.localeCompare(y.path)),
        chunkTexts: rows.chunks.map((c) => (c as { text: string }).text).sort(),
        symbols: rows.symbols.length,
        tokens: rows.tokens.length,
      });
      expect(strip(indexRows(db))).toEqual(strip(indexRows(fresh)));
    }, 60_000);
  }

  it('a refresh after a parallel first index brings the index up to date', async () => {
    const db = newDb('index');
    await indexRepository(db, silentLogger(), repo, { preparer: () => pool(2) });
    fs.appendFileSync(path.join(root, 'src/search/index-repo.ts'), '\nexport function refreshedMarkerFn() {}\n');
    fs.rmSync(path.join(root, 'deploy/deploy.py'));
    gitIn(root, 'commit', '-qam', 'edit one, remove one');

    const summary = await indexRepository(db, silentLogger(), repo); // main-thread refresh: inline
    expect(summary.indexedFiles).toBe(1);
    expect(summary.removedFiles).toBe(1);
    const symbol = db.prepare("SELECT f.path FROM code_symbols s JOIN code_files f ON f.id = s.file_id WHERE s.name = 'refreshedMarkerFn'").pluck().all();
    expect(symbol).toEqual(['src/search/index-repo.ts']);
    expect(db.prepare("SELECT COUNT(*) FROM code_files WHERE path = 'deploy/deploy.py'").pluck().get()).toBe(0);
    const hits = db.prepare("SELECT COUNT(*) FROM code_fts WHERE code_fts MATCH 'defs:refreshedmarkerfn'").pluck().get();
    expect(hits).toBe(1);
  });
});
