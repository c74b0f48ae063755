/**
 * The Retry and Cancel buttons of a task's status message (`task.retry`, `task.cancel`): thin
 * listeners through the interaction seam — zod-checked value, who may act, one use case, a reply.
 */
import { z } from 'zod';
import { changeTask, type ChangeTaskDeps } from '../../tasks/change-task.js';
import { TASK_CANCEL_ACTION, TASK_RETRY_ACTION } from '../blocks/task-status-message.js';
import { jsonValue, type ActionRegistration } from './register-action.js';

const taskValue = jsonValue(z.object({ taskId: z.number().int().positive() }));

export function taskActionRegistrations(deps: ChangeTaskDeps & { readonly approvers: readonly string[] }): ActionRegistration<typeof taskValue>[] {
  const make = (actionId: string, action: 'retry' | 'cancel'): ActionRegistration<typeof taskValue> => ({
    actionId,
    schema: taskValue,
    invalidText: 'That button does not name a task; use `teammate tasks` to see them.',
    handle: async (click) => {
      if (deps.approvers.length > 0 && !deps.approvers.includes(click.userId)) {
        return { kind: 'ephemeral', text: `Only approvers (TEAMMATE_APPROVERS) may ${action} tasks.` };
      }
      const result = await changeTask(deps, action, click.payload.taskId, click.userId);
      // On success the status message itself changes (the reporter updates it); say only a refusal.
      return result.ok ? { kind: 'none' } : { kind: 'ephemeral', text: result.message };
    },
  });
  return [make(TASK_RETRY_ACTION, 'retry'), make(TASK_CANCEL_ACTION, 'cancel')];
}
