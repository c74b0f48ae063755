/**
 * The interaction seam the proposal cards build on: a registered button is acked, its value
 * validated with zod, its use case called once per click, and the message updated in place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonValue } from '../../src/slack/listeners/register-action.js';
import { blockActionPayload, postToSlackApp } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('registerAction', () => {
  it('acks, validates, calls the use case once per click and updates the message', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const decided: Array<{ id: number; user: string }> = [];
    t.app.registerAction({
      actionId: 'test_approve',
      schema: jsonValue(z.object({ proposalId: z.number().int() })),
      invalidText: 'That card is damaged.',
      handle(click) {
        decided.push({ id: click.payload.proposalId, user: click.userId });
        return { kind: 'update', message: { text: `Approved by <@${click.userId}>`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Approved by <@${click.userId}>` } }] } };
      },
    });
    const click = blockActionPayload({ action_id: 'test_approve', value: '{"proposalId":3}', user: 'U9', message_ts: '1700004000.000100', action_ts: '1700004000.111111' });
    expect((await postToSlackApp(t.url, SECRET, { kind: 'action', payload: click })).status).toBe(200);
    expect((await postToSlackApp(t.url, SECRET, { kind: 'action', payload: click })).status).toBe(200);
    await t.app.idle();
    expect(decided).toEqual([{ id: 3, user: 'U9' }]);
    const update = t.slack.callsTo('chat.update');
    expect(update).toHaveLength(1);
    expect(update[0]!.body).toMatchObject({ channel: 'C1', ts: '1700004000.000100', text: 'Approved by <@U9>' });

    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'test_approve', value: 'not json', user: 'U9' }) });
    await t.app.idle();
    expect(decided).toHaveLength(1);
    expect(t.slack.callsTo('chat.postEphemeral').at(-1)!.body).toMatchObject({ user: 'U9', text: 'That card is damaged.' });
  });

  it('tells the clicker privately when the use case fails', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    t.app.registerAction({
      actionId: 'test_boom',
      schema: z.string(),
      invalidText: 'bad',
      handle() {
        throw new Error('the proposal store is locked');
      },
    });
    await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'test_boom', value: 'x', user: 'U9' }) });
    await t.app.idle();
    expect(String(t.slack.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain("I couldn't do that (the proposal store is locked).");
  });
});
