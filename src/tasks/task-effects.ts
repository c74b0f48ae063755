import type { TaskEffects } from '../executors/types.js';
import type { TaskClock, TaskQueueStore } from './types.js';

/**
 * A task's side effects remembered in its task_events (they outlive restarts and the idempotency
 * table's pruning). The lease means one worker runs the task at a time, so look-do-remember needs
 * no claim; `find` covers the crash between doing and remembering.
 */
export function createTaskEffects(store: TaskQueueStore, taskId: number, clock: TaskClock): TaskEffects {
  const effects: TaskEffects = {
    key: (effect) => `task:${taskId}:${effect}`,
    recall: (effect) => store.recallEffect(taskId, effect),
    remember: (effect, value) => store.rememberEffect(taskId, effect, value, clock.now()),
    async once(effect, steps) {
      const known = effects.recall(effect);
      if (known) return known as never;
      const found = steps.find ? await steps.find() : undefined;
      const value = found ?? (await steps.create());
      effects.remember(effect, value);
      return value;
    },
  };
  return effects;
}
