import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { scheduleRecurring } from '../../src/scheduler/schedule-refresh.js';

describe('scheduled refresh', () => {
  it('runs the job on its schedule and keeps going after a failure', async () => {
    let runs = 0;
    const twoRuns = new Promise<void>((resolve) => {
      const job = scheduleRecurring(
        'test-refresh',
        '* * * * * *', // every second (node-cron's optional seconds field)
        async () => {
          runs += 1;
          if (runs === 1) throw new Error('fetch failed');
          if (runs === 2) {
            await job.stop();
            resolve();
          }
        },
        silentLogger(),
      );
    });
    await twoRuns;
    expect(runs).toBe(2);
  });

  it('is configured with a cron expression, off, or rejected with a hint', () => {
    const ctx = { cwd: '/w', homeDir: '/h' };
    expect(loadConfig({}, ctx).refreshCron).toBe('*/15 * * * *');
    expect(loadConfig({ TEAMMATE_REFRESH_CRON: 'off' }, ctx).refreshCron).toBeUndefined();
    expect(() => loadConfig({ TEAMMATE_REFRESH_CRON: 'every hour' }, ctx)).toThrow(ConfigError);
    expect(() => loadConfig({ TEAMMATE_REFRESH_CRON: 'every hour' }, ctx)).toThrow(/TEAMMATE_REFRESH_CRON: expected a cron expression/);
  });
});
