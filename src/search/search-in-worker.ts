import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logging/logger.js';
import type { SearchRequest, SearchWorkerData, SearchWorkerReply, SearchWorkerRequest } from './search-worker-protocol.js';
import type { CodeSearch, SearchHit } from './types.js';
import type { WarmUpReport } from './warm-rank-cache.js';

const DEFAULT_WORKER_URL = new URL('./search-worker.js', import.meta.url);
/** After a worker dies, searches run in-process this long before a new worker is tried. */
const RESTART_AFTER_MS = 30_000;

export interface SearchInWorkerOptions {
  /** The index's database file; undefined or `:memory:` (no second connection can see it): in-process. */
  readonly dbFile: string | undefined;
  readonly logger: Logger;
  /** Must match the in-process search's default so both return the same hits. */
  readonly defaultLimit?: number;
  /** Worker threads; default: one per spare core, 1–4. Searches go to the least busy. */
  readonly workers?: number;
  /** The compiled worker script (tests run from TypeScript sources and point at the build). */
  readonly workerUrl?: URL;
}

export type WorkerBackedSearch = CodeSearch & {
  /** Whether search() is served by worker threads (false: the in-process fallback). */
  readonly inWorker: boolean;
  /**
   * Starts the workers if none run yet, has each warm its rank cache for the index's current
   * version (warm-rank-cache.ts; they also do so by themselves after index() and when they see the
   * index change), and resolves with each worker's report once done (a worker that died: none).
   */
  warmUp(): Promise<WarmUpReport[]>;
  /** Stops the workers (they never keep the process alive, so only tests and shutdown need this). */
  close(): Promise<void>;
};

interface Pending {
  readonly req: SearchRequest;
  resolve(hits: SearchHit[]): void;
  reject(err: Error): void;
}

interface SearchThread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** warmUp() calls waiting for this worker's next finished warm-up. */
  readonly warmWaiters: ((report: WarmUpReport | undefined) => void)[];
}

/**
 * `base` with search() moved to worker threads, each with its own read-only connection to the
 * same database file. better-sqlite3 is synchronous: FTS5 ranking, term statistics and snippets
 * ran on the event loop that acks Slack deliveries and, under a burst of questions, held acks
 * back by seconds. Everything else (cheap indexed lookups, and index(), which has its own worker)
 * stays with `base`. A worker that dies hands its queries back to in-process search, and a new
 * one is started later: a broken worker makes search slower, never absent.
 */
export function searchInWorker(base: CodeSearch, opts: SearchInWorkerOptions): WorkerBackedSearch {
  const workerUrl = opts.workerUrl ?? DEFAULT_WORKER_URL;
  const usable = opts.dbFile !== undefined && opts.dbFile !== ':memory:' && opts.dbFile !== '' && fs.existsSync(fileURLToPath(workerUrl));
  if (!usable) return { ...base, inWorker: false, warmUp: async () => [], close: async () => {} };

  const size = Math.max(1, Math.min(opts.workers ?? os.availableParallelism() - 1, 4));
  const data: SearchWorkerData = { dbFile: opts.dbFile!, logLevel: opts.logger.level, ...(opts.defaultLimit !== undefined ? { defaultLimit: opts.defaultLimit } : {}) };
  const threads: (SearchThread | undefined)[] = Array.from({ length: size }, () => undefined);
  let nextId = 0;
  let brokenUntil = 0;
  let closed = false;

  const inProcess = (req: SearchRequest) => base.search(req.repo, req.query, req.opts);

  // A worker with nothing to do must not keep a CLI command's process alive.
  // Nor does one warming its cache, unless a caller awaits that warm-up.
  const refWhileBusy = (t: SearchThread) => (t.pending.size > 0 || t.warmWaiters.length > 0 ? t.worker.ref() : t.worker.unref());
  const post = (t: SearchThread, msg: SearchWorkerRequest) => t.worker.postMessage(msg);

  const start = (slot: number): SearchThread => {
    const thread: SearchThread = { worker: new Worker(workerUrl, { workerData: data }), pending: new Map(), warmWaiters: [] };
    const fail = (why: string, err?: unknown) => {
      if (threads[slot] !== thread) return;
      threads[slot] = undefined;
      if (closed) return;
      brokenUntil = Date.now() + RESTART_AFTER_MS;
      opts.logger.warn({ err, why, pending: thread.pending.size }, 'search worker stopped; searching in-process for now');
      for (const p of thread.pending.values()) inProcess(p.req).then(p.resolve, p.reject);
      thread.pending.clear();
      for (const w of thread.warmWaiters.splice(0)) w(undefined);
    };
    thread.worker.on('message', (res: SearchWorkerReply) => {
      if ('warmed' in res) {
        // A run the index outdated is followed by another: waiters want a finished one.
        if (!res.warmed.complete && res.warmed.error === undefined) return;
        for (const w of thread.warmWaiters.splice(0)) w(res.warmed);
        refWhileBusy(thread);
        return;
      }
      const p = thread.pending.get(res.id);
      if (!p) return;
      thread.pending.delete(res.id);
      refWhileBusy(thread);
      if ('hits' in res) p.resolve(res.hits);
      else p.reject(new Error(res.error));
    });
    thread.worker.on('error', (err) => fail('error', err));
    thread.worker.on('exit', (code) => fail(`exit code ${code}`));
    threads[slot] = thread;
    refWhileBusy(thread);
    return thread;
  };

  const leastBusy = (): SearchThread => {
    let best: SearchThread | undefined;
    for (let slot = 0; slot < threads.length; slot++) {
      const t = threads[slot] ?? start(slot);
      if (!best || t.pending.size < best.pending.size) best = t;
    }
    return best!;
  };

  return {
    ...base,
    inWorker: true,
    search(repo, query, searchOpts = {}) {
      const req: SearchRequest = { id: nextId++, repo: { ...repo }, query, opts: { ...searchOpts } };
      if (closed || Date.now() < brokenUntil) return inProcess(req);
      const thread = leastBusy();
      return new Promise<SearchHit[]>((resolve, reject) => {
        thread.pending.set(req.id, { req, resolve, reject });
        refWhileBusy(thread);
        post(thread, req);
      });
    },
    async index(repo, indexOpts) {
      const summary = await base.index(repo, indexOpts);
      // The index version changed: running workers warm their caches while no question waits.
      for (const t of threads) if (t) post(t, { warm: true });
      return summary;
    },
    async warmUp() {
      if (closed || Date.now() < brokenUntil) return [];
      const running = threads.map((t, slot) => t ?? start(slot));
      const reports = await Promise.all(
        running.map(
          (t) =>
            new Promise<WarmUpReport | undefined>((resolve) => {
              t.warmWaiters.push(resolve);
              refWhileBusy(t);
              post(t, { warm: true });
            }),
        ),
      );
      return reports.filter((r): r is WarmUpReport => r !== undefined);
    },
    async close() {
      closed = true;
      const running = threads.filter((t): t is SearchThread => t !== undefined);
      threads.fill(undefined);
      await Promise.all(
        running.map(async (t) => {
          await t.worker.terminate();
          for (const p of t.pending.values()) p.reject(new Error('search closed'));
          for (const w of t.warmWaiters.splice(0)) w(undefined);
        }),
      );
    },
  };
}
