/**
 * A burst of Slack 429s while delivering must not throw away the answer the model wrote: it is
 * delivered once Slack allows (after each Retry-After, within a bound), and when the placeholder
 * could not be updated and the answer went out as a new message, the placeholder is removed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const isAnswer = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? '').includes('src/a.ts:1-3');

describe('delivering an answer through Slack rate limits', () => {
  it('keeps the answer through a burst of 429s on chat.update and chat.postMessage, waiting Retry-After', async () => {
    const script = scriptedAnswers();
    const release = script.hold();
    t = await startTestApp(script.answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> where is auth?', ts: '1700005000.000100' }) });
    const placeholder = await t.slack.waitFor('chat.postMessage');
    // The burst starts once the answer is ready: every update and the next posts are refused.
    t.slack.failNext('chat.update', { status: 429, retryAfter: 1 });
    for (let i = 0; i < 7; i++) t.slack.failNext('chat.update', { status: 429, retryAfter: 0 });
    for (let i = 0; i < 5; i++) t.slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    release();
    await t.app.idle();

    const delivered = t.slack.calls.filter((c) => (c.method === 'chat.update' || c.method === 'chat.postMessage') && c.response?.status === 200 && isAnswer(c.body));
    expect(delivered).toHaveLength(1);
    const updates = t.slack.callsTo('chat.update');
    // Retry-After was honoured: the second attempt came at least a second after the first.
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(900);
    // No "I couldn't…" reply replaced the answer, and the stored answer is the model's.
    expect(t.slack.calls.some((c) => String(c.body.text ?? '').includes("couldn't"))).toBe(false);
    expect(t.db.prepare('SELECT mode FROM answers').get()).toEqual({ mode: 'extractive' });
    // Whatever way it went out, no "Looking into it…" is left: updated in place, or deleted.
    const placeholderTs = placeholder.response?.body.ts;
    const placeholderGone =
      delivered[0]!.method === 'chat.update' ? delivered[0]!.body.ts === placeholderTs : t.slack.callsTo('chat.delete').some((c) => c.body.ts === placeholderTs && c.response?.status === 200);
    expect(placeholderGone).toBe(true);
  });

  it('deletes the placeholder when it cannot be updated and the answer is posted as a new message', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    for (let i = 0; i < 3; i++) t.slack.failNext('chat.update', { status: 500 });
    t.slack.failNext('chat.delete', { status: 429, retryAfter: 0 });
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> where is auth?', ts: '1700005100.000100' }) });
    await t.app.idle();
    const [placeholder, answer] = t.slack.callsTo('chat.postMessage');
    expect(isAnswer(answer!.body)).toBe(true);
    const deletes = t.slack.callsTo('chat.delete');
    expect(deletes.at(-1)!.body).toMatchObject({ channel: 'C1', ts: placeholder!.response?.body.ts });
    expect(deletes.at(-1)!.response?.status).toBe(200);
  });
});
