import { afterEach, describe, expect, it } from 'vitest';
import {
  appHomeOpenedEnvelope,
  appMentionEnvelope,
  blockActionPayload,
  postToSlackApp,
  slashCommandBody,
} from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, defaultAnswer, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const fences = (s: string) => s.split('```').length - 1;

describe('Slack interactions', () => {
  it('delivers a long answer as the updated placeholder plus more messages in the thread, all within limits', async () => {
    const code = Array.from({ length: 120 }, (_, i) => `  step${i}(); // ${'detail '.repeat(3)}`).join('\n');
    const text = Array.from({ length: 6 }, (_, i) => `Part ${i}: ${'explanation '.repeat(60)}\n\n\`\`\`ts\n${code}\n\`\`\``).join('\n\n');
    expect(text.length).toBeGreaterThan(20_000);
    const script = scriptedAnswers(() => ({ text, citations: [], mode: 'llm' }));
    t = await startTestApp(script.answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> explain it all', ts: '1700002000.000100' }) });
    await t.app.idle();

    const update = t.slack.callsTo('chat.update').at(-1)!;
    const more = t.slack.callsTo('chat.postMessage').slice(1);
    expect(more.length).toBeGreaterThan(0);
    for (const m of more) expect(m.body.thread_ts).toBe('1700002000.000100');
    const bodies = [update, ...more].map((c) => c.body as { text: string; blocks: Array<{ type: string; text?: { text: string } }> });
    for (const b of bodies) {
      expect(b.text.length).toBeGreaterThan(0);
      expect(b.blocks.length).toBeLessThanOrEqual(50);
      for (const block of b.blocks.filter((x) => x.type === 'section')) {
        expect(block.text!.text.length).toBeLessThanOrEqual(3000);
        expect(fences(block.text!.text) % 2).toBe(0);
      }
    }
    for (let i = 0; i < 6; i++) expect(JSON.stringify(bodies)).toContain(`Part ${i}:`);
    expect(JSON.stringify(bodies.at(-1)!.blocks)).toContain('answer_feedback_up');
  });

  it('updates the placeholder with progress while the answer is pending', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t = await startTestApp(async (q) => {
      q.onProgress?.('searching for `login`');
      await gate;
      return defaultAnswer(q);
    });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> login?', ts: '1700002100.000100' }) });
    const progress = await t.slack.waitFor('chat.update', (c) => String(c.body.text).includes('searching for'));
    expect(progress.body.text).toBe('Looking into it…\n_searching for `login`_');
    release();
    await t.app.idle();
    expect(JSON.stringify(t.slack.callsTo('chat.update').at(-1)!.body.blocks)).toContain('src/a.ts:1-3');
  });

  it('uses the repository the question names', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> in acme/web: where is the router?', ts: '1700002200.000100' }) });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> does acme/web use redux?', ts: '1700002200.000200' }) });
    await t.app.idle();
    expect(script.questions.map((q) => [q.repo.id, q.text])).toEqual([
      ['acme/web', 'where is the router?'],
      ['acme/web', 'does acme/web use redux?'],
    ]);
  });

  it('stores a feedback click (latest vote per user wins) and thanks the clicker', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> hi?', ts: '1700002300.000100' }) });
    await t.app.idle();
    const { id } = t.db.prepare('SELECT id FROM answers').get() as { id: number };
    const up = await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'answer_feedback_up', value: String(id), user: 'U7' }) });
    expect(up.status).toBe(200);
    await t.app.idle();
    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'answer_feedback_down', value: String(id), user: 'U7' }) });
    await t.app.idle();
    expect(t.db.prepare('SELECT answer_id, user_id, value FROM answer_feedback').all()).toEqual([{ answer_id: id, user_id: 'U7', value: 'down' }]);
    const thanks = t.slack.callsTo('chat.postEphemeral');
    expect(thanks).toHaveLength(2);
    expect(thanks[0]!.body).toMatchObject({ channel: 'C1', user: 'U7', text: 'Thanks for the feedback!' });

    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'answer_feedback_up', value: '99999', user: 'U7' }) });
    await t.app.idle();
    expect(t.slack.callsTo('chat.postEphemeral').at(-1)!.body.text).toContain("couldn't find that answer");
  });

  it('/teammate help (and empty) answer privately in the ack', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    for (const text of ['help', '']) {
      const res = await postToSlackApp(t.url, SECRET, { kind: 'command', payload: slashCommandBody({ text }) });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as { response_type: string; text: string };
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toContain('/teammate ask');
    }
    expect(script.questions).toHaveLength(0);
    expect(t.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('/teammate ask acks at once, then answers in the channel', async () => {
    const script = scriptedAnswers();
    const release = script.hold();
    t = await startTestApp(script.answerQuestion);
    const res = await postToSlackApp(t.url, SECRET, { kind: 'command', payload: slashCommandBody({ text: 'ask where is auth?', user: 'U5' }) });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    release();
    await t.app.idle();
    const post = t.slack.callsTo('chat.postMessage')[0]!;
    expect(post.body.channel).toBe('C1');
    expect(post.body.thread_ts).toBeUndefined();
    const update = t.slack.callsTo('chat.update')[0]!;
    expect(update.body.ts).toBe(post.response?.body.ts);
    expect(JSON.stringify(update.body.blocks)).toContain('<@U5> asked: where is auth?');
    expect(script.questions[0]!.text).toBe('where is auth?');
  });

  it('/teammate in a channel the bot is not in answers privately through response_url', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    t.slack.setNotInChannel('C9');
    await postToSlackApp(t.url, SECRET, {
      kind: 'command',
      payload: slashCommandBody({ text: 'how is billing done?', channel: 'C9', response_url: t.slack.responseUrl('r1') }),
    });
    await t.app.idle();
    const responses = t.slack.callsTo('response_url');
    expect(responses.length).toBeGreaterThanOrEqual(2);
    expect(responses.every((r) => r.body.response_type === 'ephemeral')).toBe(true);
    expect(JSON.stringify(responses.at(-1)!.body.blocks)).toContain('src/a.ts:1-3');
    expect(script.questions[0]!.text).toBe('how is billing done?');
  });

  it('publishes the Home tab when it is opened', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appHomeOpenedEnvelope({ user: 'U3' }) });
    const publish = await t.slack.waitFor('views.publish');
    expect(publish.body.user_id).toBe('U3');
    expect(JSON.stringify(publish.body.view)).toContain('acme/web');
    expect(t.slack.unexpected).toEqual([]);
  });
});
