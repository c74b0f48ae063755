/**
 * The proactive loop end to end, as `teammate start` runs it: createApp from config, the real Bolt
 * HTTP receiver fed signed `/teammate` commands, the real WebClient posting to a fake Slack, the
 * scanners reading a fixture repository, a fake GitHub (failing CI) and a fake npm registry.
 * Time for the schedules is an injected clock; restarts are new apps on the same database file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import { type Config, loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createTeamSettingsStore } from '../../src/storage/team-settings-store.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';
import { decideProposal } from '../../src/proposals/decide-proposal.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { type FakeGitHub, startFakeGitHub } from '../harness/fake-github.js';
import { PLANTED_MARKERS, routeFailingCi } from '../harness/planted-repository.js';
import { type FakeNpmRegistry, startFakeNpmRegistry } from '../harness/fake-npm-registry.js';
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from '../harness/fake-slack.js';
import { postToSlackApp, slashCommandBody } from '../harness/slack-signing.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { ADVISORIES, dependencyFixture, REGISTRY_PACKAGES } from '../scanners/dependency-fixture.js';
import { messageViolations } from '../slack/block-kit-limits.js';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET = 'loop-signing-secret';
const BUDGET = 10;
const FILES = {
  ...dependencyFixture(),
  ...PLANTED_MARKERS,
};

let gh: FakeGitHub;
let registry: FakeNpmRegistry;
let slack: FakeSlack;
let tmp: ReturnType<typeof makeTempDir>;
let config: Config;
let baseEnv: Record<string, string>;
let dbFile: string;
const clock = { t: Date.parse('2026-12-07T08:00:00Z'), now: () => clock.t }; // a Monday

beforeAll(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
  registry = await startFakeNpmRegistry({ packages: REGISTRY_PACKAGES, advisories: ADVISORIES });
  slack = await startFakeSlack();
  tmp = makeTempDir('teammate-loop-');
  dbFile = path.join(tmp.dir, 'teammate.db');
  baseEnv = {
      SLACK_BOT_TOKEN: 'xoxb-loop',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: gh.apiUrl,
      TEAMMATE_NPM_REGISTRY: registry.url,
      TEAMMATE_REPOS: 'acme/widgets',
      TEAMMATE_DATA_DIR: tmp.dir,
      TEAMMATE_DB: dbFile,
      TEAMMATE_CHANNEL: 'C0LOOP00001',
      TEAMMATE_CARD_BUDGET: String(BUDGET),
      TEAMMATE_QUIET_HOURS: 'off',
      TEAMMATE_TZ: 'UTC',
      TEAMMATE_SCAN_CRON: '0 9 * * 1-5',
      TEAMMATE_DIGEST_CRON: '0 9 * * 1',
      TEAMMATE_REFRESH_CRON: 'off',
  };
  config = loadConfig(baseEnv, { cwd: tmp.dir, homeDir: tmp.dir });
  // The GitHub repository's clone is the fixture (no fetch leaves the machine: refreshOnStart is off).
  makeGitRepo(reposOf(config)[0]!.root, FILES);
  routeFailingCi(gh, { owner: 'acme', name: 'widgets' });
});
afterAll(async () => {
  await Promise.all([gh.close(), registry.close(), slack.close()]);
  tmp.cleanup();
});

interface Running {
  readonly app: App;
  readonly db: Db;
  readonly url: string;
}
let running: Running | undefined;
afterEach(async () => {
  await stopApp();
});

async function startApp(o: { config?: Config; dbFile?: string } = {}): Promise<Running> {
  const db = openDatabase(o.dbFile ?? dbFile);
  migrate(db);
  const cfg = o.config ?? config;
  const app = createApp({ config: cfg, logger: silentLogger(), db, repos: reposOf(cfg) }, { refreshOnStart: false, loop: { clock, armTimers: false }, slack: { retryConfig: { retries: 0 } } });
  const { slackPort } = await app.start();
  running = { app, db, url: `http://127.0.0.1:${slackPort}/slack/events` };
  return running;
}

async function stopApp(): Promise<void> {
  if (!running) return;
  await running.app.stop();
  running.db.close();
  running = undefined;
}

let replies = 0;
/** Sends `/teammate <text>` signed like Slack and waits for the last private reply (the use case's summary). */
async function slash(text: string, expectReplies: number): Promise<string[]> {
  const id = `r${++replies}`;
  const res = await postToSlackApp(running!.url, SECRET, { kind: 'command', payload: slashCommandBody({ text, channel: 'C0LOOP00001', user: 'U1', response_url: slack.responseUrl(id) }) });
  expect(res.status).toBe(200);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const got = slack.callsTo('response_url').filter((c) => c.body.id === id);
    if (got.length >= expectReplies) return got.map((c) => String(c.body.text));
    if (Date.now() > deadline) throw new Error(`no reply ${expectReplies} to /teammate ${text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cardPosts = () => slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('New proposal') && c.response?.body.ok === true);
const digestPosts = () => slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('Teammate digest') || JSON.stringify(c.body.blocks ?? []).includes('Teammate digest'));
const actionIds = (c: FakeSlackCall) => JSON.stringify(c.body.blocks).match(/"action_id":"[^"]+"/g) ?? [];

describe('the proactive loop', () => {
  it('posts a card per finding, stays silent on a rescan, survives restarts without losing or re-posting, and posts digests once per slot', { timeout: 240_000 }, async () => {
    await startApp();

    // 1. /teammate scan: one card per planted finding, within the budget and Block Kit limits.
    const scan = await slash('scan', 2);
    expect(scan[0]).toBe('Scanning `acme/widgets`… new proposal cards will appear in this channel.');
    const cards = cardPosts();
    expect(scan[1]).toContain(`Scan of \`acme/widgets\` finished: ${cards.length} new cards in <#C0LOOP00001>`);
    expect(cards.length).toBeLessThanOrEqual(BUDGET);
    const titles = cards.map((c) => String(c.body.text));
    for (const marker of ['TODO', 'FIXME', 'HACK', 'XXX']) expect(titles.some((t) => t.includes(`${marker} in `)), marker).toBe(true);
    expect(titles.filter((t) => /left-pad|lodash|express|depend/i.test(t)).length).toBeGreaterThanOrEqual(1);
    expect(titles.some((t) => /CI/.test(t))).toBe(true);
    expect(cards).toHaveLength(8);
    for (const c of cards) {
      expect(c.body.channel).toBe('C0LOOP00001');
      expect(messageViolations({ text: String(c.body.text), blocks: c.body.blocks as unknown[] })).toEqual([]);
      expect(actionIds(c)).toEqual(expect.arrayContaining(['"action_id":"proposal.approve"', '"action_id":"proposal.reject"']));
    }
    const stored = () => running!.db.prepare('SELECT id, channel, message_ts AS ts FROM proposals ORDER BY id').all() as { id: number; channel: string | null; ts: string | null }[];
    expect(stored().map((p) => p.ts).sort()).toEqual(cards.map((c) => String(c.response?.body.ts)).sort());

    // 2. Nothing changed: nothing posted, and the asker is told so.
    const again = await slash('scan', 2);
    expect(again[1]).toContain('nothing new, so I posted nothing');
    expect(cardPosts()).toHaveLength(8);

    // 3. Two decisions, then /teammate digest posts the counts; straight after, the empty period posts nothing.
    clock.t = Date.parse('2026-12-07T08:05:00Z');
    const store = createProposalStore(running!.db);
    const decide = { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now: clock.now };
    const [first, second] = stored();
    expect((await decideProposal({ proposalId: first!.id, userId: 'U2', action: 'approve', surface: 'slack' }, decide)).kind).toBe('approved');
    expect((await decideProposal({ proposalId: second!.id, userId: 'U2', action: 'reject', surface: 'slack' }, decide)).kind).toBe('rejected');
    clock.t = Date.parse('2026-12-07T08:10:00Z');
    const digest = await slash('digest', 1);
    expect(digest[0]).toBe('Digest posted: 8 new proposals, 1 approved, 1 rejected, 6 waiting for a decision.');
    expect(digestPosts()).toHaveLength(1);
    expect(JSON.stringify(digestPosts()[0]!.body.blocks)).toContain('New proposals: 8');
    expect(JSON.stringify(digestPosts()[0]!.body.blocks)).toContain('*Decisions*: 1 approved · 1 rejected · 0 snoozed · 0 stale');
    expect(messageViolations({ text: String(digestPosts()[0]!.body.text), blocks: digestPosts()[0]!.body.blocks as unknown[] })).toEqual([]);
    clock.t = Date.parse('2026-12-07T08:15:00Z');
    expect((await slash('digest', 1))[0]).toBe('Nothing happened since the last digest, so I posted nothing.');
    expect(digestPosts()).toHaveLength(1);

    // 4. A new TODO whose card Slack refuses once: the asker hears, the card waits, nothing is lost.
    clock.t = Date.parse('2026-12-07T08:20:00Z');
    const root = reposOf(config)[0]!.root;
    fs.writeFileSync(path.join(root, 'src/cache.ts'), 'export const c = 1;\n// TODO: evict cache entries older than a day\n');
    gitIn(root, 'add', '-A');
    gitIn(root, 'commit', '-q', '-m', 'cache');
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const failed = await slash('scan', 2);
    expect(failed[1]).toBe('Scan of `acme/widgets` finished: 1 new card for <#C0LOOP00001>, not posted yet.\n:warning: 1 card could not be posted; the next scan tries again.');
    expect(stored()).toHaveLength(9);
    expect(stored().filter((p) => p.ts === null)).toHaveLength(1);
    await stopApp();

    // 5. Down over the 09:00 slots; the restart at 10:00 back-fills the scan (posting the waiting
    //    card once) and the digest (the one new proposal since the last digest).
    clock.t = Date.parse('2026-12-07T10:00:00Z');
    const before = slack.callsTo('chat.postMessage').length;
    await startApp();
    const deadline = Date.now() + 60_000;
    while (digestPosts().length < 2 || cardPosts().length < 9) {
      if (Date.now() > deadline) throw new Error('the missed slots were not back-filled');
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 300));
    const after = slack.callsTo('chat.postMessage').slice(before).filter((c) => c.response?.body.ok);
    expect(after.map((c) => String(c.body.text))).toEqual(expect.arrayContaining(['New proposal for acme/widgets: TODO in src/cache.ts: evict cache entries older than a day']));
    expect(after).toHaveLength(2); // the card and the digest, nothing re-posted
    expect(JSON.stringify(digestPosts()[1]!.body.blocks)).toContain('New proposals: 1');
    expect(stored().every((p) => p.ts !== null && p.channel === 'C0LOOP00001')).toBe(true);
    expect(new Set(stored().map((p) => p.ts)).size).toBe(9);
    await stopApp();

    // 6. Another restart in the same hour: the slots already ran, so nothing fires; a scan finds nothing new.
    clock.t = Date.parse('2026-12-07T10:30:00Z');
    const total = slack.callsTo('chat.postMessage').length;
    await startApp();
    const last = await slash('scan', 2);
    expect(last[1]).toContain('nothing new, so I posted nothing');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(total);
    const slots = running!.db.prepare("SELECT job, slot, kind, outcome FROM job_slots WHERE slot NOT LIKE 'manual:%' ORDER BY job").all();
    expect(slots).toEqual([
      { job: 'digest', slot: '2026-12-07T09:00:00.000Z', kind: 'backfill', outcome: 'succeeded' },
      { job: 'scan', slot: '2026-12-07T09:00:00.000Z', kind: 'backfill', outcome: 'succeeded' },
    ]);

    // 7. Someone fixes the cache TODO: the next scan takes its card off the table (updated in
    //    place, no buttons) instead of leaving it for someone to reject; the digest counts it.
    clock.t = Date.parse('2026-12-07T10:40:00Z');
    fs.writeFileSync(path.join(root, 'src/cache.ts'), 'export const c = 1;\n');
    gitIn(root, 'commit', '-q', '-am', 'evict old cache entries');
    const cacheCard = stored().find((p) => p.id === Math.max(...stored().map((x) => x.id)))!;
    const fixed = await slash('scan', 2);
    expect(fixed[1]).toContain('1 pending proposal resolved on its own (no longer found)');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(total);
    const updates = slack.callsTo('chat.update').filter((c) => c.body.ts === cacheCard.ts);
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]!.body.blocks)).toContain('Resolved on its own — the todo scan no longer finds this');
    expect(actionIds(updates[0]!)).not.toContain('"action_id":"proposal.approve"');
    expect(running!.db.prepare('SELECT COUNT(*) FROM proposals WHERE state = ?').pluck().get('pending')).toBe(6);
    // A fix alone is not news: the digest stays quiet until someone decides something.
    clock.t = Date.parse('2026-12-07T10:45:00Z');
    expect((await slash('digest', 1))[0]).toBe('Nothing happened since the last digest, so I posted nothing.');
    const pendingId = running!.db.prepare("SELECT id FROM proposals WHERE state = 'pending' ORDER BY id LIMIT 1").pluck().get() as number;
    const decideNow = { ...decide, store: createProposalStore(running!.db) };
    expect((await decideProposal({ proposalId: pendingId, userId: 'U2', action: 'reject', surface: 'slack' }, decideNow)).kind).toBe('rejected');
    clock.t = Date.parse('2026-12-07T10:50:00Z');
    await slash('digest', 1);
    expect(JSON.stringify(digestPosts().at(-1)!.body.blocks)).toContain('*Decisions*: 0 approved · 1 rejected · 0 snoozed · 0 stale · 1 resolved on their own');
    expect(gh.unexpected).toEqual([]);
    expect(slack.unexpected).toEqual([]);
  });
});

describe('the proactive loop over its budget, with a paused scanner', () => {
  it('posts the best TEAMMATE_CARD_BUDGET cards, tells the asker where the rest went and which scanner is paused, and the digest lists it', { timeout: 120_000 }, async () => {
    clock.t = Date.parse('2026-12-08T11:00:00Z');
    const file = path.join(tmp.dir, 'budget.db');
    const small = loadConfig({ ...baseEnv, TEAMMATE_DB: file, TEAMMATE_CARD_BUDGET: '3', TEAMMATE_SCAN_CRON: 'off', TEAMMATE_DIGEST_CRON: 'off' }, { cwd: tmp.dir, homeDir: tmp.dir });
    const seed = openDatabase(file);
    migrate(seed);
    const state = createScanStateStore(seed);
    for (let i = 0; i < 3; i++) state.recordFailure('acme/widgets', 'issues', { error: 'GitHub answered 502', at: new Date(clock.t), pauseAfter: 3 });
    seed.close();
    const before = cardPosts().length;
    await startApp({ config: small, dbFile: file });
    const scan = await slash('scan', 2);
    expect(cardPosts().length - before).toBe(3);
    expect(scan[1]).toMatch(/^Scan of `acme\/widgets` finished: 3 new cards in <#C0LOOP00001>, \d+ more in my \*Home\* tab \(over the card budget\)\./);
    expect(scan[1]).toContain(':warning: Scanner `issues` is paused: paused after 3 failures in a row (last: GitHub answered 502)');
    const deck = Number(/, (\d+) more in my/.exec(scan[1]!)?.[1]);
    expect(deck).toBeGreaterThanOrEqual(5); // 8 planted findings (9 once the first test added a TODO), 3 cards
    clock.t += 60_000;
    const digest = await slash('digest', 1);
    expect(digest[0]).toContain(`Digest posted: ${3 + deck} new proposals`);
    expect(JSON.stringify(digestPosts().at(-1)!.body.blocks)).toMatch(/Paused scanners.*issues/);
  });
});

describe('the proactive loop with settings saved in Slack', () => {
  it('a card budget and scanners switched off with /teammate settings apply to the next scan, without a restart', { timeout: 120_000 }, async () => {
    clock.t = Date.parse('2026-12-08T11:00:00Z');
    const file = path.join(tmp.dir, 'settings.db');
    const cfg = loadConfig({ ...baseEnv, TEAMMATE_DB: file, TEAMMATE_SCAN_CRON: 'off', TEAMMATE_DIGEST_CRON: 'off' }, { cwd: tmp.dir, homeDir: tmp.dir });
    await startApp({ config: cfg, dbFile: file });
    createTeamSettingsStore(running!.db).save({ cardBudget: 2, scannersOff: { 'acme/widgets': ['todo'] } }, 'UADMIN', clock.t);
    const before = cardPosts().length;
    const scan = await slash('scan', 2);
    expect(cardPosts().length - before).toBe(2);
    expect(scan[1]).toMatch(/^Scan of `acme\/widgets` finished: 2 new cards in <#C0LOOP00001>/);
    const scanners = running!.db.prepare('SELECT DISTINCT scanner FROM proposals').all() as { scanner: string }[];
    expect(scanners.map((r) => r.scanner)).not.toContain('todo');
    expect(scanners.length).toBeGreaterThan(0);
  });
});

describe('the proactive loop in quiet time', () => {
  it('posts no card on a weekend (TEAMMATE_QUIET_HOURS in TEAMMATE_TZ): the new proposals wait in the Home deck and the asker is told why', { timeout: 120_000 }, async () => {
    clock.t = Date.parse('2026-12-12T11:00:00Z'); // a Saturday
    const quiet = loadConfig(
      { ...baseEnv, TEAMMATE_DB: path.join(tmp.dir, 'quiet.db'), TEAMMATE_QUIET_HOURS: '19-08,weekends', TEAMMATE_SCAN_CRON: 'off', TEAMMATE_DIGEST_CRON: 'off' },
      { cwd: tmp.dir, homeDir: tmp.dir },
    );
    const before = slack.callsTo('chat.postMessage').length;
    await startApp({ config: quiet, dbFile: path.join(tmp.dir, 'quiet.db') });
    const scan = await slash('scan', 2);
    expect(scan[1]).toMatch(/^Scan of `acme\/widgets` finished: \d+ new proposals, all in my \*Home\* tab \(weekend: no cards in channels\)\./);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(before);
    expect(running!.db.prepare("SELECT COUNT(*) AS n FROM proposals WHERE state = 'pending' AND delivery = 'deck'").get()).toEqual({ n: Number(/finished: (\d+) new proposals/.exec(scan[1]!)?.[1]) });
  });
});
