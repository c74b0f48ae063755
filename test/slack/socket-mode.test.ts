import { SocketModeReceiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { type SlackApp, createSlackApp } from '../../src/slack/slack-app.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { appMentionEnvelope, slashCommandBody } from '../harness/slack-signing.js';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode.js';
import { REPOS, scriptedAnswers } from './start-test-app.js';

let slack: FakeSlack | undefined;
let ws: FakeSocketMode | undefined;
let app: SlackApp | undefined;
let db: Db | undefined;

afterEach(async () => {
  await app?.stop();
  db?.close();
  await ws?.close();
  await slack?.close();
  app = undefined;
  db = undefined;
  ws = undefined;
  slack = undefined;
});

async function startSocketApp(answerQuestion: Parameters<typeof createSlackApp>[0]['answerQuestion']) {
  slack = await startFakeSlack();
  ws = await startFakeSocketMode();
  slack.setSocketModeUrl(ws.url);
  db = openDatabase(':memory:');
  migrate(db);
  app = createSlackApp({
    slack: { mode: 'socket', botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: slack.apiUrl, port: 0, admins: [] },
    logger: silentLogger(),
    db,
    answerQuestion,
    repos: REPOS,
    options: { retryConfig: { retries: 1, minTimeout: 5, maxTimeout: 10 }, progressIntervalMs: 20 },
  });
  return app;
}

describe('Socket Mode', () => {
  it('builds a SocketModeReceiver when an app token is set, and serves no HTTP port', async () => {
    const a = await startSocketApp(scriptedAnswers().answerQuestion);
    expect(a.mode).toBe('socket');
    expect(a.receiver).toBeInstanceOf(SocketModeReceiver);
    expect(a.port).toBeUndefined();
  });

  it('acks an envelope before the answer, answers once despite a retried envelope', async () => {
    const script = scriptedAnswers();
    const release = script.hold();
    const a = await startSocketApp(script.answerQuestion);
    await a.start();
    await ws!.connected();
    expect(slack!.callsTo('apps.connections.open')).toHaveLength(1);

    const payload = appMentionEnvelope({ text: '<@UBOT> where is login?', ts: '1700003000.000100', event_id: 'EvS1' });
    ws!.send({ envelope_id: 'env-1', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload });
    await ws!.waitForAck('env-1');
    // Acked while the scripted answer is still held.
    expect(slack!.callsTo('chat.update')).toHaveLength(0);
    ws!.send({ envelope_id: 'env-2', type: 'events_api', accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout', payload });
    await ws!.waitForAck('env-2');
    release();
    await slack!.waitFor('chat.update');
    await a.idle();
    expect(script.questions).toHaveLength(1);
    expect(slack!.callsTo('chat.postMessage')[0]!.body.thread_ts).toBe('1700003000.000100');
  });

  it('answers /teammate help in the ack payload', async () => {
    const a = await startSocketApp(scriptedAnswers().answerQuestion);
    await a.start();
    await ws!.connected();
    ws!.send({ envelope_id: 'env-c', type: 'slash_commands', accepts_response_payload: true, payload: slashCommandBody({ text: 'help' }) });
    const ack = await ws!.waitForAck('env-c');
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(ack.payload)).toContain('/teammate ask');
  });
});
