/**
 * Questions whose answering process died: a redelivery takes the claim over and answers in the
 * placeholder the dead process left; at start-up, recent ones are answered again and older ones
 * are told to ask again — never a "Looking into it…" left forever.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdempotencyStore } from '../../src/storage/idempotency-store.js';
import type { Db } from '../../src/storage/database.js';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The pid of a process that has exited: a crashed Teammate on this host. */
function deadPid(): number {
  const res = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(res.stdout);
}

function leaveCrashedClaim(db: Db, o: { ts: string; eventId: string; placeholderTs?: string; ageMs: number }): void {
  const crashed = createIdempotencyStore(db, { owner: { id: 'crashed', host: os.hostname(), pid: deadPid() }, now: () => Date.now() - o.ageMs });
  const claim = crashed.claim([`msg:C1:${o.ts}`, `event:${o.eventId}`], {
    payload: { channel: 'C1', user: 'U1', text: '<@UBOT> where is auth?', questionTs: o.ts, threadTs: o.ts, withHistory: false },
  });
  if (o.placeholderTs) crashed.record(claim.key, { placeholderTs: o.placeholderTs });
}

const stateOf = (db: Db, key: string) => (db.prepare('SELECT state FROM idempotency_keys WHERE key = ?').get(key) as { state: string } | undefined)?.state;

describe('questions interrupted by a crash', () => {
  it('answers a redelivery of a question whose process died, in the placeholder it had posted', async () => {
    const script = scriptedAnswers();
    // Nothing to resume at start-up: the crash happens "after" it, below.
    t = await startTestApp(script.answerQuestion, {}, { resumeWindowMs: 0 });
    leaveCrashedClaim(t.db, { ts: '1700008000.000100', eventId: 'EvX1', placeholderTs: '1700008000.000900', ageMs: 1000 });
    const res = await postToSlackApp(t.url, SECRET, {
      kind: 'event',
      retryNum: 1,
      payload: appMentionEnvelope({ text: '<@UBOT> where is auth?', ts: '1700008000.000100', event_id: 'EvX1' }),
    });
    expect(res.status).toBe(200);
    await t.app.idle();
    expect(script.questions.map((q) => q.text)).toEqual(['where is auth?']);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    const update = t.slack.callsTo('chat.update').at(-1)!;
    expect(update.body.ts).toBe('1700008000.000900');
    expect(JSON.stringify(update.body.blocks)).toContain('src/a.ts:1-3');
    expect(stateOf(t.db, 'msg:C1:1700008000.000100')).toBe('done');
  });

  it('at start-up answers a recent interrupted question again and tells an older one to ask again', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion, {}, { resumeWindowMs: 5 * 60_000 }, { prepare: (db) => {
      leaveCrashedClaim(db, { ts: '1700008100.000100', eventId: 'EvY1', placeholderTs: '1700008100.000900', ageMs: 60_000 });
      leaveCrashedClaim(db, { ts: '1700008200.000100', eventId: 'EvY2', placeholderTs: '1700008200.000900', ageMs: 20 * 60_000 });
      leaveCrashedClaim(db, { ts: '1700008300.000100', eventId: 'EvY3', ageMs: 30 * 60_000 });
    } });
    await t.app.idle();
    expect(script.questions.map((q) => q.text)).toEqual(['where is auth?']);
    const updates = t.slack.callsTo('chat.update');
    const resumed = updates.find((u) => u.body.ts === '1700008100.000900' && JSON.stringify(u.body.blocks).includes('src/a.ts:1-3'));
    expect(resumed).toBeDefined();
    const apology = updates.find((u) => u.body.ts === '1700008200.000900')!;
    expect(apology.body.text).toContain('I was restarted while answering this');
    expect(apology.body.text).toContain('Please ask again.');
    // No placeholder was recorded for the oldest: the apology goes in its thread.
    const posted = t.slack.callsTo('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatchObject({ channel: 'C1', thread_ts: '1700008300.000100' });
    expect(String(posted[0]!.body.text)).toContain('Please ask again.');
    const unreacted = t.slack.callsTo('reactions.remove').map((c) => c.body.timestamp);
    expect(unreacted).toEqual(expect.arrayContaining(['1700008100.000100', '1700008200.000100', '1700008300.000100']));
    expect(['1700008100.000100', '1700008200.000100', '1700008300.000100'].map((ts) => stateOf(t!.db, `msg:C1:${ts}`))).toEqual(['done', 'failed', 'failed']);
    // The redelivery of a question already told to ask again stays quiet.
    await postToSlackApp(t.url, SECRET, { kind: 'event', retryNum: 1, payload: appMentionEnvelope({ text: '<@UBOT> where is auth?', ts: '1700008200.000100', event_id: 'EvY2' }) });
    await t.app.idle();
    expect(script.questions).toHaveLength(1);
  });
});
