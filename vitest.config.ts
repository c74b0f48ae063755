import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/harness/network-guard.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // better-sqlite3 and child git processes are happier in forks than in worker threads.
    pool: 'forks',
  },
});
