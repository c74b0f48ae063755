/**
 * Change requests through the real pipeline: createApp with its Bolt HTTP receiver, signed events
 * and clicks like Slack sends them, the fake Slack recording what the app calls. A request in a
 * thread becomes one proposal card in that thread; the requester cannot approve it; someone else can.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { errorReply, startFakeOpenAI, textReply } from '../harness/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { appMentionEnvelope, blockActionPayload, postToSlackApp, slashCommandBody } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const SECRET = 'request-signing-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(env: Record<string, string> = {}) {
  const temp = makeTempDir('teammate-request-');
  cleanups.push(() => temp.cleanup());
  const root = path.join(temp.dir, 'repo');
  makeGitRepo(root, { 'src/fetch.ts': 'export const get = (u: string) => fetch(u);\n' });
  const slack = await startFakeSlack();
  cleanups.push(() => slack.close());
  const config = loadConfig(
    { TEAMMATE_REPOS: root, TEAMMATE_DATA_DIR: temp.dir, TEAMMATE_REFRESH_CRON: 'off', TEAMMATE_WORKERS: '0', SLACK_BOT_TOKEN: 'xoxb-request', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', ...env },
    { cwd: temp.dir },
  );
  const db = openDatabase(':memory:');
  migrate(db);
  cleanups.push(() => db.close());
  const repos = reposOf(config);
  const app = createApp({ config, logger: silentLogger(), db, repos }, { refreshOnStart: false, slack: { host: '127.0.0.1', retryConfig: { retries: 1, minTimeout: 5, maxTimeout: 10, factor: 1, randomize: false } } });
  cleanups.push(() => app.stop());
  const { slackPort } = await app.start();
  return { slack, db, store: createProposalStore(db), url: `http://127.0.0.1:${slackPort}/slack/events` };
}

/** Listeners run after the ack: wait for a first new call, then until none came for a moment. */
async function waitForQuiet(slack: FakeSlack, baseline: number, quietMs = 200): Promise<void> {
  for (let i = 0; i < 200 && slack.calls.length <= baseline; i++) await new Promise((r) => setTimeout(r, 25));
  let seen = -1;
  while (seen !== slack.calls.length) {
    seen = slack.calls.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

const cardsIn = (slack: FakeSlack) => slack.callsTo('chat.postMessage').filter((c) => /proposal\.approve/.test(JSON.stringify(c.body.blocks ?? [])));

describe('a change request in a thread', () => {
  it('posts one proposal card in the thread, even when Slack retries the delivery; only someone else can approve it', async () => {
    const h = await start();
    const THREAD = '1700030000.000100';
    h.slack.setThread('C1', THREAD, [
      { ts: THREAD, text: 'the nightly sync fails when the API times out', user: 'U2' },
      { ts: '1700030001.000100', text: `<@UBOT> task: add a retry to the fetch`, user: 'U1' },
    ]);
    const event = appMentionEnvelope({ text: '<@UBOT> task: add a retry to the fetch', ts: '1700030001.000100', thread_ts: THREAD, user: 'U1', event_id: 'EvREQ1' });
    let baseline = h.slack.calls.length;
    expect((await postToSlackApp(h.url, SECRET, { kind: 'event', payload: event })).status).toBe(200);
    await waitForQuiet(h.slack, baseline);
    // Slack retries the same delivery (our ack was slow), with a retry header.
    expect((await postToSlackApp(h.url, SECRET, { kind: 'event', payload: event, retryNum: 1 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));

    const cards = cardsIn(h.slack);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.body).toMatchObject({ channel: 'C1', thread_ts: THREAD });
    expect(JSON.stringify(cards[0]!.body.blocks)).toContain('add a retry to the fetch');
    // It did not answer the message as a question.
    expect(h.slack.callsTo('reactions.add')).toHaveLength(0);

    const pending = h.store.listPending();
    expect(pending).toHaveLength(1);
    const p = pending[0]!;
    expect(p).toMatchObject({ scanner: 'request', rule: 'request.change', fingerprint: 'request:C1:1700030001.000100', requestedBy: 'U1', channel: 'C1', messageTs: String(cards[0]!.response?.body.ts), title: 'add a retry to the fetch' });
    // The thread's history is the task's context.
    expect(p.finding.suggestedTask).toContain('the nightly sync fails when the API times out');

    const click = async (user: string, n: number) => {
      baseline = h.slack.calls.length;
      const payload = blockActionPayload({ action_id: 'proposal.approve', value: String(p.id), user, channel: 'C1', message_ts: p.messageTs!, action_ts: `1700040000.00000${n}` });
      expect((await postToSlackApp(h.url, SECRET, { kind: 'action', payload })).status).toBe(200);
      await waitForQuiet(h.slack, baseline);
    };
    await click('U1', 1);
    expect(String(h.slack.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain('someone else has to approve');
    expect(h.store.listTasks()).toHaveLength(0);
    expect(h.store.get(p.id)!.state).toBe('pending');

    await click('U2', 2);
    const tasks = h.store.listTasks();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ proposalId: p.id, status: 'queued' });
    expect(h.store.get(p.id)).toMatchObject({ state: 'approved', decidedBy: 'U2' });
  });

  it('answers a plain mention as a question (no model configured, so only `task: …` is a request)', async () => {
    const h = await start();
    const baseline = h.slack.calls.length;
    await postToSlackApp(h.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> can you add a retry to the fetch?', ts: '1700031000.000100', user: 'U1' }) });
    await waitForQuiet(h.slack, baseline);
    expect(cardsIn(h.slack)).toHaveLength(0);
    expect(h.store.listPending()).toHaveLength(0);
    expect(h.slack.callsTo('reactions.add')).toHaveLength(1);
  });

  it('`/teammate task …` posts the card in the channel', async () => {
    const h = await start();
    const baseline = h.slack.calls.length;
    const res = await postToSlackApp(h.url, SECRET, { kind: 'command', payload: slashCommandBody({ text: 'task add a retry to the fetch', user: 'U3', channel: 'C1', response_url: h.slack.responseUrl('r1') }) });
    expect(res.status).toBe(200);
    await waitForQuiet(h.slack, baseline);
    const cards = cardsIn(h.slack);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.body.channel).toBe('C1');
    expect(cards[0]!.body.thread_ts).toBeUndefined();
    expect(h.store.listPending()[0]).toMatchObject({ scanner: 'request', requestedBy: 'U3', title: 'add a retry to the fetch', channel: 'C1' });
  });

  describe('with a model configured', () => {
    async function withModel() {
      const ai = await startFakeOpenAI();
      cleanups.push(() => ai.close());
      return { ai, h: await start({ OPENAI_API_KEY: 'sk-test-request', OPENAI_BASE_URL: ai.baseUrl, OPENAI_MAX_RETRIES: '0' }) };
    }

    it('a plain "can you fix this?" the model classifies as a change request becomes a card', async () => {
      const { ai, h } = await withModel();
      ai.enqueue(textReply('{"change_request": true}'));
      const baseline = h.slack.calls.length;
      await postToSlackApp(h.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> can you add a retry to the fetch?', ts: '1700032000.000100', user: 'U1' }) });
      await waitForQuiet(h.slack, baseline);
      ai.assertDone();
      // One short call with a strict JSON answer.
      expect(ai.chatRequests()).toHaveLength(1);
      expect(JSON.stringify(ai.chatRequests()[0]!.body.messages)).toContain('change_request');
      const cards = cardsIn(h.slack);
      expect(cards).toHaveLength(1);
      expect(cards[0]!.body.thread_ts).toBe('1700032000.000100');
      expect(h.store.listPending()[0]).toMatchObject({ scanner: 'request', requestedBy: 'U1', title: 'can you add a retry to the fetch?' });
    });

    it('a model error while classifying falls back to answering the question', async () => {
      const { ai, h } = await withModel();
      ai.enqueue(errorReply(500), textReply('The fetch lives in src/fetch.ts.'));
      const baseline = h.slack.calls.length;
      await postToSlackApp(h.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> can you add a retry to the fetch?', ts: '1700033000.000100', user: 'U1' }) });
      await waitForQuiet(h.slack, baseline, 400);
      ai.assertDone();
      expect(JSON.stringify(h.slack.calls.filter((c) => c.method === 'chat.update' || c.method === 'chat.postMessage').map((c) => c.body))).toContain('src/fetch.ts');
      expect(cardsIn(h.slack)).toHaveLength(0);
      expect(h.store.listPending()).toHaveLength(0);
      expect(h.slack.callsTo('reactions.add')).toHaveLength(1);
    });
  });
});
