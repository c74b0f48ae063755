/**
 * The queue's rules with executors written for the test (the Executor interface, no module mocks)
 * on a real SQLite file: cancel aborts a running executor, a missing executor fails at once,
 * transient failures back off on the row until the last attempt, stop() lets work finish within
 * the grace period and releases the rest, an expired lease is claimed again, Retry re-queues.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutorError, type Executor, type ExecutorResult } from '../../src/executors/types.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { createTaskQueueStore } from '../../src/storage/task-queue-store.js';
import { changeTask } from '../../src/tasks/change-task.js';
import { createTaskWorkers, type TaskWorkers } from '../../src/tasks/create-task-workers.js';
import type { TaskSource } from '../../src/tasks/types.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { cleanupTempDirs, finding, tempDir, waitUntil } from './fixtures.js';

const running: TaskWorkers[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop({ graceMs: 200 });
  for (const c of closers.splice(0)) c();
  cleanupTempDirs();
});

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const source: TaskSource = {
  load: async (t) => ({
    proposal: { id: t.proposalId, title: `task ${t.id}`, why: '', plan: 'p', acceptance: '', suggestedTask: 'p', evidence: [], scanner: 'manual', rule: 'manual.cli', severity: 'low', repoId: t.repoId },
    repository: { id: t.repoId, root: '/nonexistent', label: 'r' },
  }),
};
const ok: ExecutorResult = { links: [], summary: 'done' };

function setup(executor: Executor | undefined, opts: { maxAttempts?: number; tasks?: number; executorName?: string } = {}) {
  const db = openDatabase(`${tempDir()}/q.db`);
  migrate(db);
  closers.push(() => db.close());
  const proposals = createProposalStore(db);
  const store = createTaskQueueStore(db);
  const ids: number[] = [];
  for (let n = 1; n <= (opts.tasks ?? 1); n++) {
    const { proposal } = proposals.upsertFromFinding(finding(n), { repoId: 'r', now: Date.now() });
    const d = proposals.decide(proposal.id, 'pending', { toState: 'approved', action: 'approve', userId: 'U', surface: 'cli', task: { executor: opts.executorName ?? 'test', maxAttempts: opts.maxAttempts ?? 3 }, now: Date.now() });
    ids.push(d.won ? d.taskId! : 0);
  }
  const start = (o: { leaseMs?: number; owner?: string; graceMs?: number } = {}) => {
    const w = createTaskWorkers({ store, executors: executor ? [executor] : [], source, concurrency: 1, owner: o.owner ?? 'w1', logger: quiet, leaseMs: o.leaseMs ?? 300, pollMs: 20, graceMs: o.graceMs ?? 1000, backoff: { baseMs: 40, maxMs: 200 } });
    running.push(w);
    w.start();
    return w;
  };
  return { db, store, ids, start, id: ids[0]! };
}

/** An executor that waits until released (or aborted), recording the signal's reason. */
function gate(name = 'test') {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const seen: { started: number; abortReason?: unknown } = { started: 0 };
  const executor: Executor = {
    name,
    run: (_t, signal) =>
      new Promise((resolve, reject) => {
        seen.started++;
        signal.addEventListener('abort', () => {
          seen.abortReason = signal.reason;
          reject(new Error('aborted'));
        });
        void released.then(() => resolve(ok));
      }),
  };
  return { executor, release, seen };
}

describe('task workers', () => {
  it('Cancel on a running task aborts its executor and records cancelled; nothing else is written', async () => {
    const g = gate();
    const { store, id, start } = setup(g.executor);
    const workers = start();
    await waitUntil('running', () => store.get(id)?.status === 'running' && g.seen.started === 1);
    const r = await changeTask({ store, clock: { now: Date.now }, workers }, 'cancel', id, 'U9');
    expect(r).toEqual({ ok: true, message: `Task #${id} cancelled (its run is being stopped).` });
    await waitUntil('abort seen', () => g.seen.abortReason !== undefined);
    expect(g.seen.abortReason).toBe('cancelled');
    await waitUntil('worker idle', () => workers.running() === 0);
    expect(store.get(id)).toMatchObject({ status: 'cancelled' });
    expect(store.listEvents(id).map((e) => e.kind)).toEqual(['queued', 'claimed', 'cancelled']);
  });

  it('a task cancelled by another process is noticed at the next heartbeat and its executor aborted', async () => {
    const g = gate();
    const { store, id, start } = setup(g.executor);
    start({ leaseMs: 150 });
    await waitUntil('running', () => g.seen.started === 1);
    expect(store.cancel(id, 'cli:someone', Date.now())).toMatchObject({ ok: true, wasRunning: true });
    await waitUntil('abort seen', () => g.seen.abortReason !== undefined, 2000);
    expect(g.seen.abortReason).toBe('lost-lease');
    expect(store.get(id)?.status).toBe('cancelled');
  });

  it('a task naming an executor that is not configured fails at once, with the reason', async () => {
    const { store, id, start } = setup(gate().executor, { executorName: 'codex' });
    start();
    const t = await waitUntil('failed', () => (store.get(id)?.status === 'failed' ? store.get(id) : undefined));
    expect(t.attempts).toBe(1);
    expect(t.lastError).toBe('no executor named "codex" is configured here (known: test)');
  });

  it('transient failures back off on the row and fail after the last attempt; permanent ones fail at once', async () => {
    let calls = 0;
    const flaky: Executor = { name: 'test', run: async () => { calls++; throw Object.assign(new Error('Service Unavailable'), { status: 503 }); } };
    const { store, id, start } = setup(flaky, { maxAttempts: 3 });
    start();
    const t = await waitUntil('failed', () => (store.get(id)?.status === 'failed' ? store.get(id) : undefined));
    expect(calls).toBe(3);
    expect(t.lastError).toBe('Service Unavailable (after 3 attempts)');
    const retries = store.listEvents(id).filter((e) => e.kind === 'retry');
    expect(retries).toHaveLength(2);
    // Exponential: base 40 ms then 80 ms, each jittered down by at most a quarter.
    const waits = retries.map((e) => (e.detail!.runAt as number) - e.at);
    expect(waits[0]).toBeGreaterThanOrEqual(30);
    expect(waits[0]).toBeLessThanOrEqual(40);
    expect(waits[1]).toBeGreaterThanOrEqual(60);
    expect(waits[1]).toBeLessThanOrEqual(80);

    const denied: Executor = { name: 'test', run: async () => { throw new ExecutorError('token lacks repo scope', { permanent: true }); } };
    const second = setup(denied, { maxAttempts: 3 });
    second.start();
    const f = await waitUntil('failed', () => (second.store.get(second.id)?.status === 'failed' ? second.store.get(second.id) : undefined));
    expect(f).toMatchObject({ attempts: 1, lastError: 'token lacks repo scope' });
  });

  it('stop() lets a task finish within the grace period', async () => {
    const g = gate();
    const { store, id, start } = setup(g.executor);
    const w = start({ graceMs: 5000 });
    await waitUntil('running', () => g.seen.started === 1);
    const stopping = w.stop();
    setTimeout(g.release, 100);
    await stopping;
    expect(store.get(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('stop() past the grace period aborts the executor and releases the lease: the task is queued again at once, the attempt not counted', async () => {
    const g = gate();
    const { store, id, start } = setup(g.executor);
    const w = start({ graceMs: 100 });
    await waitUntil('running', () => g.seen.started === 1);
    await w.stop();
    expect(g.seen.abortReason).toBe('shutdown');
    expect(store.get(id)).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: undefined });
    expect(store.listEvents(id).map((e) => e.kind)).toContain('released');
  });

  it('a lease that expires (its worker died) is claimed again by another worker; Retry re-queues a failed task', async () => {
    const { store, id, start } = setup({ name: 'test', run: async () => ok });
    // A worker that claimed and then died: nobody renews its lease.
    expect(store.claim('dead-worker', 100, Date.now())).toMatchObject({ id, attempts: 1 });
    expect(store.claim('other', 100, Date.now())).toBeUndefined();
    start({ owner: 'w2' });
    const t = await waitUntil('succeeded', () => (store.get(id)?.status === 'succeeded' ? store.get(id) : undefined));
    expect(t.attempts).toBe(2);
    expect(store.listEvents(id).filter((e) => e.kind === 'claimed').map((e) => e.detail?.owner)).toEqual(['dead-worker', 'w2']);

    const retryable = setup({ name: 'test', run: async () => { throw new ExecutorError('no', { permanent: true }); } });
    retryable.start();
    await waitUntil('failed', () => retryable.store.get(retryable.id)?.status === 'failed');
    expect(await changeTask({ store: retryable.store, clock: { now: Date.now } }, 'retry', retryable.id, 'U1')).toEqual({ ok: true, message: `Task #${retryable.id} is queued again.` });
    await waitUntil('failed again', () => retryable.store.get(retryable.id)?.status === 'failed' && retryable.store.listEvents(retryable.id).filter((e) => e.kind === 'claimed').length === 2);
    expect(await changeTask({ store: retryable.store, clock: { now: Date.now } }, 'cancel', retryable.id, 'U1')).toMatchObject({ ok: false, message: `Task #${retryable.id} is already failed; only a queued or running task can be cancelled.` });
  });
});
