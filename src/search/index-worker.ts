/**
 * Worker-thread entry: indexes one repository over its own SQLite connection so the parsing,
 * tokenizing and FTS writes never hold the main thread's event loop (Slack acks must go out
 * within 3 s while a large repository indexes). Started by indexInWorker().
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import { openDatabase } from '../storage/database.js';
import { indexRepository } from './index-repo.js';
import { createPreparePool, type FilePreparer } from './prepare-pool.js';
import type { IndexProgress, IndexSummary } from './types.js';

interface Job {
  readonly dbFile: string;
  readonly repo: Repository;
  readonly logLevel: string;
  readonly parallelMinFiles?: number;
}

const WORKER_BATCH_BYTES = 8 * 1024 * 1024;

const job = workerData as Job;
const port = parentPort;
if (!port) throw new Error('index-worker must run in a worker thread');

/**
 * Preparing (read, redact, definitions, chunks, tokens) is about 70 % of a first index and parallel
 * per file; this thread lists and writes (the rest: SQLite and FTS5 are single-writer). One
 * preparer per core: while this thread waits on git or commits, the cores are the preparers'.
 */
const PREPARERS = Math.max(1, Math.min(4, os.availableParallelism()));
/**
 * Below this many files the preparers' start-up (~0.2 s: modules and grammars per thread) costs
 * more than they save; the quick start's first index of a small repository stays inline.
 */
const PARALLEL_MIN_FILES = 2000;

/**
 * Progress crosses to the main thread at most this often while indexing (phase changes always):
 * one message per 16 files was ~1,700 messages for babel, a sixth of a core-second of this thread
 * and as many wake-ups of the thread that acks Slack, for a progress bar redrawn 10 times a second.
 */
const PROGRESS_MS = 100;

const db = openDatabase(job.dbFile);
let lastProgress = -Infinity;
const postProgress = (p: IndexProgress) => {
  const now = performance.now();
  if (p.phase === 'indexing' && p.done > 0 && now - lastProgress < PROGRESS_MS) return;
  lastProgress = now;
  port.postMessage({ type: 'progress', progress: p });
};
let pool: FilePreparer | undefined;
let reply: { type: 'done'; summary: IndexSummary } | { type: 'error'; message: string };
try {
  const summary = await indexRepository(db, createLogger({ level: job.logLevel }), job.repo, {
    onProgress: postProgress,
    // No event loop to keep free here: large transactions (fewer FTS5 segments to merge).
    batchBytes: WORKER_BATCH_BYTES,
    preparer: (files) => (files >= (job.parallelMinFiles ?? PARALLEL_MIN_FILES) ? (pool = createPreparePool(PREPARERS)) : undefined),
  });
  reply = { type: 'done', summary };
} catch (err) {
  reply = { type: 'error', message: (err as Error).message };
}
// Workers and connection go before the caller hears back, so what it measures or starts next
// (memory, the next index) does not overlap them.
await pool?.close();
db.close();
port.postMessage(reply);
