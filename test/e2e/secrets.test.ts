/**
 * Secrets written in ordinary code never leave Teammate: not into the index database, not into a
 * model request, not into a Slack call, not into a log line at any level (Bolt logs request bodies
 * at debug). The real composition root, Bolt HTTP receiver, Slack WebClient and openai SDK run
 * against local fakes; the question itself carries secrets too, as a user pasting a URL would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Db } from '../../src/storage/database.js';
import { errorReply, type FakeOpenAI, startFakeOpenAI, textReply, toolCallReply } from '../harness/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { startIndexedSlackApp } from '../harness/indexed-slack-app.js';
import { appMentionEnvelope, postToSlackApp } from '../harness/slack-signing.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

// Built at run time so no literal credential sits in this repository for scanners to flag.
const j = (...parts: string[]) => parts.join('');
const SECRETS = {
  stripeLive: j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  stripeRestricted: j('rk_', 'live_', '51H8xYzAbCdEfGhIjKlMnOpQr'),
  awsSecret: j('q8Jd2LmZ4pRt7Vw1Xy3B', 'c5Nf9Gh0Kj6Ls2Dp4TqW'),
  google: j('AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'),
  slackWebhook: j('https://hooks.slack.com/services/', 'T0A1B2C3D/B4E5F6G7H/', 'q1W2e3R4t5Y6u7I8o9P0aSdF'),
  jwt: j('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'),
  dbPassword: j('Tr0ub4', 'dor-3xq'),
  passwordLiteral: j('hunter2', '-Prod!'),
};
const DATABASE_URL = `postgres://app:${SECRETS.dbPassword}@db.internal:5432/app`;

const SETTINGS_TS = [
  '// Payment, maps and alerting credentials (the mistake this test is about).',
  `export const STRIPE_KEY = "${SECRETS.stripeLive}";`,
  `export const STRIPE_RESTRICTED_KEY = '${SECRETS.stripeRestricted}';`,
  `export const aws_secret_access_key = "${SECRETS.awsSecret}";`,
  `export const GOOGLE_MAPS_KEY = "${SECRETS.google}";`,
  `export const ALERTS_WEBHOOK = "${SECRETS.slackWebhook}";`,
  `export const SESSION_TOKEN = "${SECRETS.jwt}";`,
  `export const DATABASE_URL = "${DATABASE_URL}";`,
  `const password = "${SECRETS.passwordLiteral}";`,
  'export function connectPayments() {',
  '  return { key: STRIPE_KEY, password };',
  '}',
  '',
].join('\n');

const SIGNING_SECRET = 'secrets-e2e-signing-secret';
let slack: FakeSlack;
let openai: FakeOpenAI;
let db: Db;
let dbPath: string;
let eventsUrl: string;
let stop: () => Promise<void>;
const logLines: string[] = [];
const temp = makeTempDir('teammate-secrets-');

/** Every secret (and its lower-case form, as the token stream stores it) that occurs in `text`. */
function leaked(text: string): string[] {
  return Object.values(SECRETS).filter((s) => text.includes(s) || text.toLowerCase().includes(s.toLowerCase()));
}

beforeAll(async () => {
  slack = await startFakeSlack();
  openai = await startFakeOpenAI();
  const repoDir = path.join(temp.dir, 'payments');
  makeGitRepo(repoDir, { 'src/settings.ts': SETTINGS_TS, 'README.md': '# payments\nCharges cards through Stripe.\n' });
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-secrets-e2e',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      OPENAI_API_KEY: 'sk-secrets-e2e',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      TEAMMATE_REPOS: repoDir,
      TEAMMATE_DATA_DIR: temp.dir,
    },
    { cwd: temp.dir },
  );
  dbPath = config.dbPath;
  // Trace: the most Bolt, the WebClient and our code ever write, request bodies included.
  const logger = createLogger({
    level: 'trace',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  });
  ({ eventsUrl, stop, db } = await startIndexedSlackApp(config, logger, { progressIntervalMs: 20 }));
});

afterAll(async () => {
  await stop?.();
  await slack?.close();
  await openai?.close();
  temp.cleanup();
});

describe('secrets in ordinary code', () => {
  it('are not in the index database: chunk text, symbols, full-text terms or the file itself', () => {
    const chunks = (db.prepare('SELECT text FROM code_chunks').pluck().all() as string[]).join('\n');
    expect(chunks).toContain('STRIPE_KEY = "[REDACTED]"');
    expect(chunks).toContain('postgres://app:[REDACTED]@db.internal');
    expect(leaked(chunks)).toEqual([]);
    // The token stream keeps identifiers whole (lower-cased): no term may be a piece of a secret.
    const terms = db.prepare('SELECT term FROM code_fts_vocab').pluck().all() as string[];
    const pieces = terms.filter((t) => t.length >= 10 && Object.values(SECRETS).some((s) => s.toLowerCase().includes(t)));
    expect(pieces).toEqual([]);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(leaked(fs.readFileSync(dbPath).toString('latin1'))).toEqual([]);
  });

  it('never reach the model, the channel or a log line when the model reads the file and answers', async () => {
    openai.enqueue(
      toolCallReply([
        { name: 'read_file', arguments: { path: 'src/settings.ts' } },
        { name: 'search_code', arguments: { query: 'STRIPE_KEY GOOGLE_MAPS_KEY DATABASE_URL password' } },
      ]),
      // A model that repeats what it was told (the question's URL) and what it might have seen.
      textReply(`The keys are defined in src/settings.ts:2-9. Your URL ${DATABASE_URL} uses the hook ${SECRETS.slackWebhook} and ${SECRETS.stripeLive}.`),
    );
    const res = await postToSlackApp(eventsUrl, SIGNING_SECRET, {
      kind: 'event',
      payload: appMentionEnvelope({
        text: `<@${slack.botUserId}> why does ${DATABASE_URL} fail with key ${SECRETS.stripeLive} and ${SECRETS.jwt}?`,
        ts: '1700000500.000100',
        event_id: 'EvSecrets1',
      }),
    });
    expect(res.status).toBe(200);
    const answer = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('keys are defined'), 15_000);
    expect(JSON.stringify(answer.body)).toContain('[REDACTED]');
    openai.assertDone();

    // The model saw the file and the search results, redacted.
    const toModel = JSON.stringify(openai.requests.map((r) => r.body));
    expect(toModel).toContain('STRIPE_KEY = \\"[REDACTED]\\"');
    expect(leaked(toModel)).toEqual([]);
    expect(leaked(JSON.stringify(slack.calls.map((c) => c.body)))).toEqual([]);
    await new Promise((r) => setTimeout(r, 50)); // pino writes asynchronously
    const logs = logLines.join('');
    expect(logs).toContain('"level":20'); // debug lines were written
    expect(logs).toContain('EvSecrets1'); // Bolt logs the event body at debug: it was written, scrubbed
    expect(leaked(logs)).toEqual([]);
  });

  it('are redacted from the snippets of an extractive answer posted to the channel', async () => {
    openai.enqueue(errorReply(500, { message: 'model down' }));
    const res = await postToSlackApp(eventsUrl, SIGNING_SECRET, {
      kind: 'event',
      payload: appMentionEnvelope({ text: `<@${slack.botUserId}> where are STRIPE_KEY and GOOGLE_MAPS_KEY set?`, ts: '1700000600.000100', event_id: 'EvSecrets2' }),
    });
    expect(res.status).toBe(200);
    const answer = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('best match'), 15_000);
    expect(JSON.stringify(answer.body)).toContain('[REDACTED]');
    openai.assertDone();
    expect(leaked(JSON.stringify(slack.calls.map((c) => c.body)))).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(leaked(logLines.join(''))).toEqual([]);
  });
});
