import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Repository } from '../repos/repository.js';
import type { IndexProgress, IndexSummary } from './types.js';

const WORKER_URL = new URL('./index-worker.js', import.meta.url);

/** Whether the compiled worker script is there (it is not when running from TypeScript sources). */
export function workerAvailable(): boolean {
  return fs.existsSync(fileURLToPath(WORKER_URL));
}

/** Runs indexRepository in a worker thread against the same database file. */
export function indexInWorker(
  dbFile: string,
  repo: Repository,
  opts: {
    logLevel: string;
    onProgress?: (p: IndexProgress) => void;
    /** Tests start the compiled worker. */
    workerUrl?: URL;
    /** Fewest files to read for which preparing workers start (tests lower it for a small fixture). */
    parallelMinFiles?: number;
  },
): Promise<IndexSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(opts.workerUrl ?? WORKER_URL, { workerData: { dbFile, repo: { ...repo }, logLevel: opts.logLevel, parallelMinFiles: opts.parallelMinFiles } });
    let settled = false;
    worker.on('message', (m: { type: string; progress?: IndexProgress; summary?: IndexSummary; message?: string }) => {
      if (m.type === 'progress' && m.progress) opts.onProgress?.(m.progress);
      else if (m.type === 'done' && m.summary) {
        settled = true;
        resolve(m.summary);
      } else if (m.type === 'error') {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`index worker exited with code ${code}`));
    });
  });
}
