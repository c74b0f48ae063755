import type { Logger } from '../logging/logger.js';

/** Slack work started after the ack (answers, clicks, Home tab) and not finished yet. */
export interface InFlightWork {
  /** Starts `work` without waiting for it (listeners must return before slow work), logging failures. */
  run(name: string, work: () => Promise<void>): void;
  /** Resolves when every piece of started work has settled (shutdown, tests). */
  idle(): Promise<void>;
}

export function createInFlightWork(logger: Logger): InFlightWork {
  const running = new Set<Promise<void>>();
  return {
    run(name, work) {
      const p: Promise<void> = Promise.resolve()
        .then(work)
        .catch((err: unknown) => logger.error({ err, work: name }, 'background Slack work failed'))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
