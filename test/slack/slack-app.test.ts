import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { createSlackApp } from '../../src/slack/slack-app.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { startFakeSlack } from '../harness/fake-slack.js';
import {
  appMentionEnvelope,
  botMessageEnvelope,
  channelMessageEnvelope,
  dmEnvelope,
  postToSlackApp,
  threadReplyEnvelope,
} from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const mention = (text: string) => `<@UBOT> ${text}`;

describe('Slack app over the HTTP receiver', () => {
  it('acks an app_mention while the answer is pending, then updates the placeholder in the thread', async () => {
    const script = scriptedAnswers();
    const release = script.hold();
    t = await startTestApp(script.answerQuestion);
    const res = await postToSlackApp(t.url, SECRET, {
      kind: 'event',
      payload: appMentionEnvelope({ text: mention('where is login?'), ts: '1700000100.000100', event_id: 'Ev1' }),
    });
    expect(res.status).toBe(200);
    // The scripted answer is still held: the HTTP response cannot have waited for it.
    const placeholder = await t.slack.waitFor('chat.postMessage');
    expect(placeholder.body.thread_ts).toBe('1700000100.000100');
    expect(placeholder.body.text).toContain('Looking into it');
    expect(t.slack.callsTo('chat.update')).toHaveLength(0);
    release();
    await t.app.idle();

    const update = t.slack.callsTo('chat.update').at(-1)!;
    expect(update.body.channel).toBe('C1');
    const placeholderTs = placeholder.response?.body.ts as string;
    expect(placeholderTs).toMatch(/^\d+\.\d+$/);
    expect(update.body.ts).toBe(placeholderTs);
    expect(JSON.stringify(update.body.blocks)).toContain('src/a.ts:1-3');
    expect(JSON.stringify(update.body.blocks)).toContain('extractive: no model configured');
    expect(script.questions[0]!.text).toBe('where is login?');
    expect(script.questions[0]!.repo.id).toBe('acme/api');
    expect(t.slack.callsTo('reactions.add')[0]!.body).toMatchObject({ name: 'eyes', timestamp: '1700000100.000100', channel: 'C1' });
    expect(t.slack.callsTo('reactions.remove')[0]!.body).toMatchObject({ name: 'eyes', timestamp: '1700000100.000100' });
    const row = t.db.prepare('SELECT surface, channel, question_ts, message_ts, repo_id, mode FROM answers').get();
    expect(row).toEqual({ surface: 'slack', channel: 'C1', question_ts: '1700000100.000100', message_ts: placeholderTs, repo_id: 'acme/api', mode: 'extractive' });
    expect(t.slack.unexpected).toEqual([]);
  });

  it('refuses a bad signature, a stale and a future timestamp with 401 and answers none of them', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    const payload = appMentionEnvelope({ text: mention('hi'), ts: '1700000200.000100' });
    const now = Math.floor(Date.now() / 1000);
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload, badSignature: true })).status).toBe(401);
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload, timestamp: now - 600 })).status).toBe(401);
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload, timestamp: now + 600 })).status).toBe(401);
    // Within the window either way is fine.
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload, timestamp: now + 60 })).status).toBe(200);
    await t.app.idle();
    expect(script.questions).toHaveLength(1);
  });

  it('answers a retried event (X-Slack-Retry-Num) and the app_mention/message twin once', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    const ts = '1700000300.000100';
    const first = appMentionEnvelope({ text: mention('why?'), ts, event_id: 'EvR1' });
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload: first })).status).toBe(200);
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload: first, retryNum: 1 })).status).toBe(200);
    const twin = channelMessageEnvelope({ text: mention('why?'), ts, event_id: 'EvR2' });
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload: twin })).status).toBe(200);
    expect((await postToSlackApp(t.url, SECRET, { kind: 'event', payload: first, retryNum: 2 })).status).toBe(200);
    await t.app.idle();
    expect(script.questions).toHaveLength(1);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM answers').get()).toEqual({ n: 1 });
    // The bot's identity comes from one auth.test at startup, not one per event.
    expect(t.slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('answers a follow-up in an answered thread without a mention, with the thread history', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    const root = '1700000400.000100';
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: mention('in acme/web: where is the router?'), ts: root }) });
    await t.app.idle();
    const followTs = '1700000400.000900';
    t.slack.setThread('C1', root, [
      { ts: root, user: 'U1', text: mention('in acme/web: where is the router?') },
      { ts: '1700000400.000200', user: 'UBOT', bot_id: 'BBOT', text: 'The router is in src/router.ts.' },
      { ts: '1700000400.000300', user: 'U2', text: 'thanks' },
      { ts: followTs, user: 'U1', text: 'and the middleware?' },
    ]);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: threadReplyEnvelope({ text: 'and the middleware?', ts: followTs, thread_ts: root }) });
    await t.app.idle();
    expect(script.questions).toHaveLength(2);
    const follow = script.questions[1]!;
    expect(follow.text).toBe('and the middleware?');
    // The thread keeps the repository the first question named.
    expect(follow.repo.id).toBe('acme/web');
    expect(follow.history).toEqual([
      { role: 'user', text: 'in acme/web: where is the router?', author: 'U1' },
      { role: 'assistant', text: 'The router is in src/router.ts.' },
      { role: 'user', text: 'thanks', author: 'U2' },
    ]);
    expect(t.slack.callsTo('conversations.replies')[0]!.body).toMatchObject({ channel: 'C1', ts: root });
    const lastPost = t.slack.callsTo('chat.postMessage').at(-1)!;
    expect(lastPost.body.thread_ts).toBe(root);
  });

  it('ignores bot messages, edits and plain channel messages outside answered threads', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: botMessageEnvelope({ text: mention('ping'), ts: '1700000500.000100' }) });
    await postToSlackApp(t.url, SECRET, {
      kind: 'event',
      payload: channelMessageEnvelope({ text: 'edited', ts: '1700000500.000200', extra: { subtype: 'message_changed' } }),
    });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: channelMessageEnvelope({ text: 'lunch?', ts: '1700000500.000300' }) });
    await postToSlackApp(t.url, SECRET, {
      kind: 'event',
      payload: threadReplyEnvelope({ text: 'unrelated thread', ts: '1700000500.000500', thread_ts: '1700000500.000400' }),
    });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: channelMessageEnvelope({ text: 'me', ts: '1700000500.000600', user: 'UBOT' }) });
    await t.app.idle();
    expect(script.questions).toHaveLength(0);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers a DM in the thread of the DM', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: dmEnvelope({ text: 'how do we deploy?', ts: '1700000600.000100' }) });
    await t.app.idle();
    expect(script.questions.map((q) => q.text)).toEqual(['how do we deploy?']);
    expect(t.slack.callsTo('chat.postMessage')[0]!.body).toMatchObject({ channel: 'D1', thread_ts: '1700000600.000100' });
    expect(t.slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('replies with the reason when AnswerQuestion throws', async () => {
    const script = scriptedAnswers(() => {
      throw new Error('index not built for acme/api');
    });
    t = await startTestApp(script.answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: mention('x?'), ts: '1700000700.000100' }) });
    await t.app.idle();
    const update = t.slack.callsTo('chat.update').at(-1)!;
    expect(update.body.text).toContain("I couldn't answer that (index not built for acme/api).");
    expect(t.db.prepare('SELECT mode FROM answers').get()).toEqual({ mode: 'error' });
  });

  it('gives up on an answer that takes too long, aborts it and says so', async () => {
    let signal: AbortSignal | undefined;
    t = await startTestApp(
      (q) => {
        signal = q.signal;
        return new Promise(() => undefined);
      },
      {},
      { answerTimeoutMs: 50 },
    );
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: mention('slow?'), ts: '1700000750.000100' }) });
    await t.app.idle();
    expect(signal?.aborted).toBe(true);
    expect(t.slack.callsTo('chat.update').at(-1)!.body.text).toContain("I couldn't answer that (it took longer than 50 ms; try a narrower question).");
    expect(t.slack.callsTo('reactions.remove')).toHaveLength(1);
  });

  it('says why when the thread history cannot be read', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    t.slack.failNext('conversations.replies', { error: 'missing_scope', data: { needed: 'channels:history' } });
    await postToSlackApp(t.url, SECRET, {
      kind: 'event',
      payload: appMentionEnvelope({ text: mention('more?'), ts: '1700000800.000200', thread_ts: '1700000800.000100' }),
    });
    await t.app.idle();
    const reply = t.slack.callsTo('chat.update').at(-1)!;
    expect(reply.body.text).toContain("I couldn't read the thread history (missing_scope: channels:history).");
    expect(reply.body.text).toContain('Reinstall the app from manifest.yml');
    expect(script.questions).toHaveLength(0);
  });

  it('still delivers when chat.update fails with 500 once (WebClient retry)', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    t.slack.failNext('chat.update', { status: 500 });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: mention('x?'), ts: '1700000900.000100' }) });
    await t.app.idle();
    const updates = t.slack.callsTo('chat.update');
    expect(updates).toHaveLength(2);
    expect(JSON.stringify(updates[1]!.body.blocks)).toContain('src/a.ts:1-3');
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('retries a rate-limited chat.update after Retry-After, and posts anew when the update keeps failing', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    t.slack.failNext('chat.update', { status: 429, retryAfter: 0 });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: mention('a?'), ts: '1700001000.000100' }) });
    await t.app.idle();
    expect(t.slack.callsTo('chat.update')).toHaveLength(2);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);

    for (let i = 0; i < 3; i++) t.slack.failNext('chat.update', { status: 500 });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: mention('b?'), ts: '1700001000.000200' }) });
    await t.app.idle();
    const posts = t.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(3);
    expect(JSON.stringify(posts[2]!.body.blocks)).toContain('src/a.ts:1-3');
    expect(posts[2]!.body.thread_ts).toBe('1700001000.000200');
  });

  it('fails to start with the reason when Slack refuses the bot token', async () => {
    const slack = await startFakeSlack();
    const db = openDatabase(':memory:');
    migrate(db);
    try {
      slack.failNext('auth.test', { error: 'invalid_auth' });
      const app = createSlackApp({
        slack: { mode: 'http', botToken: 'xoxb-bad', signingSecret: SECRET, apiUrl: slack.apiUrl, port: 0, admins: [] },
        logger: silentLogger(),
        db,
        answerQuestion: scriptedAnswers().answerQuestion,
        repos: [],
      });
      await expect(app.start()).rejects.toThrow("Slack refused Teammate's bot token (invalid_auth). Check SLACK_BOT_TOKEN");
      expect(app.port).toBeUndefined();
    } finally {
      db.close();
      await slack.close();
    }
  });

  it('serves /healthz and 404s other paths', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const base = t.url.replace('/slack/events', '');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
