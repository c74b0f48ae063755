/**
 * One claimed task from start to end: load what it is about, run its executor with a heartbeat
 * that keeps the lease (and notices a cancel or a lost lease), then record the outcome — success,
 * a retry later (transient, attempts left: capped exponential backoff with jitter, on the row), or
 * failure (permanent, or the last attempt). Status updates go to the reporter; none can throw.
 */
import { backoffDelay } from '../shared/retry.js';
import type { Executor, ExecutorResult, TaskLogger } from '../executors/types.js';
import { classifyFailure } from './classify-failure.js';
import { describeError } from './describe-error.js';
import { createTaskEffects } from './task-effects.js';
import type { QueuedTask, TaskClock, TaskQueueStore, TaskSource, TaskStatusReporter, TaskStatusUpdate, TaskSubject } from './types.js';

export interface RunTaskDeps {
  readonly store: TaskQueueStore;
  readonly executors: ReadonlyMap<string, Executor>;
  readonly source: TaskSource;
  readonly reporter?: TaskStatusReporter;
  readonly owner: string;
  readonly logger: TaskLogger;
  readonly clock: TaskClock;
  readonly leaseMs: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  /** Least time between two "running" status updates (progress steps come faster than Slack wants). */
  readonly statusEveryMs: number;
  readonly random?: () => number;
}

export type StopReason = 'shutdown' | 'lost-lease';

export type TaskOutcome = 'succeeded' | 'retry' | 'failed' | 'abandoned';

export async function runClaimedTask(task: QueuedTask, deps: RunTaskDeps, outer: AbortSignal): Promise<TaskOutcome> {
  const { store, clock, logger, owner } = deps;
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onOuter, { once: true });
  let subject: TaskSubject | undefined;
  let step: string | undefined;
  let lastStatusAt = 0;
  const report = (extra: Partial<TaskStatusUpdate>, current = task) => {
    if (!deps.reporter || !subject) return Promise.resolve();
    return deps.reporter
      .report({ task: current, title: subject.proposal.title, ...(subject.card ? { card: subject.card } : {}), now: clock.now(), ...extra })
      .catch((err: unknown) => logger.warn({ task: task.id, err: describeError(err) }, 'could not update the task status'));
  };

  // The heartbeat renews the lease; a false answer means the task was cancelled or another worker
  // took it over after our lease lapsed: stop the executor, write nothing.
  const beat = setInterval(() => {
    let kept: boolean;
    try {
      kept = store.heartbeat(task.id, owner, deps.leaseMs, clock.now());
    } catch (err) {
      logger.warn({ task: task.id, err: describeError(err) }, 'lease heartbeat failed; trying again');
      return;
    }
    if (!kept) controller.abort('lost-lease' satisfies StopReason);
    else if (clock.now() - lastStatusAt >= deps.statusEveryMs) {
      lastStatusAt = clock.now();
      void report({ ...(step ? { step } : {}) });
    }
  }, Math.max(10, Math.floor(deps.leaseMs / 3)));
  beat.unref?.();

  try {
    if (task.attempts > task.maxAttempts) {
      // Its worker died on the last attempt (the lease expired): do not run it a further time.
      return finishFailed(`its worker stopped before finishing, ${task.maxAttempts} times`);
    }
    const executor = deps.executors.get(task.executor);
    if (!executor) return finishFailed(`no executor named "${task.executor}" is configured here (known: ${[...deps.executors.keys()].join(', ') || 'none'})`);
    subject = await deps.source.load(task);
    lastStatusAt = clock.now();
    void report({});
    const result = await executor.run(
      {
        taskId: task.id,
        attempt: task.attempts,
        proposal: subject.proposal,
        repository: subject.repository,
        effects: createTaskEffects(store, task.id, clock),
        logger,
        report: (p) => {
          step = p.step;
          try {
            store.recordEvent(task.id, 'progress', { step: p.step, ...(p.url ? { url: p.url } : {}) }, clock.now());
          } catch {
            // Progress is informational; a busy database must not fail the task.
          }
          if (clock.now() - lastStatusAt >= deps.statusEveryMs) {
            lastStatusAt = clock.now();
            void report({ step: p.step });
          }
        },
      },
      controller.signal,
    );
    if (controller.signal.aborted) return 'abandoned';
    return await finishSucceeded(result);
  } catch (err) {
    if (controller.signal.aborted) {
      logger.info({ task: task.id, reason: String(controller.signal.reason) }, 'task stopped before it finished');
      return 'abandoned';
    }
    const error = describeError(err);
    const { permanent, retryAfterMs } = classifyFailure(err);
    if (!permanent && task.attempts < task.maxAttempts) {
      const delay = Math.max(retryAfterMs ?? 0, backoffDelay(task.attempts, deps.backoff.baseMs, deps.backoff.maxMs, deps.random));
      const runAt = clock.now() + delay;
      if (!store.reschedule(task.id, owner, error, runAt, clock.now())) return 'abandoned';
      logger.warn({ task: task.id, attempt: task.attempts, delayMs: delay, err: error }, 'task failed; retrying later');
      await report({ error, nextRunAt: runAt }, { ...task, status: 'queued', lastError: error, runAt });
      return 'retry';
    }
    const reason = permanent || task.maxAttempts <= 1 ? error : `${error} (after ${task.attempts} attempts)`;
    return finishFailed(reason);
  } finally {
    clearInterval(beat);
    outer.removeEventListener('abort', onOuter);
  }

  async function finishSucceeded(result: ExecutorResult): Promise<TaskOutcome> {
    if (!store.succeed(task.id, owner, result, clock.now())) return 'abandoned';
    logger.info({ task: task.id, links: result.links.map((l) => l.url) }, 'task succeeded');
    await report({}, { ...task, status: 'succeeded', result, finishedAt: clock.now() });
    return 'succeeded';
  }

  async function finishFailed(reason: string): Promise<TaskOutcome> {
    if (!store.fail(task.id, owner, reason, clock.now())) return 'abandoned';
    logger.error({ task: task.id, err: reason }, 'task failed');
    if (!subject) subject = await deps.source.load(task).catch(() => undefined);
    await report({ error: reason }, { ...task, status: 'failed', lastError: reason, finishedAt: clock.now() });
    return 'failed';
  }
}
