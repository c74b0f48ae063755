/**
 * Queue throughput: tasks claimed + completed per second with the no-op executor, by 1 worker and
 * by 4 (in one process on one connection, and in 4 threads with a connection each, like 4
 * `teammate worker` processes on one database file). Anchors beside our figures: better-sqlite3
 * raw single-row inserts per second on the same disk in the same run (the ceiling of anything
 * that commits per task), and graphile-worker's published ~15k jobs/s on Postgres.
 * Goal: ≥ 2,000 tasks/s with 4 workers.
 *
 *   BENCH_QUEUE_TASKS  tasks per row (default 5000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openDatabase, type Db } from '../src/storage/database.js';
import { migrate, readMigrations } from '../src/storage/migrate.js';
import { createTaskQueueStore } from '../src/storage/task-queue-store.js';
import { createTaskWorkers } from '../src/tasks/create-task-workers.js';
import { benchSource, noopExecutor, quietLogger } from './queue-bench-parts.js';

const MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url));

function freshDb(dir: string, name: string): { db: Db; file: string } {
  const file = path.join(dir, `${name}.db`);
  const db = openDatabase(file);
  migrate(db, readMigrations(MIGRATIONS));
  return { db, file };
}

/** `n` approved proposals with their queued tasks, inserted in one transaction (not measured). */
function seed(db: Db, n: number): void {
  const now = Date.now();
  const proposal = db.prepare(
    `INSERT INTO proposals (repo_id, scanner, rule, fingerprint, title, finding, severity, confidence, state, created_at, updated_at, last_seen_at, proposed_at)
     VALUES ('bench', 'manual', 'manual.bench', ?, 'bench', '{}', 'info', 1, 'approved', ?, ?, ?, ?)`,
  );
  const task = db.prepare(`INSERT INTO tasks (proposal_id, repo_id, executor, run_at, created_at, updated_at) VALUES (?, 'bench', 'noop', ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = proposal.run(`fp-${i}`, now, now, now, now).lastInsertRowid;
      task.run(id, now, now, now);
    }
  })();
}

function rawInsertsPerSecond(dir: string, n: number): number {
  const { db } = freshDb(dir, 'raw');
  db.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO raw (v) VALUES (?)');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) insert.run(`row ${i}`);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return n / s;
}

async function inProcess(dir: string, n: number, concurrency: number): Promise<number> {
  const { db } = freshDb(dir, `inproc-${concurrency}`);
  seed(db, n);
  const store = createTaskQueueStore(db);
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  const workers = createTaskWorkers({
    store,
    executors: [noopExecutor],
    source: benchSource,
    concurrency,
    owner: 'bench',
    logger: quietLogger,
    pollMs: 5,
    onOutcome: () => {
      if (++done === n) finish();
    },
  });
  const t0 = process.hrtime.bigint();
  workers.start();
  await all;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await workers.stop({ graceMs: 1000 });
  check(db, n);
  db.close();
  return n / s;
}

async function inThreads(dir: string, n: number, threads: number): Promise<number> {
  const { db, file } = freshDb(dir, `threads-${threads}`);
  seed(db, n);
  const workers = Array.from({ length: threads }, (_, index) => new Worker(new URL('./queue-bench-worker.js', import.meta.url), { workerData: { file, expected: n, index } }));
  const finished = workers.map((w) => new Promise<{ done: number }>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
  // Let every thread load and open its connection before the clock starts.
  await new Promise((r) => setTimeout(r, 500));
  const t0 = process.hrtime.bigint();
  for (const w of workers) w.postMessage('go');
  const counts = await Promise.all(finished);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const total = counts.reduce((a, c) => a + c.done, 0);
  if (total !== n) throw new Error(`threads completed ${total} tasks, expected ${n}`);
  check(db, n);
  db.close();
  return n / s;
}

/** Every task ran exactly once: one claim each, all succeeded. */
function check(db: Db, n: number): void {
  const ok = db.prepare("SELECT COUNT(*) FROM tasks WHERE status = 'succeeded' AND attempts = 1").pluck().get() as number;
  const claims = db.prepare("SELECT COUNT(*) FROM task_events WHERE kind = 'claimed'").pluck().get() as number;
  if (ok !== n || claims !== n) throw new Error(`queue bench: ${ok} of ${n} tasks succeeded once, ${claims} claims`);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export async function runQueueBench(): Promise<void> {
  const n = Number(process.env.BENCH_QUEUE_TASKS ?? 5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-queue-bench-'));
  try {
    const raw = rawInsertsPerSecond(dir, n);
    const one = await inProcess(dir, n, 1);
    const four = await inProcess(dir, n, 4);
    const threads = await inThreads(dir, n, 4);
    const f = (v: number) => Math.round(v).toLocaleString('en-US');
    process.stdout.write(
      `Task queue: ${n} tasks per row, no-op executor (claim + lease + result + 2 events, 2 commits per task), SQLite WAL on ${os.tmpdir()}\n` +
        table([
          ['what', 'tasks/s', 'anchor'],
          ['1 worker', f(one), `better-sqlite3 raw inserts/s here: ${f(raw)}`],
          ['4 workers, one process', f(four), 'graphile-worker ~15,000 jobs/s (Postgres)'],
          ['4 workers, 4 threads / connections', f(threads), `goal ≥ 2,000 tasks/s with 4 workers${threads >= 2000 ? ' — met' : ' — NOT met'}`],
        ]) +
        '\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: node dist-bench/bench/queue-bench.js
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await runQueueBench();
