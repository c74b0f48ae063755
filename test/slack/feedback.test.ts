/**
 * 👍/👎 trust only what Slack vouches for: the click must come from the message that carries the
 * answer's buttons (channel + message ts); a vote carrying another answer's id is refused and
 * nothing is recorded. A click Slack resends (same action_ts) counts once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appMentionEnvelope, blockActionPayload, postToSlackApp } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const votes = () => t!.db.prepare('SELECT answer_id, user_id, value FROM answer_feedback ORDER BY user_id').all();

async function askAndGetAnswer(ts: string): Promise<{ id: number; buttonsTs: string }> {
  await postToSlackApp(t!.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> where is auth?', ts }) });
  await t!.app.idle();
  const { id } = t!.db.prepare('SELECT id FROM answers WHERE question_ts = ?').get(ts) as { id: number };
  const withButtons = [...t!.slack.callsTo('chat.update'), ...t!.slack.callsTo('chat.postMessage')].filter((c) =>
    JSON.stringify(c.body.blocks ?? '').includes('answer_feedback_up'),
  );
  const last = withButtons.at(-1)!;
  return { id, buttonsTs: String(last.body.ts ?? last.response?.body.ts) };
}

describe('feedback buttons', () => {
  it('refuses a vote whose answer id belongs to another channel or message, and records nothing', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const { id, buttonsTs } = await askAndGetAnswer('1700003000.000100');
    const forged = [
      blockActionPayload({ action_id: 'answer_feedback_up', value: String(id), user: 'U7', channel: 'C2', message_ts: buttonsTs }),
      blockActionPayload({ action_id: 'answer_feedback_down', value: String(id), user: 'U7', channel: 'C1', message_ts: '1699999999.000001' }),
    ];
    for (const payload of forged) {
      expect((await postToSlackApp(t.url, SECRET, { kind: 'action', payload })).status).toBe(200);
    }
    await t.app.idle();
    expect(votes()).toEqual([]);
    const refusals = t.slack.callsTo('chat.postEphemeral');
    expect(refusals).toHaveLength(2);
    for (const r of refusals) {
      expect(r.body).toMatchObject({ user: 'U7' });
      expect(String(r.body.text)).toContain('not recorded');
    }

    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'answer_feedback_up', value: String(id), user: 'U7', channel: 'C1', message_ts: buttonsTs }) });
    await t.app.idle();
    expect(votes()).toEqual([{ answer_id: id, user_id: 'U7', value: 'up' }]);
    expect(t.slack.callsTo('chat.postEphemeral').at(-1)!.body.text).toBe('Thanks for the feedback!');
  });

  it('accepts the buttons on the last message of a long answer, and counts a resent click once', async () => {
    const long = Array.from({ length: 8 }, (_, i) => `Part ${i}: ${'explanation '.repeat(200)}`).join('\n\n');
    t = await startTestApp(scriptedAnswers(() => ({ text: long, citations: [], mode: 'llm' })).answerQuestion);
    const { id, buttonsTs } = await askAndGetAnswer('1700003100.000100');
    const firstTs = (t.db.prepare('SELECT message_ts FROM answers WHERE id = ?').get(id) as { message_ts: string }).message_ts;
    expect(buttonsTs).not.toBe(firstTs);
    const click = blockActionPayload({ action_id: 'answer_feedback_down', value: String(id), user: 'U8', message_ts: buttonsTs, action_ts: '1700003100.555555' });
    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: click });
    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: click });
    await t.app.idle();
    expect(votes()).toEqual([{ answer_id: id, user_id: 'U8', value: 'down' }]);
    expect(t.slack.callsTo('chat.postEphemeral')).toHaveLength(1);
  });

  it('refuses a button value that is not an answer id', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'answer_feedback_up', value: '1; DROP TABLE answers', user: 'U7' }) });
    await t.app.idle();
    expect(votes()).toEqual([]);
    expect(String(t.slack.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain('not recorded');
  });
});
