/**
 * Cancel and Retry, from Slack buttons or the CLI: change the row (guarded by status, one
 * statement), abort the executor if it runs in this process (other processes notice at their
 * next heartbeat), and update the status message.
 */
import type { ChangeOutcome, TaskClock, TaskQueueStore, TaskSource, TaskStatusReporter } from './types.js';

export interface ChangeTaskDeps {
  readonly store: TaskQueueStore;
  readonly clock: TaskClock;
  readonly source?: TaskSource;
  readonly reporter?: TaskStatusReporter;
  /** The workers of this process, when it runs any. */
  readonly workers?: { abortLocal(taskId: number): boolean; wake(): void };
}

export interface ChangeTaskResult {
  readonly ok: boolean;
  /** For people: what happened, or why nothing did. */
  readonly message: string;
}

export async function changeTask(deps: ChangeTaskDeps, action: 'cancel' | 'retry', taskId: number, by: string): Promise<ChangeTaskResult> {
  const now = deps.clock.now();
  const outcome: ChangeOutcome = action === 'cancel' ? deps.store.cancel(taskId, by, now) : deps.store.retry(taskId, by, now);
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') return { ok: false, message: `There is no task #${taskId}.` };
    const status = outcome.task?.status ?? 'unknown';
    return {
      ok: false,
      message: action === 'cancel' ? `Task #${taskId} is already ${status}; only a queued or running task can be cancelled.` : `Task #${taskId} is ${status}; only a failed or cancelled task can be retried.`,
    };
  }
  if (action === 'cancel') deps.workers?.abortLocal(taskId);
  else deps.workers?.wake();
  if (deps.reporter && deps.source) {
    const subject = await deps.source.load(outcome.task).catch(() => undefined);
    if (subject) await deps.reporter.report({ task: outcome.task, title: subject.proposal.title, ...(subject.card ? { card: subject.card } : {}), now });
  }
  return {
    ok: true,
    message: action === 'cancel' ? `Task #${taskId} cancelled${outcome.wasRunning ? ' (its run is being stopped)' : ''}.` : `Task #${taskId} is queued again.`,
  };
}
