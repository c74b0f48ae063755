import { Worker } from 'node:worker_threads';
import type { FileToRead, PrepareOutcome } from './read-and-prepare.js';

export interface PrepareJob {
  readonly id: number;
  readonly root: string;
  readonly files: readonly FileToRead[];
}

export type PrepareReply = { readonly id: number; readonly outcomes: PrepareOutcome[] } | { readonly id: number; readonly error: string };

/** Reads and prepares files somewhere (worker threads); resolves with one outcome per file, in order. */
export interface FilePreparer {
  /** How many jobs to keep in flight so no worker waits for the writer. */
  readonly parallelism: number;
  prepare(root: string, files: readonly FileToRead[]): Promise<PrepareOutcome[]>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./prepare-worker.js', import.meta.url);

/**
 * `size` preparing worker threads, each given the next job when it is idle. A worker that dies or
 * fails a job rejects that job and every later one: the index run stops with the error and writes
 * nothing half-prepared (what it committed before stays, and the next run picks up the rest).
 */
export function createPreparePool(size: number, workerUrl: URL = WORKER_URL): FilePreparer {
  interface Pending {
    readonly job: PrepareJob;
    readonly resolve: (o: PrepareOutcome[]) => void;
    readonly reject: (e: Error) => void;
  }
  const queue: Pending[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  let failure: Error | undefined;
  let nextId = 0;
  let closing = false;

  const fail = (err: Error) => {
    failure ??= err;
    for (const p of busy.values()) p.reject(failure);
    busy.clear();
    for (const p of queue.splice(0)) p.reject(failure);
  };
  const dispatch = () => {
    while (!failure && queue.length > 0 && idle.length > 0) {
      const worker = idle.pop() as Worker;
      const pending = queue.shift() as Pending;
      busy.set(worker, pending);
      worker.postMessage(pending.job);
    }
  };
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(workerUrl);
    worker.on('message', (reply: PrepareReply) => {
      const pending = busy.get(worker);
      if (!pending || pending.job.id !== reply.id) return;
      if ('error' in reply) {
        fail(new Error(`preparing files failed: ${reply.error}`)); // rejects this job too
        return;
      }
      busy.delete(worker);
      pending.resolve(reply.outcomes);
      idle.push(worker);
      dispatch();
    });
    worker.on('error', (err) => fail(new Error(`prepare worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`prepare worker exited with code ${code}`));
    });
    idle.push(worker);
    return worker;
  });

  return {
    parallelism: workers.length,
    prepare(root, files) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ job: { id: nextId++, root, files }, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closing = true;
      fail(new Error('prepare pool closed')); // settles any job still waiting
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
