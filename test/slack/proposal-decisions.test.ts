/**
 * Deciding on proposal cards through the real pipeline: createApp (the composition root) with its
 * Bolt HTTP receiver, signed clicks like Slack sends them, the fake Slack recording what the app
 * calls, and a real git repository whose TODOs the scanner found (so the re-check at HEAD is real).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Proposal, ProposalStore } from '../../src/proposals/types.js';
import type { Repository } from '../../src/repos/repository.js';
import { createScanGit } from '../../src/repos/scan-git.js';
import { runScan } from '../../src/scanners/run-scan.js';
import { createTodoScanner } from '../../src/scanners/todo/todo-scanner.js';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from '../harness/fake-slack.js';
import { appHomeOpenedEnvelope, blockActionPayload, postToSlackApp, slashCommandBody } from '../harness/slack-signing.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const SECRET = 'decide-signing-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FILES = {
  'src/retry.ts': '// TODO: retry the upload with backoff\nexport const upload = () => 1;\n',
  'src/parse.ts': '// FIXME: empty input crashes the parser\nexport const parse = (s: string) => s.length;\n',
  'src/cache.ts': '// HACK: the cache never expires entries\nexport const cache = new Map();\n',
};

interface Harness {
  readonly app: App;
  readonly slack: FakeSlack;
  readonly db: Db;
  readonly store: ProposalStore;
  readonly repo: Repository;
  readonly url: string;
  /** Pending proposals from a real todo scan of the repository, each posted as a card in C1. */
  readonly cards: Proposal[];
  click(o: { action: string; proposal: number; user?: string; messageTs?: string; value?: string }): Promise<number>;
  home(o: { action: string; proposal: number; user?: string }): Promise<number>;
  idle(): Promise<void>;
}

async function startDecisions(env: Record<string, string> = {}): Promise<Harness> {
  const temp = makeTempDir('teammate-decide-');
  cleanups.push(() => temp.cleanup());
  const root = path.join(temp.dir, 'repo');
  makeGitRepo(root, FILES);
  const slack = await startFakeSlack();
  cleanups.push(() => slack.close());
  const config = loadConfig(
    { TEAMMATE_REPOS: root, TEAMMATE_DATA_DIR: temp.dir, TEAMMATE_REFRESH_CRON: 'off', TEAMMATE_WORKERS: '0' /* decisions only: a worker would run the task at once */, SLACK_BOT_TOKEN: 'xoxb-decide', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', ...env },
    { cwd: temp.dir },
  );
  const db = openDatabase(':memory:');
  migrate(db);
  cleanups.push(() => db.close());
  const repos = reposOf(config);
  const repo = repos[0]!;
  const store = createProposalStore(db);
  const report = await runScan(repo, { scanners: [createTodoScanner()], state: createScanStateStore(db), gitFor: (r) => createScanGit(r.root), logger: silentLogger() });
  expect(report.findings).toHaveLength(3);
  const cards = store.upsertFromFindings(report.findings, { repoId: repo.id, now: Date.now() }).map(({ proposal }, i) => {
    store.recordCardPost(proposal.id, 'C1', `1700009000.00010${i}`, Date.now());
    return store.get(proposal.id)!;
  });
  const app = createApp({ config, logger: silentLogger(), db, repos }, { refreshOnStart: false, slack: { host: '127.0.0.1', retryConfig: { retries: 1, minTimeout: 5, maxTimeout: 10, factor: 1, randomize: false } } });
  cleanups.push(() => app.stop());
  const { slackPort } = await app.start();
  const url = `http://127.0.0.1:${slackPort}/slack/events`;
  const cardTs = (id: number) => cards.find((c) => c.id === id)?.messageTs ?? '1700009999.000100';
  let n = 0;
  // Every click ends in a Slack call (update, ephemeral, publish or open): idle() waits for the first since then.
  let baseline = slack.calls.length;
  return {
    app,
    slack,
    db,
    store,
    repo,
    url,
    cards,
    async click(o) {
      baseline = Math.min(baseline, slack.calls.length);
      const payload = blockActionPayload({
        action_id: o.action,
        value: o.value ?? String(o.proposal),
        user: o.user ?? 'U1',
        channel: 'C1',
        message_ts: o.messageTs ?? cardTs(o.proposal),
        action_ts: `1700010000.${String(++n).padStart(6, '0')}`,
      });
      return (await postToSlackApp(url, SECRET, { kind: 'action', payload })).status;
    },
    async home(o) {
      baseline = Math.min(baseline, slack.calls.length);
      const payload = homeActionPayload(o.action, String(o.proposal), o.user ?? 'U1', `1700020000.${String(++n).padStart(6, '0')}`);
      return (await postToSlackApp(url, SECRET, { kind: 'action', payload })).status;
    },
    async idle() {
      await waitForQuiet(slack, baseline);
      baseline = slack.calls.length;
    },
  };
}

/** A button clicked in the App Home tab: the container is the view, there is no channel or message. */
function homeActionPayload(actionId: string, value: string, user: string, actionTs: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: 'alice', name: 'alice', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'VHOME1' },
    trigger_id: '123.456.home',
    team: { id: 'T1', domain: 'fake' },
    view: { id: 'VHOME1', type: 'home', team_id: 'T1', callback_id: '', hash: 'h1', blocks: [], private_metadata: '', state: { values: {} } },
    actions: [{ type: 'button', action_id: actionId, block_id: `deck:${value}`, value, text: { type: 'plain_text', text: 'x' }, action_ts: actionTs }],
  };
}

/** Listeners run after the ack: wait for a first new call to the fake Slack, then until none came for a moment. */
async function waitForQuiet(slack: FakeSlack, baseline: number, quietMs = 150): Promise<void> {
  for (let i = 0; i < 200 && slack.calls.length <= baseline; i++) await new Promise((r) => setTimeout(r, 25));
  let seen = -1;
  while (seen !== slack.calls.length) {
    seen = slack.calls.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

function blockTexts(call: FakeSlackCall): string {
  return JSON.stringify((call.body.blocks ?? (call.body.view as { blocks?: unknown } | undefined)?.blocks) ?? []);
}

function hasButtons(call: FakeSlackCall): boolean {
  return /proposal\.approve|proposal\.reject|proposal\.snooze/.test(blockTexts(call));
}

function decisions(db: Db): Array<{ proposal_id: number; user_id: string; action: string; surface: string; to_state: string; reason: string | null }> {
  return db.prepare('SELECT proposal_id, user_id, action, surface, to_state, reason FROM decisions ORDER BY id').all() as never;
}

describe('deciding on a proposal card in a channel', () => {
  it('ten concurrent Approve clicks change the state once, queue one task and update the card once, without buttons', async () => {
    const h = await startDecisions();
    const card = h.cards[0]!;
    const statuses = await Promise.all(Array.from({ length: 10 }, () => h.click({ action: 'proposal.approve', proposal: card.id })));
    expect(statuses).toEqual(Array(10).fill(200));
    await h.idle();
    // Each click is its own run after the ack; wait for all ten to have answered.
    for (let i = 0; i < 200 && h.slack.callsTo('chat.update').length + h.slack.callsTo('chat.postEphemeral').length < 10; i++) await new Promise((r) => setTimeout(r, 25));

    expect(h.store.get(card.id)).toMatchObject({ state: 'approved', decidedBy: 'U1' });
    const tasks = h.store.listTasks();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ proposalId: card.id, status: 'queued', executor: 'codex' });
    expect(decisions(h.db)).toEqual([{ proposal_id: card.id, user_id: 'U1', action: 'approve', surface: 'slack', to_state: 'approved', reason: null }]);

    const updates = h.slack.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ channel: 'C1', ts: card.messageTs });
    expect(hasButtons(updates[0]!)).toBe(false);
    expect(blockTexts(updates[0]!)).toContain(`Approved by <@U1> — queued as task #${tasks[0]!.id}`);
    // The nine that lost the race are told privately, and nothing else was called.
    const notes = h.slack.callsTo('chat.postEphemeral');
    expect(notes).toHaveLength(9);
    for (const n of notes) expect(String(n.body.text)).toMatch(/^Already decided — .*Approved by <@U1>/);
    expect(h.slack.unexpected).toEqual([]);
  });

  it('a user outside TEAMMATE_APPROVERS is refused privately and nothing changes', async () => {
    const h = await startDecisions({ TEAMMATE_APPROVERS: 'UBOSS' });
    const card = h.cards[1]!;
    await h.click({ action: 'proposal.approve', proposal: card.id, user: 'UINTERN' });
    await h.click({ action: 'proposal.reject', proposal: card.id, user: 'UINTERN' });
    await h.idle();
    expect(h.store.get(card.id)!.state).toBe('pending');
    expect(h.store.listTasks()).toEqual([]);
    expect(decisions(h.db)).toEqual([]);
    expect(h.slack.callsTo('chat.update')).toEqual([]);
    const notes = h.slack.callsTo('chat.postEphemeral');
    expect(notes.map((n) => n.body.user)).toEqual(['UINTERN', 'UINTERN']);
    expect(String(notes[0]!.body.text)).toContain('TEAMMATE_APPROVERS');
    expect(String(notes[0]!.body.text)).toContain('Nothing changed');

    await h.click({ action: 'proposal.approve', proposal: card.id, user: 'UBOSS' });
    await h.idle();
    expect(h.store.get(card.id)).toMatchObject({ state: 'approved', decidedBy: 'UBOSS' });
  });

  it('approving a card whose TODO was removed on HEAD marks it stale and queues nothing', async () => {
    const h = await startDecisions();
    const card = h.cards.find((c) => c.finding.evidence[0]?.path === 'src/parse.ts')!;
    gitIn(h.repo.root, 'rm', '-q', 'src/parse.ts');
    gitIn(h.repo.root, 'commit', '-q', '-m', 'fix the parser');
    await h.click({ action: 'proposal.approve', proposal: card.id });
    await h.idle();
    expect(h.store.get(card.id)!.state).toBe('stale');
    expect(h.store.listTasks()).toEqual([]);
    expect(decisions(h.db)).toMatchObject([{ proposal_id: card.id, to_state: 'stale', surface: 'slack' }]);
    const [update] = h.slack.callsTo('chat.update');
    expect(hasButtons(update!)).toBe(false);
    expect(blockTexts(update!)).toContain('already resolved on main');

    // A TODO still there is approved as usual.
    const kept = h.cards.find((c) => c.finding.evidence[0]?.path === 'src/retry.ts')!;
    await h.click({ action: 'proposal.approve', proposal: kept.id });
    await h.idle();
    expect(h.store.get(kept.id)!.state).toBe('approved');
    expect(h.store.listTasks()).toHaveLength(1);
  });

  it('a click whose value names another proposal than its card (forged) is refused', async () => {
    const h = await startDecisions();
    const [a, b] = h.cards;
    // Card A's message, value naming proposal B.
    await h.click({ action: 'proposal.approve', proposal: b!.id, messageTs: a!.messageTs });
    // A message that is no card at all.
    await h.click({ action: 'proposal.reject', proposal: a!.id, messageTs: '1700000001.999999' });
    await h.idle();
    expect(h.store.get(a!.id)!.state).toBe('pending');
    expect(h.store.get(b!.id)!.state).toBe('pending');
    expect(h.store.listTasks()).toEqual([]);
    expect(h.slack.callsTo('chat.update')).toEqual([]);
    const notes = h.slack.callsTo('chat.postEphemeral');
    expect(notes).toHaveLength(2);
    for (const n of notes) expect(String(n.body.text)).toContain("doesn't belong to this card");
  });

  it('Reject updates the card with an optional reason menu; the reason picked is audited and shown', async () => {
    const h = await startDecisions();
    const card = h.cards[2]!;
    await h.click({ action: 'proposal.reject', proposal: card.id, user: 'U2' });
    await h.idle();
    const [rejected] = h.slack.callsTo('chat.update');
    expect(hasButtons(rejected!)).toBe(false);
    expect(blockTexts(rejected!)).toContain('Rejected by <@U2>');
    expect(blockTexts(rejected!)).toContain('proposal.reason');

    // Someone else may not explain U2's decision.
    await h.click({ action: 'proposal.reason', proposal: card.id, user: 'U3', value: `${card.id}:wrong` });
    await h.click({ action: 'proposal.reason', proposal: card.id, user: 'U2', value: `${card.id}:wrong` });
    await h.idle();
    expect(String(h.slack.callsTo('chat.postEphemeral')[0]!.body.text)).toContain('Only whoever rejected or snoozed');
    expect(h.store.get(card.id)).toMatchObject({ state: 'rejected', decisionReason: 'the finding is wrong' });
    expect(decisions(h.db)).toMatchObject([{ action: 'reject', reason: 'the finding is wrong', surface: 'slack' }]);
    const explained = h.slack.callsTo('chat.update').at(-1)!;
    expect(blockTexts(explained)).toContain('Rejected by <@U2> (the finding is wrong)');
    expect(blockTexts(explained)).not.toContain('proposal.reason');
  });

  it('Snooze hides the card for a week and says until when', async () => {
    const h = await startDecisions();
    const card = h.cards[0]!;
    await h.click({ action: 'proposal.snooze', proposal: card.id });
    await h.idle();
    const p = h.store.get(card.id)!;
    expect(p.state).toBe('snoozed');
    expect(p.snoozeUntil! - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    expect(blockTexts(h.slack.callsTo('chat.update')[0]!)).toContain('Snoozed by <@U1> until');
  });

  it('Details opens the modal with the click’s trigger_id', async () => {
    const h = await startDecisions();
    const card = h.cards[0]!;
    await h.click({ action: 'proposal.details', proposal: card.id });
    await h.idle();
    const [open] = h.slack.callsTo('views.open');
    expect(open!.body).toMatchObject({ trigger_id: '123.456.abc', view: { type: 'modal', callback_id: 'proposal.details', private_metadata: String(card.id) } });
    expect(h.store.get(card.id)!.state).toBe('pending');
  });
});

describe('the App Home deck', () => {
  it('walks through the pending cards one at a time; a decision there also settles the channel card', async () => {
    const h = await startDecisions();
    const published = () => h.slack.callsTo('views.publish');
    const lastDeck = () => blockTexts(published().at(-1)!);
    const shownId = () => Number(/"block_id":"deck:(\d+)"/.exec(lastDeck())?.[1]);

    await postToSlackApp(h.url, SECRET, { kind: 'event', payload: appHomeOpenedEnvelope({ user: 'U1', event_id: 'EvHome1' }) });
    await h.idle();
    expect(published()[0]!.body.user_id).toBe('U1');
    expect(lastDeck()).toContain('1 of 3 waiting for a decision');
    const first = shownId();

    await h.home({ action: 'deck.skip', proposal: first });
    await h.idle();
    expect(lastDeck()).toContain('2 of 3 waiting for a decision');
    const second = shownId();
    expect(second).not.toBe(first);

    await h.home({ action: 'proposal.approve', proposal: second });
    await h.idle();
    expect(h.store.get(second)!.state).toBe('approved');
    expect(decisions(h.db)).toMatchObject([{ proposal_id: second, surface: 'home', to_state: 'approved' }]);
    // The channel card of the one decided on Home lost its buttons too.
    const update = h.slack.callsTo('chat.update').at(-1)!;
    expect(update.body).toMatchObject({ channel: 'C1', ts: h.cards.find((c) => c.id === second)!.messageTs });
    expect(hasButtons(update)).toBe(false);
    expect(lastDeck()).toContain('1 of 2 waiting for a decision');
    expect(lastDeck()).toContain('Approved by <@U1>');

    await h.home({ action: 'proposal.reject', proposal: shownId() });
    await h.idle();
    expect(lastDeck()).toContain('1 of 1 waiting for a decision');
    await h.home({ action: 'proposal.snooze', proposal: shownId() });
    await h.idle();
    expect(lastDeck()).toContain('Nothing is waiting for a decision');
    expect(decisions(h.db).map((d) => d.surface)).toEqual(['home', 'home', 'home']);
    expect(h.store.listTasks()).toHaveLength(1);
  });

  it('tells someone not allowed on the deck itself, and keeps the card', async () => {
    const h = await startDecisions({ TEAMMATE_APPROVERS: 'UBOSS' });
    const id = h.cards[0]!.id;
    await h.home({ action: 'proposal.approve', proposal: id, user: 'UINTERN' });
    await h.idle();
    expect(h.store.get(id)!.state).toBe('pending');
    const deck = blockTexts(h.slack.callsTo('views.publish').at(-1)!);
    expect(deck).toContain('TEAMMATE_APPROVERS');
    expect(deck).toContain('of 3 waiting for a decision');
  });
});

function settingsSubmission(user: string, o: { approvers: string[]; budget: string; quiet: string; repoIds: string[]; scannersOn: string[][] }): Record<string, unknown> {
  const values: Record<string, unknown> = {
    approvers: { value: { type: 'multi_users_select', selected_users: o.approvers } },
    card_budget: { value: { type: 'number_input', value: o.budget } },
    quiet_hours: { value: { type: 'plain_text_input', value: o.quiet } },
  };
  o.scannersOn.forEach((on, i) => {
    values[`scanners:${i}`] = { value: { type: 'checkboxes', selected_options: on.map((s) => ({ text: { type: 'plain_text', text: s }, value: s })) } };
  });
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'fake' },
    user: { id: user, username: 'u', name: 'u', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    trigger_id: '123.456.settings',
    view: {
      id: 'VSET1',
      team_id: 'T1',
      type: 'modal',
      callback_id: 'teammate.settings',
      private_metadata: JSON.stringify({ repos: o.repoIds }),
      hash: 'h',
      blocks: [],
      state: { values },
      title: { type: 'plain_text', text: 'Teammate settings' },
    },
  };
}

describe('/teammate settings', () => {
  it('opens the modal for an admin only, and refuses others privately', async () => {
    const h = await startDecisions({ TEAMMATE_ADMINS: 'UADMIN', TEAMMATE_CARD_BUDGET: '4' });
    await postToSlackApp(h.url, SECRET, { kind: 'command', payload: slashCommandBody({ text: 'settings', user: 'UINTERN', response_url: h.slack.responseUrl('intern') }) });
    await h.idle();
    expect(h.slack.callsTo('views.open')).toEqual([]);
    expect(String(h.slack.callsTo('response_url')[0]!.body.text)).toContain('TEAMMATE_ADMINS');

    await postToSlackApp(h.url, SECRET, { kind: 'command', payload: slashCommandBody({ text: 'settings', user: 'UADMIN' }) });
    await h.idle();
    const [open] = h.slack.callsTo('views.open');
    expect(open!.body).toMatchObject({ trigger_id: '123.456.abc', view: { type: 'modal', callback_id: 'teammate.settings' } });
    const blocks = JSON.stringify((open!.body.view as { blocks: unknown }).blocks);
    expect(blocks).toContain('"initial_value":"4"');
    expect(blocks).toContain('"initial_value":"19-08,weekends"');
    expect(blocks).toContain(`Scanners in ${h.repo.label}`);
  });

  it('a saved submission is stored and overrides TEAMMATE_APPROVERS for the next decision; bad input is shown on its field', async () => {
    const h = await startDecisions({ TEAMMATE_ADMINS: 'UADMIN' });
    const bad = await postToSlackApp(h.url, SECRET, {
      kind: 'action',
      payload: settingsSubmission('UADMIN', { approvers: ['UBOSS'], budget: '99', quiet: 'nightly', repoIds: [h.repo.id], scannersOn: [['todo']] }),
    });
    expect(JSON.parse(bad.body)).toMatchObject({ response_action: 'errors', errors: { card_budget: expect.any(String), quiet_hours: expect.stringContaining('expected hours') } });
    const intruder = await postToSlackApp(h.url, SECRET, {
      kind: 'action',
      payload: settingsSubmission('UINTERN', { approvers: ['UINTERN'], budget: '3', quiet: 'off', repoIds: [h.repo.id], scannersOn: [['todo']] }),
    });
    expect(JSON.parse(intruder.body)).toMatchObject({ response_action: 'errors' });
    expect(h.db.prepare('SELECT COUNT(*) FROM team_settings').pluck().get()).toBe(0);

    const ok = await postToSlackApp(h.url, SECRET, {
      kind: 'action',
      payload: settingsSubmission('UADMIN', { approvers: ['UBOSS'], budget: '3', quiet: '22-07', repoIds: [h.repo.id], scannersOn: [['todo', 'ci']] }),
    });
    expect(ok.status).toBe(200);
    const rows = h.db.prepare('SELECT key, value, updated_by FROM team_settings ORDER BY key').all() as { key: string; value: string; updated_by: string }[];
    expect(Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]))).toEqual({
      approvers: ['UBOSS'],
      card_budget: 3,
      quiet_hours: '22-07',
      scanners_off: { [h.repo.id]: ['dependencies', 'review', 'issues'] },
    });
    expect(new Set(rows.map((r) => r.updated_by))).toEqual(new Set(['UADMIN']));

    // No restart: the next click is judged by the saved approvers.
    const card = h.cards[0]!;
    await h.click({ action: 'proposal.approve', proposal: card.id, user: 'U1' });
    await h.idle();
    expect(h.store.get(card.id)!.state).toBe('pending');
    expect(String(h.slack.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain('TEAMMATE_APPROVERS');
    await h.click({ action: 'proposal.approve', proposal: card.id, user: 'UBOSS' });
    await h.idle();
    expect(h.store.get(card.id)).toMatchObject({ state: 'approved', decidedBy: 'UBOSS' });
  });
});
