/**
 * `teammate start` as an operator runs it: the built binary, configured only through the
 * environment, connects to (fake) Slack over HTTP and answers a signed @mention in its thread.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../harness/cli.js';
import { startFakeSlack } from '../harness/fake-slack.js';
import { freePort } from '../harness/ports.js';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const temp = makeTempDir('teammate-start-');
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGTERM');
  temp.cleanup();
});


async function waitForHealthy(url: string, logs: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`teammate start never became healthy:\n${logs()}`);
}

describe('teammate start with Slack tokens', () => {
  it('serves /healthz and answers a mention in its thread over the HTTP receiver', { timeout: 60_000 }, async () => {
    const slack = await startFakeSlack();
    const repo = path.join(temp.dir, 'service');
    makeGitRepo(repo, { 'src/retry-webhooks.ts': 'export function retryFailedWebhooks(queue: string[]) {\n  return queue.map((id) => `retry ${id}`);\n}\n' });
    const port = await freePort();
    let logs = '';
    child = spawn(process.execPath, [CLI, 'start'], {
      cwd: temp.dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin',
        HOME: temp.dir,
        SLACK_BOT_TOKEN: 'xoxb-start-test',
        SLACK_SIGNING_SECRET: 'start-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        TEAMMATE_REPOS: repo,
        TEAMMATE_DATA_DIR: temp.dir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (logs += d));
    child.stderr?.on('data', (d) => (logs += d));
    await waitForHealthy(`http://127.0.0.1:${port}/healthz`, () => logs);

    const ts = '1700000500.000100';
    const res = await postToSlackApp(`http://127.0.0.1:${port}/slack/events`, 'start-secret', {
      kind: 'event',
      payload: appMentionEnvelope({ text: `<@${slack.botUserId}> where do we retry failed webhooks?`, ts }),
    });
    expect(res.status).toBe(200);
    const update = await slack
      .waitFor('chat.update', (c) => JSON.stringify(c.body).includes('retry-webhooks'), 20_000)
      .catch((err: Error) => {
        throw new Error(`${err.message}\nSlack calls: ${JSON.stringify(slack.calls.map((c) => [c.method, c.body]))}\nlogs:\n${logs}`);
      });
    expect(slack.callsTo('chat.postMessage')[0]?.body.thread_ts).toBe(ts);
    expect(JSON.stringify(update.body)).toContain('src/retry-webhooks.ts:1');
    // Logs are structured and never carry the token.
    expect(logs).toContain('Teammate is connected to Slack');
    // Once the index is up to date the search workers start and warm their caches (ahead of questions).
    for (let i = 0; i < 100 && !logs.includes('search caches warmed'); i++) await new Promise((r) => setTimeout(r, 100));
    const warmed = logs.split('\n').find((l) => l.includes('search caches warmed'));
    expect(warmed, logs).toBeDefined();
    expect((JSON.parse(warmed!) as { workers: number }).workers).toBeGreaterThanOrEqual(1);
    expect(logs).not.toContain('xoxb-start-test');
    await slack.close();
  });
});
