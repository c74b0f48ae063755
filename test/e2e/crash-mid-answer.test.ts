/**
 * A question cut off by a crash is still answered, once: the built `teammate start` binary is
 * killed with SIGKILL while the (fake) model holds its reply, restarted on the same database, and
 * Slack redelivers the event (X-Slack-Retry-Num: 1) and sends the message twin. The restarted
 * process resumes the unfinished question in the original placeholder; nothing answers twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../harness/cli.js';
import { type FakeOpenAI, startFakeOpenAI, textReply } from '../harness/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { freePort } from '../harness/ports.js';
import { appMentionEnvelope, channelMessageEnvelope, postRawToSlackApp, postToSlackApp } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const SECRET = 'crash-secret';
const temp = makeTempDir('teammate-crash-');
const children: ChildProcess[] = [];
let slack: FakeSlack | undefined;
let openai: FakeOpenAI | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await slack?.close();
  await openai?.close();
  temp.cleanup();
});

function startTeammate(env: Record<string, string>): { child: ChildProcess; logs: () => string } {
  let logs = '';
  const child = spawn(process.execPath, [CLI, 'start'], {
    cwd: temp.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin', HOME: temp.dir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (logs += d));
  child.stderr?.on('data', (d) => (logs += d));
  children.push(child);
  return { child, logs: () => logs };
}

async function waitForHealthy(url: string, logs: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`teammate start never became healthy:\n${logs()}`);
}

async function until(what: string, check: () => boolean, timeoutMs: number, logs: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nlogs:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a crash in the middle of an answer', () => {
  it('is answered exactly once after a restart, in the original placeholder, despite the redelivery and the twin', { timeout: 90_000 }, async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    const repo = path.join(temp.dir, 'service');
    makeGitRepo(repo, { 'src/retry-webhooks.ts': 'export function retryFailedWebhooks(queue: string[]) {\n  return queue.map((id) => `retry ${id}`);\n}\n' });
    const port = await freePort();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      OPENAI_API_KEY: 'sk-crash-test',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      TEAMMATE_REPOS: repo,
      TEAMMATE_DATA_DIR: temp.dir,
    };
    const base = `http://127.0.0.1:${port}`;
    const ts = '1700007000.000100';
    const mention = appMentionEnvelope({ text: `<@${slack.botUserId}> where do we retry failed webhooks?`, ts, event_id: 'EvCrash1' });

    // The first model call never returns: the process is killed while it waits.
    openai.enqueue(() => new Promise(() => undefined));
    const first = startTeammate(env);
    await waitForHealthy(`${base}/healthz`, first.logs);
    expect((await postToSlackApp(`${base}/slack/events`, SECRET, { kind: 'event', payload: mention })).status).toBe(200);
    await until('the model call', () => openai!.chatRequests().length === 1, 30_000, first.logs);
    const placeholder = slack.callsTo('chat.postMessage').find((c) => String(c.body.text).includes('Looking into it'));
    expect(placeholder).toBeDefined();
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const answer = 'Failed webhooks are retried by `retryFailedWebhooks` (src/retry-webhooks.ts:1-3).';
    openai.enqueue(textReply(answer));
    const second = startTeammate(env);
    await waitForHealthy(`${base}/healthz`, second.logs);
    // Nothing a client sends may take it down either.
    expect((await postRawToSlackApp(`${base}/slack/events`, SECRET, 'null', 'application/json')).status).toBe(400);
    expect((await postToSlackApp(`${base}/slack/events`, SECRET, { kind: 'event', payload: mention, retryNum: 1 })).status).toBe(200);
    const twin = channelMessageEnvelope({ text: `<@${slack.botUserId}> where do we retry failed webhooks?`, ts, event_id: 'EvCrash2' });
    expect((await postToSlackApp(`${base}/slack/events`, SECRET, { kind: 'event', payload: twin })).status).toBe(200);

    const delivered = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('retryFailedWebhooks'), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\nlogs:\n${second.logs()}`);
    });
    // Give a second answer every chance to show up before asserting there is none.
    await new Promise((r) => setTimeout(r, 1500));
    const answers = slack.calls.filter((c) => (c.method === 'chat.update' || c.method === 'chat.postMessage') && JSON.stringify(c.body).includes('retryFailedWebhooks'));
    expect(answers).toHaveLength(1);
    expect(delivered.body.ts).toBe(placeholder!.response?.body.ts);
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes('Looking into it'))).toHaveLength(1);
    expect(openai.chatRequests()).toHaveLength(2);
    expect(slack.callsTo('reactions.remove').some((c) => c.body.timestamp === ts)).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
