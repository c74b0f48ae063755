/**
 * The placeholder's progress line quotes what the model chose (a search query, a file path). It
 * goes through the real Bolt app and WebClient to the fake Slack: Slack's control sequences
 * (`<!channel>`, `<!here>`, `<url|label>`) must arrive escaped, and tokens scrubbed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { type FakeOpenAI, startFakeOpenAI, textReply, toolCallReply } from '../harness/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { startIndexedSlackApp } from '../harness/indexed-slack-app.js';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const SIGNING_SECRET = 'progress-e2e-signing-secret';
const BOT_TOKEN = ['xoxb', '1234567890', 'abcdefghijkl'].join('-');
let slack: FakeSlack;
let openai: FakeOpenAI;
let eventsUrl: string;
let stop: () => Promise<void>;
const temp = makeTempDir('teammate-progress-');

beforeAll(async () => {
  slack = await startFakeSlack();
  openai = await startFakeOpenAI();
  const repoDir = path.join(temp.dir, 'shop');
  makeGitRepo(repoDir, { 'src/cart.ts': 'export function addToCart(id: string) {\n  return id;\n}\n' });
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-progress-e2e',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      OPENAI_API_KEY: 'sk-progress-e2e',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      TEAMMATE_REPOS: repoDir,
      TEAMMATE_DATA_DIR: temp.dir,
    },
    { cwd: temp.dir },
  );
  ({ eventsUrl, stop } = await startIndexedSlackApp(config, silentLogger(), { progressIntervalMs: 20 }));
});

afterAll(async () => {
  await stop?.();
  await slack?.close();
  await openai?.close();
  temp.cleanup();
});

describe('the progress line', () => {
  it('escapes mentions and links the model put in a tool call, and scrubs tokens', async () => {
    const hostile = `<!channel> <!here> <https://evil.example/login|click here> ${BOT_TOKEN} addToCart`;
    openai.enqueue(
      toolCallReply([{ name: 'search_code', arguments: { query: hostile } }]),
      // Held back so the progress update is sent before the answer replaces it.
      textReply('addToCart is in src/cart.ts:1-3.', { delayMs: 400 }),
    );
    const res = await postToSlackApp(eventsUrl, SIGNING_SECRET, {
      kind: 'event',
      payload: appMentionEnvelope({ text: `<@${slack.botUserId}> where is the cart?`, ts: '1700000700.000100', event_id: 'EvProgress1' }),
    });
    expect(res.status).toBe(200);
    const progress = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('Searching for'), 10_000);
    await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('src/cart.ts'), 10_000);
    openai.assertDone();

    const sent = JSON.stringify(progress.body);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<!here>');
    expect(sent).not.toContain('<https://evil.example');
    expect(sent).not.toContain(BOT_TOKEN);
    expect(sent).toContain('&lt;!channel&gt;');
    expect(sent).toContain('[REDACTED]');
  });
});
