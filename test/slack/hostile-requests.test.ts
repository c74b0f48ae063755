/**
 * Whatever a client sends to /slack/events — even correctly signed — must not crash the bot:
 * bodies Slack never sends are refused with a 4xx at once and the next real question is answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appMentionEnvelope, postRawToSlackApp, postToSlackApp } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

describe('hostile but signed request bodies', () => {
  it('refuses a signed JSON null and payload=null with 400, and keeps answering', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    for (const [body, type] of [
      ['null', JSON_TYPE],
      ['payload=null', FORM_TYPE],
      ['42', JSON_TYPE],
      ['"text"', JSON_TYPE],
      ['payload=%22x%22', FORM_TYPE],
      ['{"event":"x","type":"event_callback"}', JSON_TYPE],
      ['{"type":"block_actions","actions":null}', JSON_TYPE],
    ] as const) {
      const res = await postRawToSlackApp(t.url, SECRET, body, type);
      expect(res.status, body).toBe(400);
    }
    const health = await fetch(t.url.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
    await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> still there?', ts: '1700009000.000100' }) });
    await t.app.idle();
    expect(script.questions.map((q) => q.text)).toEqual(['still there?']);
  });

  it('still refuses an unsigned null with 401', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': JSON_TYPE, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=00' }, body: 'null' });
    expect(res.status).toBe(401);
  });
});
