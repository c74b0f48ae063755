/**
 * The foundation issue's acceptance, end to end: the real composition root (search, answer loop,
 * Slack app) with the real Bolt HTTP receiver, the real Slack WebClient and the real openai SDK,
 * talking to local fakes. Nothing is mocked but the three remote services.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { type FakeOpenAI, startFakeOpenAI, textReply, toolCallReply } from '../harness/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { appMentionEnvelope, postToSlackApp, threadReplyEnvelope } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const SECRET = 'e2e-signing-secret';
const CONFIG_TS = [
  "import { z } from 'zod';",
  '',
  '/** Reads settings from the environment once at startup. */',
  'export function loadSettings(env: Record<string, string>) {',
  "  return z.object({ port: z.coerce.number() }).parse({ port: env.PORT });",
  '}',
  '',
].join('\n');

let slack: FakeSlack;
let openai: FakeOpenAI;
let stop: () => Promise<void>;
let eventsUrl: string;
let commit: string;
const temp = makeTempDir('teammate-e2e-');

beforeAll(async () => {
  slack = await startFakeSlack();
  openai = await startFakeOpenAI();
  // An owner/name repository whose clone already exists under the data dir: permalinks point at GitHub.
  commit = makeGitRepo(path.join(temp.dir, 'repos', 'acme', 'widgets'), {
    'src/settings.ts': CONFIG_TS,
    'src/server.ts': "import { loadSettings } from './settings';\nexport const settings = loadSettings(process.env as never);\n",
    'README.md': '# widgets\n',
  });
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-e2e',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      OPENAI_API_KEY: 'sk-e2e',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      TEAMMATE_REPOS: 'acme/widgets',
      TEAMMATE_DATA_DIR: temp.dir,
    },
    { cwd: temp.dir },
  );
  const db = openDatabase(path.join(temp.dir, 'teammate.db'));
  migrate(db);
  const logger = silentLogger();
  const repos = reposOf(config);
  // The graph `teammate start` runs, built by the same composition root.
  const app = createApp({ config, logger, db, repos }, { refreshOnStart: false });
  await app.services.search.index(repos[0]!);
  const { slackPort } = await app.start();
  eventsUrl = `http://127.0.0.1:${slackPort}/slack/events`;
  stop = async () => {
    await app.stop();
    db.close();
  };
});

afterAll(async () => {
  await stop?.();
  await slack?.close();
  await openai?.close();
  temp.cleanup();
});

const permalink = () => `https://github.com/acme/widgets/blob/${commit}/src/settings.ts#L3-L6`;

describe('asking Teammate in Slack', () => {
  const mentionTs = '1700000100.000100';

  it('acks the mention before the model answers, then answers in the thread with valid citations', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    openai.enqueue(
      async () => {
        await gate;
        return toolCallReply([{ name: 'search_code', arguments: { query: 'load settings environment' } }]);
      },
      textReply('Settings are loaded once at startup by `loadSettings` (src/settings.ts:3-6), called from src/server.ts:2. See also src/nowhere.ts:1-2.'),
    );
    const res = await postToSlackApp(eventsUrl, SECRET, {
      kind: 'event',
      payload: appMentionEnvelope({ text: `<@${slack.botUserId}> where is the configuration loaded?`, ts: mentionTs, event_id: 'EvE2E1' }),
    });
    // Acked while the model's first reply is still held back by the gate: no answer can exist yet.
    expect(res.status).toBe(200);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
    release();

    const update = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('loadSettings'), 15_000);
    const placeholder = slack.callsTo('chat.postMessage')[0]!;
    expect(placeholder.body.thread_ts).toBe(mentionTs);
    expect(update.body.ts).toBeDefined();
    const text = JSON.stringify(update.body.blocks ?? update.body.text);
    expect(text).toContain(permalink());
    expect(text).toContain(`https://github.com/acme/widgets/blob/${commit}/src/server.ts#L2`);
    expect(text).not.toContain('src/nowhere.ts');
    expect(slack.callsTo('reactions.add')[0]?.body).toMatchObject({ name: 'eyes', timestamp: mentionTs });
    // The model was told what it answers about and that the data it reads is untrusted.
    const system = openai.chatRequests()[0]!.body.messages[0].content as string;
    expect(system).toMatch(/untrusted/i);
    openai.assertDone();
  });

  it('does not answer a retried delivery of the same event twice', async () => {
    const postsBefore = slack.callsTo('chat.postMessage').length;
    const modelCallsBefore = openai.chatRequests().length;
    const res = await postToSlackApp(eventsUrl, SECRET, {
      kind: 'event',
      retryNum: 1,
      payload: appMentionEnvelope({ text: `<@${slack.botUserId}> where is the configuration loaded?`, ts: mentionTs, event_id: 'EvE2E1' }),
    });
    expect(res.status).toBe(200);
    // Give a wrongly-accepted retry every chance to show up before asserting it didn't.
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    expect(openai.chatRequests()).toHaveLength(modelCallsBefore);
  });

  it('answers a follow-up in the thread without a mention, using the thread history', async () => {
    const followTs = '1700000200.000200';
    slack.setThread('C1', mentionTs, [
      { ts: mentionTs, user: 'U1', text: `<@${slack.botUserId}> where is the configuration loaded?` },
      { ts: '1700000100.000900', user: slack.botUserId, bot_id: slack.botId, text: 'Settings are loaded once at startup by loadSettings.' },
      { ts: followTs, user: 'U1', text: 'which variable sets the port?' },
    ]);
    openai.enqueue(textReply('`PORT`, parsed as a number in src/settings.ts:5.'));
    const res = await postToSlackApp(eventsUrl, SECRET, {
      kind: 'event',
      payload: threadReplyEnvelope({ text: 'which variable sets the port?', ts: followTs, thread_ts: mentionTs, event_id: 'EvE2E2' }),
    });
    expect(res.status).toBe(200);
    const update = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('PORT'), 15_000);
    expect(JSON.stringify(update.body.blocks ?? update.body.text)).toContain(`https://github.com/acme/widgets/blob/${commit}/src/settings.ts#L5`);
    const lastRequest = openai.chatRequests().at(-1)!;
    const conversation = JSON.stringify(lastRequest.body.messages);
    expect(conversation).toContain('where is the configuration loaded?');
    expect(conversation).toContain('loaded once at startup by loadSettings');
    expect(conversation).toContain('which variable sets the port?');
    openai.assertDone();
    expect(slack.unexpected).toEqual([]);
  });

  it('rejects unsigned and stale requests with 401', async () => {
    const payload = appMentionEnvelope({ text: 'hi', ts: '1700000300.000300' });
    expect((await postToSlackApp(eventsUrl, SECRET, { kind: 'event', payload, badSignature: true })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect((await postToSlackApp(eventsUrl, SECRET, { kind: 'event', payload, timestamp: stale })).status).toBe(401);
  });
});
