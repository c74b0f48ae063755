import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';
import { headCommit } from '../repos/git.js';
import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { prepareDefinitionParsers } from './definitions.js';
import { fileRole, looksBinary, MAX_FILE_BYTES, skipReasonForContent, skipReasonForPath } from './file-filter.js';
import { listRepoFiles } from './list-files.js';
import { type PreparedFile, prepareFile } from './prepare-file.js';
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
  opts: { onProgress?: (p: IndexProgress) => void; batchBytes?: number } = {},
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
  const toRead: { path: string; hash?: string }[] = [];
  let skipped = 0;
  for (const f of listed) {
    if (skipReasonForPath(f.path)) {
      skipped++;
      continue;
    }
    const old = stored.get(f.path);
    if (f.hash && old && old.hash === f.hash) keep.add(f.path);
    else toRead.push(f);
  }

  // Tree-sitter grammars load asynchronously, once per thread, and only for languages to read.
  await prepareDefinitionParsers(toRead.map((f) => f.path));
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

  for (const [i, f] of toRead.entries()) {
    if (i % 16 === 0) opts.onProgress?.({ phase: 'indexing', done: i, total: toRead.length });
    const read = readCandidate(root, f.path);
    if (!read) {
      skipped++;
      continue;
    }
    const hash = f.hash ?? `sha1:${createHash('sha1').update(read).digest('hex')}`;
    const old = stored.get(f.path);
    keep.add(f.path);
    if (old && old.hash === hash) continue;
    const text = read.toString('utf8');
    const reason = skipReasonForContent(text);
    if (reason) {
      keep.delete(f.path);
      skipped++;
      continue;
    }
    batch.push({ path: f.path, hash, bytes: read.length, prepared: prepareFile(f.path, text) });
    pendingBytes += read.length;
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

/**
 * The file's bytes if it is a regular file inside the root, at most MAX_FILE_BYTES and not binary.
 * lstat refuses symlinks, so nothing outside the repository is ever read through one.
 */
function readCandidate(root: string, relPath: string): Buffer | undefined {
  const abs = path.resolve(root, relPath);
  if (!abs.startsWith(root + path.sep)) return undefined;
  try {
    // Synchronous on purpose: for small files the promise round trips cost more than the reads,
    // and the batch loop yields to the event loop every few dozen files anyway.
    const st = fs.lstatSync(abs);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const buf = fs.readFileSync(abs);
    if (buf.length > MAX_FILE_BYTES || looksBinary(buf)) return undefined;
    return buf;
  } catch {
    return undefined; // vanished or unreadable since listing: treat as absent
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
