/**
 * `/cards` in the console: the same decisions as Slack, taken with one key per line from piped
 * stdin, on a real SQLite proposal store, recorded with surface `console`.
 */
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runConsole } from '../../src/console/run-console.js';
import type { ConsoleCards } from '../../src/console/review-cards.js';
import type { DecisionPolicy } from '../../src/proposals/decide-proposal.js';
import type { Repository } from '../../src/repos/repository.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, tempDb } from '../proposals/fixtures.js';

const repo: Repository = { id: 'acme/api', root: '/srv/api', label: 'acme/api' };
afterEach(() => cleanupDbs());

function seeded(policy: Partial<DecisionPolicy> = {}, extra: Partial<ConsoleCards> = {}) {
  const { db } = tempDb();
  const store = createProposalStore(db);
  // Severity ranks the deck: high first, then medium, then low.
  const ids = store
    .upsertFromFindings([finding(1, { severity: 'high' }), finding(2, { severity: 'medium' }), finding(3, { severity: 'low' })], { repoId: repo.id, now: Date.now() })
    .map((r) => r.proposal.id);
  const cards: ConsoleCards = { store, policy: () => ({ approvers: [], allowSelfApproval: false, executor: 'codex', ...policy }), userId: 'alice', ...extra };
  return { db, store, ids, cards };
}

async function keys(lines: string[], cards: ConsoleCards): Promise<string> {
  const output = new PassThrough();
  let out = '';
  output.on('data', (d) => (out += d));
  await runConsole({
    input: Readable.from(lines.map((l) => `${l}\n`)),
    output,
    status: new PassThrough(),
    interactive: false,
    repos: [repo],
    modeLabel: 'extractive',
    answerQuestion: () => Promise.reject(new Error('no question expected')),
    cards,
  });
  return out;
}

describe('console /cards', () => {
  it('shows one card at a time and takes a / r / s / n keys', async () => {
    const { db, store, ids, cards } = seeded();
    const [high, medium, low] = ids as [number, number, number];
    const out = await keys(['/cards', 'n', 'a', 'r not worth it', 's', 'q'], cards);

    expect(out).toContain('— card 1 of 3 —');
    expect(out).toContain(`#${high} FIXME 1: handle the retry`);
    // n: the next one, still 3 waiting.
    expect(out).toContain('— card 2 of 3 —');
    expect(out.indexOf(`#${medium} FIXME 2`)).toBeGreaterThan(out.indexOf('— card 2 of 3 —'));
    const task = store.listTasks()[0]!;
    expect(out).toContain(`Approved #${medium} — queued as task #${task.id}.`);
    expect(out).toContain(`Rejected #${high} (not worth it).`);
    expect(out).toMatch(new RegExp(`Snoozed #${low} until \\d{4}-\\d{2}-\\d{2}\\.`));
    expect(out).toContain('Nothing is waiting for a decision.');
    expect(out).toContain('(back to questions)');

    expect(store.get(medium)).toMatchObject({ state: 'approved', decidedBy: 'alice' });
    expect(store.get(high)).toMatchObject({ state: 'rejected', decisionReason: 'not worth it' });
    expect(store.get(low)!.state).toBe('snoozed');
    expect(store.listTasks()).toHaveLength(1);
    const audit = db.prepare('SELECT proposal_id, user_id, action, surface FROM decisions ORDER BY id').all();
    expect(audit).toEqual([
      { proposal_id: medium, user_id: 'alice', action: 'approve', surface: 'console' },
      { proposal_id: high, user_id: 'alice', action: 'reject', surface: 'console' },
      { proposal_id: low, user_id: 'alice', action: 'snooze', surface: 'console' },
    ]);
  });

  it('someone outside TEAMMATE_APPROVERS is told why and stays on the same card; a stale approval queues nothing', async () => {
    const refused = seeded({ approvers: ['UBOSS'] });
    const out = await keys(['/cards', 'a', 'x'], refused.cards);
    expect(out).toContain('Not allowed: Only the approvers listed in TEAMMATE_APPROVERS');
    expect(out).toContain('Unknown key "x"');
    expect(refused.store.countPending()).toBe(3);

    const gone = seeded({}, { recheck: async () => false });
    const staleOut = await keys(['/cards', 'a'], gone.cards);
    expect(staleOut).toContain(`#${gone.ids[0]} is stale: already resolved on main. Nothing queued.`);
    expect(gone.store.get(gone.ids[0]!)!.state).toBe('stale');
    expect(gone.store.listTasks()).toEqual([]);
  });

  it('questions work again after leaving the deck, and /cards without a store says so', async () => {
    const asked: string[] = [];
    const back = new PassThrough();
    let backText = '';
    back.on('data', (d) => (backText += d));
    await runConsole({
      input: Readable.from(['/cards\n', 'q\n', 'where is the retry?\n']),
      output: back,
      status: new PassThrough(),
      interactive: false,
      repos: [repo],
      modeLabel: 'x',
      answerQuestion: async (q) => {
        asked.push(q.text);
        return { text: 'in src/f1.ts', citations: [], mode: 'extractive' };
      },
      cards: seeded().cards,
    });
    expect(backText).toContain('— card 1 of 3 —');
    expect(asked).toEqual(['where is the retry?']);
    expect(backText).toContain('in src/f1.ts');
    const output = new PassThrough();
    let text = '';
    output.on('data', (d) => (text += d));
    await runConsole({ input: Readable.from(['/cards\n']), output, status: new PassThrough(), interactive: false, repos: [repo], modeLabel: 'x', answerQuestion: () => Promise.reject(new Error('none')) });
    expect(text).toContain('Proposal cards are not available here');
  });
});
