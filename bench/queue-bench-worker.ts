/**
 * One worker thread of the queue benchmark: its own database connection and one task worker with
 * the no-op executor, until `expected` tasks are done by all threads together (the database says).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../src/storage/database.js';
import { createTaskQueueStore } from '../src/storage/task-queue-store.js';
import { createTaskWorkers } from '../src/tasks/create-task-workers.js';
import { benchSource, noopExecutor, quietLogger } from './queue-bench-parts.js';

const { file, expected, index } = workerData as { file: string; expected: number; index: number };
const db = openDatabase(file);
const store = createTaskQueueStore(db);
let done = 0;
const workers = createTaskWorkers({
  store,
  executors: [noopExecutor],
  source: benchSource,
  concurrency: 1,
  owner: `bench-thread-${index}`,
  logger: quietLogger,
  pollMs: 5,
  onOutcome: () => done++,
});
parentPort!.once('message', () => workers.start());
const check = setInterval(() => {
  const left = db.prepare("SELECT COUNT(*) FROM tasks WHERE status <> 'succeeded'").pluck().get() as number;
  if (left === 0) {
    clearInterval(check);
    void workers.stop({ graceMs: 1000 }).then(() => {
      parentPort!.postMessage({ done, expected });
      db.close();
    });
  }
}, 20);
