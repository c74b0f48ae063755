/**
 * A burst of mentions through the real Slack app, with search in a worker thread and a bounded
 * answer queue (issue 6 item 10): every mention is acked and gets its placeholder at once, those
 * waiting their turn are told so, and every one is answered from the index in the end.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { createAnswerQuestion } from '../../src/qa/answer-question.js';
import { limitConcurrency } from '../../src/qa/limit-concurrency.js';
import type { AnswerQuestion } from '../../src/qa/types.js';
import type { Repository } from '../../src/repos/repository.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { type WorkerBackedSearch, searchInWorker } from '../../src/search/search-in-worker.js';
import { type SlackApp, createSlackApp } from '../../src/slack/slack-app.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const SECRET = 'burst-signing-secret';
/** Built by test/harness/global-setup.ts from the same sources: vitest itself runs TypeScript. */
const WORKER_URL = new URL('../../dist/search/search-worker.js', import.meta.url);
const MENTIONS = 12;
const MAX_AT_ONCE = 2;

const temp = makeTempDir('teammate-burst-');
let slack: FakeSlack;
let db: Db;
let search: WorkerBackedSearch;
let app: SlackApp;
let eventsUrl: string;
let release!: () => void;
const gate = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  slack = await startFakeSlack();
  const root = path.join(temp.dir, 'widgets');
  makeGitRepo(root, {
    'src/settings.ts': 'import { z } from "zod";\n\n/** Reads settings from the environment once at startup. */\nexport function loadSettings(env: Record<string, string>) {\n  return z.object({ port: z.coerce.number() }).parse({ port: env.PORT });\n}\n',
    'src/server.ts': "import { loadSettings } from './settings';\nexport const settings = loadSettings(process.env as never);\n",
    'README.md': '# widgets\n',
  });
  const repo: Repository = { id: root, root, label: 'widgets' };
  const dbFile = path.join(temp.dir, 'teammate.db');
  db = openDatabase(dbFile);
  migrate(db);
  const logger = silentLogger();
  const inProcess = createCodeSearch(db, logger, { worker: false });
  await inProcess.index(repo);
  // The main thread must not search: a fallback would hide a broken worker.
  search = searchInWorker({ ...inProcess, search: () => Promise.reject(new Error('searched on the main thread')) }, { dbFile, logger, workerUrl: WORKER_URL, workers: 1 });
  const extractive = createAnswerQuestion({ search, logger, limits: { maxSteps: 4, maxTokens: 10_000 } });
  // The first answers wait for the test, so the rest of the burst is certainly queued behind them.
  const held: AnswerQuestion = async (q) => {
    await gate;
    return extractive(q);
  };
  app = createSlackApp({
    slack: { mode: 'http', botToken: 'xoxb-burst', signingSecret: SECRET, apiUrl: slack.apiUrl, port: 0, admins: [] },
    logger,
    db,
    answerQuestion: limitConcurrency(held, { max: MAX_AT_ONCE }),
    repos: [repo],
    options: { progressIntervalMs: 20, host: '127.0.0.1', retryConfig: { retries: 0 } },
  });
  await app.start();
  eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
});

afterAll(async () => {
  await app?.stop();
  await search?.close();
  db?.close();
  await slack?.close();
  temp.cleanup();
});

describe('a burst of mentions', () => {
  it('acks every one, tells the queued ones to wait, and answers all from the index', async () => {
    const tsOf = (i: number) => `1700001${String(i).padStart(3, '0')}.000100`;
    const responses = await Promise.all(
      Array.from({ length: MENTIONS }, (_, i) =>
        postToSlackApp(eventsUrl, SECRET, {
          kind: 'event',
          payload: appMentionEnvelope({ text: `<@${slack.botUserId}> where are the settings loaded? (${i})`, ts: tsOf(i), event_id: `EvBurst${i}` }),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array<number>(MENTIONS).fill(200));

    // Every asker has a placeholder in their thread while answers are held back.
    for (let i = 0; i < MENTIONS; i++) await slack.waitFor('chat.postMessage', (c) => c.body.thread_ts === tsOf(i));
    // Those beyond the first MAX_AT_ONCE are told they are waiting their turn.
    const waiting = new Set<unknown>();
    while (waiting.size < MENTIONS - MAX_AT_ONCE) {
      const call = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('Waiting for my turn') && !waiting.has(c.body.ts));
      waiting.add(call.body.ts);
    }
    release();

    await app.idle();
    const finals = slack.callsTo('chat.update').filter((c) => JSON.stringify(c.body).includes('src/settings.ts'));
    const placeholders = slack.callsTo('chat.postMessage').map((c) => c.body.ts ?? c.response?.body.ts);
    expect(new Set(finals.map((c) => c.body.ts)).size).toBe(MENTIONS);
    for (const ts of finals.map((c) => c.body.ts)) expect(placeholders).toContain(ts);
    expect(JSON.stringify(finals[0]!.body)).toContain('loadSettings');
    expect(slack.callsTo('reactions.remove')).toHaveLength(MENTIONS);
    expect(slack.unexpected).toEqual([]);
  });
});
