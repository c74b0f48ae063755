/**
 * Interactions Teammate has no listener for (a button of an older message, a shortcut, a modal,
 * another slash command pointed at this URL) are acked at once — Slack shows the user an error
 * otherwise — and the user is told, privately, that Teammate can't handle it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionPayload, postRawToSlackApp, postToSlackApp, slashCommandBody } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const user = { id: 'U4', username: 'dana', name: 'dana', team_id: 'T1' };
const team = { id: 'T1', domain: 'fake' };

function interaction(type: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { type, user, team, api_app_id: 'A1', token: 'legacy-verification-token', trigger_id: '1.2.x', ...fields };
}

describe('unknown interactions', () => {
  it('acks an unknown button, shortcut, message shortcut, modal submission and slash command, and says so privately', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    const url = (id: string) => t!.slack.responseUrl(id);
    const cases: Array<{ name: string; kind: 'action' | 'command'; payload: Record<string, unknown>; replyId?: string }> = [
      { name: 'button', kind: 'action', payload: blockActionPayload({ action_id: 'approve_proposal', value: '7', user: 'U4', response_url: url('button') }), replyId: 'button' },
      { name: 'global shortcut', kind: 'action', payload: interaction('shortcut', { callback_id: 'new_task', action_ts: '1.1' }) },
      {
        name: 'message shortcut',
        kind: 'action',
        payload: interaction('message_action', {
          callback_id: 'explain_message',
          action_ts: '1.2',
          channel: { id: 'C1', name: 'general' },
          message: { type: 'message', ts: '1700000001.000100', text: 'hi' },
          message_ts: '1700000001.000100',
          response_url: url('shortcut'),
        }),
        replyId: 'shortcut',
      },
      {
        name: 'view submission',
        kind: 'action',
        payload: interaction('view_submission', {
          view: { id: 'V1', type: 'modal', callback_id: 'old_modal', state: { values: {} }, hash: 'h', private_metadata: '' },
          response_urls: [{ block_id: 'b', action_id: 'a', channel_id: 'C1', response_url: url('view') }],
        }),
        replyId: 'view',
      },
      { name: 'view closed', kind: 'action', payload: interaction('view_closed', { view: { id: 'V1', type: 'modal', callback_id: 'old_modal' }, is_cleared: false }) },
      { name: 'other command', kind: 'command', payload: slashCommandBody({ text: 'x', command: '/deploy', response_url: url('command') }) },
    ];
    for (const c of cases) {
      const res = await postToSlackApp(t.url, SECRET, { kind: c.kind, payload: c.payload });
      expect(res.status, c.name).toBe(200);
      if (c.name === 'other command') {
        const body = JSON.parse(res.body) as { response_type: string; text: string };
        expect(body).toMatchObject({ response_type: 'ephemeral' });
        expect(body.text).toContain("can't handle `/deploy`");
      }
    }
    await t.app.idle();
    for (const c of cases.filter((x) => x.replyId)) {
      const reply = t.slack.callsTo('response_url').find((r) => r.body.id === c.replyId);
      expect(reply?.body, c.name).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(reply?.body.text), c.name).toMatch(/can't handle/);
    }
    expect(script.questions).toHaveLength(0);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers an options request it has no menu for with no options', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const res = await postToSlackApp(t.url, SECRET, {
      kind: 'action',
      payload: interaction('block_suggestion', { action_id: 'pick_repo', block_id: 'b', value: 'ac', container: { type: 'message' }, channel: { id: 'C1' } }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ options: [] });
  });

  it('answers signed {} and [] (never sent by Slack) at once with 400 instead of hanging 3 s into a 404', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    for (const body of ['{}', '[]']) {
      expect((await postRawToSlackApp(t.url, SECRET, body, 'application/json')).status, body).toBe(400);
      expect((await postRawToSlackApp(t.url, SECRET, `payload=${encodeURIComponent(body)}`, 'application/x-www-form-urlencoded')).status, body).toBe(400);
    }
  });

  it('lets through interactions a listener was registered for directly on the Bolt app', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const clicks: string[] = [];
    t.app.app.action(/^direct_/, async ({ ack, action }) => {
      await ack();
      clicks.push((action as { action_id: string }).action_id);
    });
    t.app.app.view('direct_modal', async ({ ack }) => {
      await ack();
      clicks.push('direct_modal');
    });
    const res = await postToSlackApp(t.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id: 'direct_button', value: 'x', response_url: t.slack.responseUrl('d') }) });
    expect(res.status).toBe(200);
    const view = interaction('view_submission', { view: { id: 'V2', type: 'modal', callback_id: 'direct_modal', state: { values: {} }, hash: 'h' } });
    expect((await postToSlackApp(t.url, SECRET, { kind: 'action', payload: view })).status).toBe(200);
    await t.app.idle();
    expect(clicks).toEqual(['direct_button', 'direct_modal']);
    expect(t.slack.callsTo('response_url')).toHaveLength(0);
  });
});
