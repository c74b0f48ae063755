/**
 * TaskQueueStore on SQLite (tables from migrations/0009_proposals_tasks.sql). Claiming is one
 * `UPDATE … RETURNING` statement: SQLite takes the write lock before it reads, so two processes
 * can never both take a task, and the busy timeout (openDatabase) makes a contended claim wait
 * instead of failing with SQLITE_BUSY. Every later write is guarded by status + lease owner, so a
 * worker whose lease was taken over (or whose task was cancelled) changes nothing.
 */
import type { ExecutorResult } from '../executors/types.js';
import type { ChangeOutcome, QueuedTask, TaskEvent, TaskQueueStore, TaskStatus } from '../tasks/types.js';
import type { Db } from './database.js';
import { opt } from './row-values.js';

interface Row {
  id: number;
  proposal_id: number;
  repo_id: string;
  executor: string;
  status: TaskStatus;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

function toTask(r: Row): QueuedTask {
  return {
    id: r.id,
    proposalId: r.proposal_id,
    repoId: r.repo_id,
    executor: r.executor,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    leaseOwner: opt(r.lease_owner),
    leaseExpiresAt: opt(r.lease_expires_at),
    lastError: opt(r.last_error),
    result: r.result ? (JSON.parse(r.result) as ExecutorResult) : undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: opt(r.started_at),
    finishedAt: opt(r.finished_at),
  };
}

function parseDetail(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function createTaskQueueStore(db: Db): TaskQueueStore {
  // The claim the migration's comment describes, with its OR split in two so each half walks
  // its own index (tasks_lease, tasks_claim) and stops at the first row: the OR form scanned
  // every task per claim (~460 claims/s at 5,000 tasks; see bench/queue-bench.ts). A task whose
  // lease expired (its worker died) goes first: it has waited longest.
  const claim = db.prepare(
    `UPDATE tasks SET status = 'running', lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1,
       started_at = @now, updated_at = @now
     WHERE id = COALESCE(
       (SELECT id FROM tasks WHERE status = 'running' AND lease_expires_at < @now ORDER BY lease_expires_at LIMIT 1),
       (SELECT id FROM tasks WHERE status = 'queued' AND run_at <= @now ORDER BY run_at, id LIMIT 1))
     RETURNING *`,
  );
  const event = db.prepare('INSERT INTO task_events (task_id, kind, detail, at) VALUES (?, ?, ?, ?)');
  const beat = db.prepare(`UPDATE tasks SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?`);
  const succeed = db.prepare(
    `UPDATE tasks SET status = 'succeeded', result = ?, last_error = NULL, lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?
     WHERE id = ? AND status = 'running' AND lease_owner = ?`,
  );
  const reschedule = db.prepare(
    `UPDATE tasks SET status = 'queued', last_error = ?, run_at = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
     WHERE id = ? AND status = 'running' AND lease_owner = ?`,
  );
  const fail = db.prepare(
    `UPDATE tasks SET status = 'failed', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?
     WHERE id = ? AND status = 'running' AND lease_owner = ?`,
  );
  const release = db.prepare(
    `UPDATE tasks SET status = 'queued', run_at = @now, attempts = MAX(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE status = 'running' AND lease_owner = @owner RETURNING id`,
  );
  const cancel = db.prepare(
    `UPDATE tasks SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?
     WHERE id = ? AND status IN ('queued', 'running') RETURNING *`,
  );
  const retry = db.prepare(
    `UPDATE tasks SET status = 'queued', attempts = 0, run_at = ?, last_error = NULL, result = NULL, finished_at = NULL, started_at = NULL, updated_at = ?
     WHERE id = ? AND status IN ('failed', 'cancelled') RETURNING *`,
  );
  const get = db.prepare('SELECT * FROM tasks WHERE id = ?');
  const events = db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY id');
  const recall = db.prepare(
    `SELECT detail FROM task_events WHERE task_id = ? AND kind = 'effect' AND json_extract(detail, '$.effect') = ? ORDER BY id DESC LIMIT 1`,
  );

  const claimTx = db.transaction((owner: string, leaseMs: number, now: number): QueuedTask | undefined => {
    const row = claim.get({ owner, expires: now + leaseMs, now }) as Row | undefined;
    if (!row) return undefined;
    event.run(row.id, 'claimed', JSON.stringify({ owner, attempt: row.attempts }), now);
    return toTask(row);
  });

  /** A guarded write plus its event, in one IMMEDIATE transaction (built once: building one prepares statements). */
  const guardedTx = db.transaction((run: () => number, id: number, kind: string, detail: Record<string, unknown>, now: number): boolean => {
    if (run() === 0) return false;
    event.run(id, kind, JSON.stringify(detail), now);
    return true;
  });
  const guarded = (run: () => number, id: number, kind: string, detail: Record<string, unknown>, now: number): boolean => guardedTx.immediate(run, id, kind, detail, now);

  return {
    claim(owner, leaseMs, now) {
      return claimTx.immediate(owner, leaseMs, now);
    },
    heartbeat(id, owner, leaseMs, now) {
      return beat.run(now + leaseMs, now, id, owner).changes > 0;
    },
    succeed(id, owner, result, now) {
      return guarded(() => succeed.run(JSON.stringify(result), now, now, id, owner).changes, id, 'succeeded', { links: result.links }, now);
    },
    reschedule(id, owner, error, runAt, now) {
      return guarded(() => reschedule.run(error, runAt, now, id, owner).changes, id, 'retry', { error, runAt }, now);
    },
    fail(id, owner, error, now) {
      return guarded(() => fail.run(error, now, now, id, owner).changes, id, 'failed', { error }, now);
    },
    release(owner, now) {
      return db
        .transaction(() => {
          const ids = release.all({ owner, now }) as { id: number }[];
          for (const { id } of ids) event.run(id, 'released', JSON.stringify({ owner }), now);
          return ids.length;
        })
        .immediate();
    },
    cancel(id, by, now) {
      return db
        .transaction((): ChangeOutcome => {
          const before = get.get(id) as Row | undefined;
          if (!before) return { ok: false, reason: 'not-found' };
          const row = cancel.get(now, now, id) as Row | undefined;
          if (!row) return { ok: false, reason: 'not-allowed', task: toTask(before) };
          event.run(id, 'cancelled', JSON.stringify({ by, from: before.status }), now);
          return { ok: true, task: toTask(row), wasRunning: before.status === 'running' };
        })
        .immediate();
    },
    retry(id, by, now) {
      return db
        .transaction((): ChangeOutcome => {
          const before = get.get(id) as Row | undefined;
          if (!before) return { ok: false, reason: 'not-found' };
          const row = retry.get(now, now, id) as Row | undefined;
          if (!row) return { ok: false, reason: 'not-allowed', task: toTask(before) };
          event.run(id, 'requeued', JSON.stringify({ by, from: before.status }), now);
          return { ok: true, task: toTask(row) };
        })
        .immediate();
    },
    get(id) {
      const row = get.get(id) as Row | undefined;
      return row ? toTask(row) : undefined;
    },
    recordEvent(id, kind, detail, now) {
      event.run(id, kind, detail === undefined ? null : JSON.stringify(detail), now);
    },
    listEvents(id) {
      return (events.all(id) as { id: number; task_id: number; kind: string; detail: string | null; at: number }[]).map(
        (r): TaskEvent => ({ id: r.id, taskId: r.task_id, kind: r.kind, detail: parseDetail(r.detail), at: r.at }),
      );
    },
    recallEffect(id, effect) {
      const text = recall.pluck().get(id, effect) as string | undefined;
      const detail = parseDetail(text ?? null);
      return detail?.value && typeof detail.value === 'object' ? (detail.value as Record<string, unknown>) : undefined;
    },
    rememberEffect(id, effect, value, now) {
      event.run(id, 'effect', JSON.stringify({ effect, value }), now);
    },
  };
}
