/**
 * Child-process entry for the ack benchmark: one app under test per process, as in production, so
 * the load generator and the fake Slack never share its event loop.
 *   teammate — the real composition root (buildServices + createSlackApp, HTTP receiver) on an
 *              indexed repository, no model (extractive answers), logging at info to /dev/null.
 *   bare     — the anchor: a Bolt App with an HTTPReceiver whose app_mention listener only posts.
 * Config arrives as one IPC message; the process answers `{ type: 'ready', port }`, and then each
 * `{ type: 'elu' }` with the main thread's event-loop utilization since the previous one.
 */
import { fileURLToPath } from 'node:url';
import bolt from '@slack/bolt';
import { buildServices } from '../src/app.js';
import { reposOf } from '../src/cli/runtime.js';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/logging/logger.js';
import { createSlackApp } from '../src/slack/slack-app.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate, readMigrations } from '../src/storage/migrate.js';

export interface TargetConfig {
  readonly kind: 'teammate' | 'bare';
  readonly apiUrl: string;
  readonly signingSecret: string;
  /** teammate: the repository to index and answer about, and where the database goes. */
  readonly repo?: string;
  readonly dataDir?: string;
  /** teammate: extra environment (e.g. TEAMMATE_ANSWER_CONCURRENCY) passed to loadConfig. */
  readonly env?: Record<string, string>;
}

const MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url));

async function startTeammate(c: TargetConfig): Promise<number> {
  const config = loadConfig(
    {
      ...c.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: c.signingSecret,
      SLACK_API_URL: c.apiUrl,
      PORT: '0',
      TEAMMATE_REPOS: c.repo,
      TEAMMATE_DATA_DIR: c.dataDir,
      TEAMMATE_REFRESH_CRON: 'off',
      LOG_LEVEL: 'info',
    },
    { cwd: c.dataDir ?? process.cwd() },
  );
  const logger = createLogger({ level: config.logLevel });
  const db = openDatabase(config.dbPath);
  migrate(db, readMigrations(MIGRATIONS));
  const runtime = { config, logger, db };
  const repos = reposOf(config);
  const services = buildServices(runtime);
  for (const repo of repos) await services.refresh(repo);
  const app = createSlackApp({ slack: config.slack, logger: logger.child({ component: 'slack' }), db, answerQuestion: services.answerQuestion, repos });
  await app.start();
  return app.port!;
}

async function startBare(c: TargetConfig): Promise<number> {
  const receiver = new bolt.HTTPReceiver({ signingSecret: c.signingSecret, endpoints: ['/slack/events'], logLevel: bolt.LogLevel.ERROR });
  const app = new bolt.App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bench', botUserId: 'UBOT', botId: 'BBOT', teamId: 'T1' }),
    clientOptions: { slackApiUrl: c.apiUrl },
    logLevel: bolt.LogLevel.ERROR,
  });
  app.event('app_mention', async ({ event, client }) => {
    await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'Looking into it…' });
  });
  const server = await receiver.start(0);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the bare Bolt receiver did not bind a port');
  return address.port;
}

let lastElu = performance.eventLoopUtilization();
process.once('message', (c: TargetConfig) => {
  const start = c.kind === 'teammate' ? startTeammate : startBare;
  // How busy the main thread (the one that acks) was since the last ask: the profile in one number.
  process.on('message', (m: { type?: string }) => {
    if (m.type !== 'elu') return;
    const now = performance.eventLoopUtilization();
    process.send?.({ type: 'elu', utilization: performance.eventLoopUtilization(now, lastElu).utilization });
    lastElu = now;
  });
  start(c).then(
    (port) => process.send?.({ type: 'ready', port }),
    (err: Error) => {
      process.send?.({ type: 'error', message: err.stack ?? err.message });
      process.exitCode = 1;
    },
  );
});
// The bench parent ends us with SIGTERM; nothing to flush beyond what the OS reclaims.
process.once('SIGTERM', () => process.exit(0));
