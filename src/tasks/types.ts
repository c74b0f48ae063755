/**
 * The durable task queue's words and ports. Core: no vendor SDK, no Db; SQL lives in
 * src/storage/task-queue-store.ts. A task is an approved proposal waiting for, or in, an executor.
 */
import type { TaskStatus } from '../proposals/types.js';
import type { ExecutorResult, TaskProposal, TaskRepository } from '../executors/types.js';

export type { TaskStatus };

export interface QueuedTask {
  readonly id: number;
  readonly proposalId: number;
  readonly repoId: string;
  readonly executor: string;
  readonly status: TaskStatus;
  /** Claims so far (this run included when running). */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Not claimed before this time (unix ms): backoff after a transient failure. */
  readonly runAt: number;
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: number;
  readonly lastError?: string;
  readonly result?: ExecutorResult;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

export interface TaskEvent {
  readonly id: number;
  readonly taskId: number;
  /** queued, claimed, progress, retry, succeeded, failed, cancelled, released, requeued, effect, … */
  readonly kind: string;
  readonly detail?: Record<string, unknown>;
  readonly at: number;
}

/** What a cancel or retry request did. */
export type ChangeOutcome =
  | { readonly ok: true; readonly task: QueuedTask; readonly wasRunning?: boolean }
  | { readonly ok: false; readonly reason: 'not-found' | 'not-allowed'; readonly task?: QueuedTask };

/**
 * The queue port. Every write is one statement guarded by the task's status and lease owner (or
 * one IMMEDIATE transaction), so several processes on one database never both run a task.
 * Writes by a worker return false when it no longer holds the lease (cancelled, or taken over
 * after it expired): the worker then drops its result.
 */
export interface TaskQueueStore {
  /** Atomically takes the next due task (queued and due, or running with an expired lease). */
  claim(owner: string, leaseMs: number, now: number): QueuedTask | undefined;
  /** Extends the lease; false when the task is no longer this owner's running task. */
  heartbeat(id: number, owner: string, leaseMs: number, now: number): boolean;
  succeed(id: number, owner: string, result: ExecutorResult, now: number): boolean;
  /** Back to queued with a later run_at after a transient failure. */
  reschedule(id: number, owner: string, error: string, runAt: number, now: number): boolean;
  fail(id: number, owner: string, error: string, now: number): boolean;
  /** Shutdown: this owner's running tasks go back to queued now, the interrupted attempt not counted. */
  release(owner: string, now: number): number;
  /** Stops a queued or running task (a running one's worker sees it at its next heartbeat). */
  cancel(id: number, by: string, now: number): ChangeOutcome;
  /** Queues a failed or cancelled task again with fresh attempts. */
  retry(id: number, by: string, now: number): ChangeOutcome;
  get(id: number): QueuedTask | undefined;
  recordEvent(id: number, kind: string, detail: Record<string, unknown> | undefined, now: number): void;
  listEvents(id: number): TaskEvent[];
  /** The latest value remembered for a task's side effect (see TaskEffects). */
  recallEffect(id: number, effect: string): Record<string, unknown> | undefined;
  rememberEffect(id: number, effect: string, value: Record<string, unknown>, now: number): void;
}

/** What a task works on: its proposal, its repository and the card it came from. */
export interface TaskSubject {
  readonly proposal: TaskProposal;
  readonly repository: TaskRepository;
  /** The proposal's card, whose thread shows the task's status. */
  readonly card?: { readonly channel: string; readonly messageTs: string };
}

/** Loads a task's subject (composition root: proposal store + repositories + origin remote). */
export interface TaskSource {
  /** Throws ExecutorError (permanent) when the proposal or repository is gone. */
  load(task: QueuedTask): Promise<TaskSubject>;
}

/** One moment of a task's life, as the status message shows it. */
export interface TaskStatusUpdate {
  readonly task: QueuedTask;
  readonly title: string;
  readonly card?: TaskSubject['card'];
  /** While running: what the executor is doing now. */
  readonly step?: string;
  /** While running: since when (elapsed = now - startedAt). */
  readonly now: number;
  /** When it failed for good or will be retried: why (scrubbed). */
  readonly error?: string;
  /** A transient failure: when the next attempt runs. */
  readonly nextRunAt?: number;
}

/**
 * The task's status, shown somewhere people look: one message in the card's thread, updated in
 * place (Slack adapter: src/slack/task-status-message.ts). Must not throw.
 */
export interface TaskStatusReporter {
  report(update: TaskStatusUpdate): Promise<void>;
}

export interface TaskClock {
  now(): number;
}
