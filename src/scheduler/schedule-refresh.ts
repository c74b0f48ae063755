import cron from 'node-cron';
import type { Logger } from '../logging/logger.js';

export interface ScheduledJob {
  stop(): Promise<void>;
}

/**
 * Runs `job` on a cron schedule, never two at once (a slow fetch of a big repository simply
 * skips the next slot). Refreshing is idempotent, so a missed slot needs no back-fill; the
 * (job, slot) bookkeeping for scans and digests arrives with those features.
 */
export function scheduleRecurring(name: string, expression: string, job: () => Promise<void>, logger: Logger): ScheduledJob {
  const task = cron.schedule(
    expression,
    async () => {
      const started = Date.now();
      try {
        await job();
        logger.debug({ job: name, ms: Date.now() - started }, 'scheduled job finished');
      } catch (err) {
        logger.error({ job: name, err }, 'scheduled job failed; it runs again at the next slot');
      }
    },
    { name, noOverlap: true, suppressMissedWarning: true },
  );
  return { stop: async () => void (await task.stop()) };
}
