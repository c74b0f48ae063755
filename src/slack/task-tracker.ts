import type { Logger } from '../logging/logger.js';

export interface TaskTracker {
  /** Starts `work` without waiting for it (listeners must return before slow work), logging failures. */
  run(name: string, work: () => Promise<void>): void;
  /** Resolves when every started task has settled (shutdown, tests). */
  idle(): Promise<void>;
}

export function createTaskTracker(logger: Logger): TaskTracker {
  const running = new Set<Promise<void>>();
  return {
    run(name, work) {
      const p: Promise<void> = Promise.resolve()
        .then(work)
        .catch((err: unknown) => logger.error({ err, task: name }, 'background Slack task failed'))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
