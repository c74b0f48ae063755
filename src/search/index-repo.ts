import fs from 'node:fs';
import type { Logger } from '../logging/logger.js';
import { headCommit } from '../repos/git.js';
import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { prepareDefinitionParsers } from './definitions.js';
import { fileRole, skipReasonForPath } from './file-filter.js';
import { listRepoFiles } from './list-files.js';
import type { FilePreparer } from './prepare-pool.js';
import type { PreparedFile } from './prepare-file.js';
import { type FileToRead, type PrepareOutcome, readAndPrepare } from './read-and-prepare.js';
import { repoToken } from './repo-key.js';
import type { IndexProgress, IndexSummary } from './types.js';

/** Files read and prepared per write transaction; the event loop gets a turn between batches. */
const BATCH_FILES = 64;
const BATCH_BYTES = 1024 * 1024;

interface Pending {
  readonly path: string;
  readonly hash: string;
  readonly bytes: number;
  readonly prepared: PreparedFile;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Brings the index of `repo` up to date with its working tree. Only files whose change key (blob
 * sha, content sha1, or mtime:size) differs from the stored one are read and re-indexed; files
 * that vanished or became skippable are removed. Work is split into short transactions with
 * event-loop turns between them so the Slack bot keeps acking while a repository indexes.
 */
export async function indexRepository(
  db: Db,
  logger: Logger,
  repo: Repository,
  opts: {
    onProgress?: (p: IndexProgress) => void;
    batchBytes?: number;
    /**
     * Worker threads that read and prepare files while this thread writes, asked for once the
     * number of files to read is known; inline when absent or when it gives none (few files).
     */
    preparer?: (filesToRead: number) => FilePreparer | undefined;
  } = {},
): Promise<IndexSummary> {
  // Each commit flushes FTS5's pending terms as a new segment that later merges rewrite: fewer,
  // larger transactions index faster. Small ones keep the event loop turning on the main thread;
  // the index worker has no event loop to protect and asks for large ones.
  const batchBytes = opts.batchBytes ?? BATCH_BYTES;
  const batchFiles = Math.max(BATCH_FILES, Math.round((BATCH_FILES * batchBytes) / BATCH_BYTES));
  const started = performance.now();
  const root = await fs.promises.realpath(repo.root);
  opts.onProgress?.({ phase: 'listing', done: 0, total: 0 });
  const [{ files: listed }, commit] = await Promise.all([listRepoFiles(root), headCommit(root)]);

  const stored = new Map<string, { id: number; hash: string }>();
  for (const row of db.prepare('SELECT id, path, hash FROM code_files WHERE repo_id = ?').iterate(repo.id) as Iterable<{ id: number; path: string; hash: string }>) {
    stored.set(row.path, { id: row.id, hash: row.hash });
  }

  const keep = new Set<string>();
  const toRead: FileToRead[] = [];
  let skipped = 0;
  for (const f of listed) {
    if (skipReasonForPath(f.path)) {
      skipped++;
      continue;
    }
    const old = stored.get(f.path);
    if (f.hash && old && old.hash === f.hash) keep.add(f.path);
    else toRead.push(old ? { ...f, storedHash: old.hash } : f);
  }

  // Tree-sitter grammars load asynchronously, once per thread, and only for languages to read
  // (preparing workers load their own).
  const preparer = opts.preparer?.(toRead.length);
  if (!preparer) await prepareDefinitionParsers(toRead.map((f) => f.path));
  const writer = createWriter(db, repo.id);
  let indexed = 0;
  let batch: Pending[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    // IMMEDIATE: a deferred transaction that reads then writes gets SQLITE_BUSY at once when the
    // bot and the CLI index the same database; IMMEDIATE waits for the lock instead.
    writer.writeBatch.immediate(batch);
    indexed += batch.length;
    batch = [];
    pendingBytes = 0;
    await yieldToEventLoop();
  };

  let done = 0;
  for await (const [f, outcome] of preparedFiles(root, toRead, preparer)) {
    if (done++ % 16 === 0) opts.onProgress?.({ phase: 'indexing', done: done - 1, total: toRead.length });
    if (outcome.kind === 'absent' || outcome.kind === 'skipped') {
      skipped++;
      continue;
    }
    keep.add(f.path);
    if (outcome.kind === 'unchanged') continue;
    batch.push({ path: f.path, hash: outcome.hash, bytes: outcome.bytes, prepared: outcome.prepared });
    pendingBytes += outcome.bytes;
    if (batch.length >= batchFiles || pendingBytes >= batchBytes) await flush();
  }
  await flush();
  opts.onProgress?.({ phase: 'finishing', done: toRead.length, total: toRead.length });

  const gone = [...stored.entries()].filter(([p]) => !keep.has(p)).map(([, v]) => v.id);
  for (let i = 0; i < gone.length; i += 500) {
    writer.removeFiles.immediate(gone.slice(i, i + 500));
    await yieldToEventLoop();
  }
  db.prepare(
    `INSERT INTO code_repos (repo_id, root, commit_sha, indexed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (repo_id) DO UPDATE SET root = excluded.root, commit_sha = excluded.commit_sha, indexed_at = excluded.indexed_at`,
  ).run(repo.id, root, commit ?? null, Date.now());

  const totals = db.prepare('SELECT COUNT(*) AS files, COALESCE(SUM(bytes), 0) AS bytes FROM code_files WHERE repo_id = ?').get(repo.id) as {
    files: number;
    bytes: number;
  };
  const summary: IndexSummary = {
    repoId: repo.id,
    commit,
    files: totals.files,
    bytes: totals.bytes,
    indexedFiles: indexed,
    removedFiles: gone.length,
    skippedFiles: skipped,
    seconds: (performance.now() - started) / 1000,
  };
  logger.debug({ summary }, 'code index updated');
  return summary;
}

/** Files per job sent to a preparing worker: large enough that messaging is cheap, small enough to spread. */
const JOB_FILES = 128;

/**
 * Each file to read with what reading it gave, in listing order (so row ids, and hence the index,
 * are the same either way). Inline, one file at a time; with a preparer, jobs of JOB_FILES files
 * run in its workers, a few ahead of the one being written.
 */
async function* preparedFiles(root: string, files: readonly FileToRead[], preparer: FilePreparer | undefined): AsyncGenerator<[FileToRead, PrepareOutcome]> {
  if (!preparer) {
    for (const f of files) yield [f, readAndPrepare(root, f)];
    return;
  }
  const jobs: { files: readonly FileToRead[]; outcomes: Promise<PrepareOutcome[]> }[] = [];
  let next = 0;
  const submit = () => {
    if (next >= files.length) return;
    const slice = files.slice(next, next + JOB_FILES);
    next += slice.length;
    const outcomes = preparer.prepare(root, slice);
    outcomes.catch(() => undefined); // observed when its turn comes; a later job may fail first
    jobs.push({ files: slice, outcomes });
  };
  // Enough queued that a worker finishing a job finds the next one while the writer commits.
  const ahead = Math.max(4, preparer.parallelism * 4);
  while (jobs.length < ahead && next < files.length) submit();
  while (jobs.length > 0) {
    const job = jobs.shift() as (typeof jobs)[number];
    const outcomes = await job.outcomes;
    submit();
    for (const [i, f] of job.files.entries()) yield [f, outcomes[i] as PrepareOutcome];
  }
}

function createWriter(db: Db, repoId: string) {
  const token = repoToken(repoId);
  const findFile = db.prepare('SELECT id FROM code_files WHERE repo_id = ? AND path = ?').pluck();
  const chunkIds = db.prepare('SELECT id FROM code_chunks WHERE file_id = ?').pluck();
  const deleteFts = db.prepare('DELETE FROM code_fts WHERE rowid = ?');
  const deleteFile = db.prepare('DELETE FROM code_files WHERE id = ?');
  const insertFile = db.prepare('INSERT INTO code_files (repo_id, path, hash, bytes, lines, role) VALUES (?, ?, ?, ?, ?, ?)');
  const insertChunk = db.prepare('INSERT INTO code_chunks (file_id, start_line, end_line, text) VALUES (?, ?, ?, ?)');
  const insertFts = db.prepare('INSERT INTO code_fts (rowid, repo, path, defs, body) VALUES (?, ?, ?, ?, ?)');
  const insertSymbol = db.prepare('INSERT INTO code_symbols (file_id, name, kind, start_line, end_line) VALUES (?, ?, ?, ?, ?)');

  const removeFile = (fileId: number) => {
    for (const id of chunkIds.all(fileId) as number[]) deleteFts.run(id);
    deleteFile.run(fileId); // chunks and symbols cascade
  };

  return {
    writeBatch: db.transaction((batch: readonly Pending[]) => {
      for (const f of batch) {
        const old = findFile.get(repoId, f.path) as number | undefined;
        if (old !== undefined) removeFile(old);
        const fileId = Number(insertFile.run(repoId, f.path, f.hash, f.bytes, f.prepared.lines, fileRole(f.path)).lastInsertRowid);
        for (const c of f.prepared.chunks) {
          const chunkId = insertChunk.run(fileId, c.startLine, c.endLine, c.text).lastInsertRowid;
          insertFts.run(chunkId, token, c.pathTokens, c.defTokens, c.bodyTokens);
        }
        for (const d of f.prepared.definitions) insertSymbol.run(fileId, d.name, d.kind, d.startLine, d.endLine);
      }
    }),
    removeFiles: db.transaction((ids: readonly number[]) => {
      for (const id of ids) removeFile(id);
    }),
  };
}
