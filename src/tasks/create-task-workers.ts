/**
 * The workers: `concurrency` loops in this process, each claiming one task at a time from the
 * shared database (the bot runs them by default; `teammate worker` runs them alone; any number of
 * processes may share one database). stop() stops claiming, lets running tasks finish for up to
 * `graceMs`, then aborts the rest and releases their leases so another worker takes them at once.
 */
import type { Executor, TaskLogger } from '../executors/types.js';
import { describeError } from './describe-error.js';
import { runClaimedTask, type StopReason, type TaskOutcome } from './run-task.js';
import type { TaskClock, TaskQueueStore, TaskSource, TaskStatusReporter } from './types.js';

export interface TaskWorkersOptions {
  readonly store: TaskQueueStore;
  readonly executors: ReadonlyMap<string, Executor> | readonly Executor[];
  readonly source: TaskSource;
  readonly reporter?: TaskStatusReporter;
  readonly concurrency: number;
  /** Unique per process: `host:pid:random`. */
  readonly owner: string;
  readonly logger: TaskLogger;
  readonly clock?: TaskClock;
  /** A lease not renewed for this long is taken over by another worker (default 60 s). */
  readonly leaseMs?: number;
  /** How often an idle worker looks for due tasks (default 500 ms; wake() looks at once). */
  readonly pollMs?: number;
  /** How long stop() lets running tasks finish (default 30 s). */
  readonly graceMs?: number;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly statusEveryMs?: number;
  /** Called after each task ends (tests and the benchmark count outcomes). */
  readonly onOutcome?: (taskId: number, outcome: TaskOutcome) => void;
}

export interface TaskWorkers {
  start(): void;
  /** Looks for work now (after an approval in this process). */
  wake(): void;
  /** Aborts a task running in this process (Cancel); other processes notice at their next heartbeat. */
  abortLocal(taskId: number): boolean;
  stop(opts?: { readonly graceMs?: number }): Promise<void>;
  /** Tasks running in this process now. */
  running(): number;
}

const systemClock: TaskClock = { now: () => Date.now() };

export function createTaskWorkers(o: TaskWorkersOptions): TaskWorkers {
  const clock = o.clock ?? systemClock;
  const leaseMs = o.leaseMs ?? 60_000;
  const pollMs = o.pollMs ?? 500;
  const executors = o.executors instanceof Map ? o.executors : new Map((o.executors as readonly Executor[]).map((e) => [e.name, e]));
  const shutdown = new AbortController();
  const runningTasks = new Map<number, AbortController>();
  const loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  let started = false;
  let stopping = false;

  const idle = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      wakers.add(done);
    });

  const deps = {
    store: o.store,
    executors,
    source: o.source,
    ...(o.reporter ? { reporter: o.reporter } : {}),
    owner: o.owner,
    logger: o.logger,
    clock,
    leaseMs,
    backoff: o.backoff ?? { baseMs: 30_000, maxMs: 30 * 60_000 },
    statusEveryMs: o.statusEveryMs ?? 5_000,
  };

  async function loop(): Promise<void> {
    while (!stopping) {
      let task;
      try {
        task = o.store.claim(o.owner, leaseMs, clock.now());
      } catch (err) {
        // SQLITE_BUSY past the busy timeout, a closed database during shutdown: wait, look again.
        if (!stopping) o.logger.warn({ err: describeError(err) }, 'could not claim a task; trying again');
        await idle();
        continue;
      }
      if (!task) {
        await idle();
        continue;
      }
      const controller = new AbortController();
      const onShutdown = () => controller.abort(shutdown.signal.reason);
      shutdown.signal.addEventListener('abort', onShutdown, { once: true });
      runningTasks.set(task.id, controller);
      let outcome: TaskOutcome = 'abandoned';
      try {
        outcome = await runClaimedTask(task, deps, controller.signal);
      } catch (err) {
        o.logger.error({ task: task.id, err: describeError(err) }, 'could not record the end of a task; its lease will expire and it runs again');
      } finally {
        runningTasks.delete(task.id);
        shutdown.signal.removeEventListener('abort', onShutdown);
      }
      o.onOutcome?.(task.id, outcome);
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      for (let i = 0; i < o.concurrency; i++) loops.push(loop());
    },
    wake() {
      for (const w of [...wakers]) w();
    },
    abortLocal(taskId) {
      const c = runningTasks.get(taskId);
      if (!c) return false;
      c.abort('cancelled');
      return true;
    },
    running: () => runningTasks.size,
    async stop(opts = {}) {
      if (stopping) return Promise.all(loops).then(() => undefined);
      stopping = true;
      for (const w of [...wakers]) w();
      const graceMs = opts.graceMs ?? o.graceMs ?? 30_000;
      const all = Promise.all(loops);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        o.logger.warn({ running: runningTasks.size, graceMs }, 'tasks still running after the grace period; stopping them and releasing their leases');
        shutdown.abort('shutdown' satisfies StopReason);
        // Executors get a moment to notice the abort; the leases are released either way.
        await Promise.race([all, new Promise((r) => setTimeout(r, 1_000).unref?.())]);
      }
      try {
        const released = o.store.release(o.owner, clock.now());
        if (released > 0) o.logger.info({ released }, 'released task leases for another worker');
      } catch (err) {
        o.logger.warn({ err: describeError(err) }, 'could not release task leases; they expire on their own');
      }
    },
  };
}
