/**
 * What a user reads when answering fails: a reason and a fix, through the real Bolt pipeline —
 * never a stack trace or a path on the server.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function realFsError(): Error {
  try {
    fs.realpathSync('/srv/teammate/repos/acme/api/src');
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected /srv/teammate/repos/acme/api/src not to exist');
}

async function replyTo(err: Error, ts: string): Promise<string> {
  t = await startTestApp(scriptedAnswers(() => {
    throw err;
  }).answerQuestion);
  await postToSlackApp(t.url, SECRET, { kind: 'event', payload: appMentionEnvelope({ text: '<@UBOT> where is auth?', ts }) });
  await t.app.idle();
  const update = t.slack.callsTo('chat.update').at(-1)!;
  return `${String(update.body.text)} ${JSON.stringify(update.body.blocks)}`;
}

describe('failure replies in Slack', () => {
  it('turns a filesystem error into a reason and a fix, without the server path', async () => {
    const err = realFsError();
    expect(err.message).toContain('/srv/teammate');
    const reply = await replyTo(err, '1700009100.000100');
    expect(reply).not.toContain('/srv/');
    expect(reply).not.toContain('realpath');
    expect(reply).toContain("I couldn't answer that");
    expect(reply).toMatch(/missing/i);
    expect(reply).toContain('teammate doctor');
  });

  it('never shows a stack trace or absolute paths quoted in an error message', async () => {
    const err = new Error("cannot open '/home/deploy/teammate/data/teammate.db' at C:\\srv\\x.db\n    at open (/opt/teammate/dist/storage/database.js:12:5)");
    const reply = await replyTo(err, '1700009100.000200');
    expect(reply).not.toContain('/home/deploy');
    expect(reply).not.toContain('/opt/teammate');
    expect(reply).not.toContain('C:\\srv');
    expect(reply).not.toMatch(/\bat open\b/);
    expect(reply).toContain('cannot open');
  });
});
