import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { decideProposal, type DecisionPolicy } from '../../src/proposals/decide-proposal.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, manualClock, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

const anyone: DecisionPolicy = { approvers: [], allowSelfApproval: false, executor: 'codex' };

function setup(requestedBy?: string) {
  const { db, file } = tempDb();
  const store = createProposalStore(db);
  const clock = manualClock();
  const proposal = requestedBy
    ? store.upsertFromFinding(finding(1, { scanner: 'request', rule: 'request.thread' }), { repoId: 'acme/api', now: clock.now(), requestedBy, channel: 'C1', threadTs: '1.1' }).proposal
    : proposeFindings({ repoId: 'acme/api', channel: 'C1', findings: [finding(1)] }, { store, policy: { cardBudget: 5, minConfidence: 0 }, now: clock.now }).cards[0]!;
  return { db, file, store, clock, proposal };
}

describe('decideProposal', () => {
  it('approval queues one task for the configured executor and writes the audit row', async () => {
    const { db, store, clock, proposal } = setup();
    const r = await decideProposal(
      { proposalId: proposal.id, userId: 'U1', action: 'approve', surface: 'home', reason: ' looks right ' },
      { store, policy: { ...anyone, executor: 'github-issue' }, now: clock.now, recheck: async () => true },
    );
    expect(r.kind).toBe('approved');
    if (r.kind !== 'approved') return;
    expect(r.proposal).toMatchObject({ state: 'approved', decidedBy: 'U1', decisionReason: 'looks right', taskId: r.taskId });
    expect(store.listTasks()).toMatchObject([{ id: r.taskId, proposalId: proposal.id, status: 'queued', executor: 'github-issue', attempts: 0, repoId: 'acme/api' }]);
    expect(db.prepare('SELECT user_id, action, surface, from_state, to_state, reason FROM decisions').all()).toEqual([
      { user_id: 'U1', action: 'approve', surface: 'home', from_state: 'pending', to_state: 'approved', reason: 'looks right' },
    ]);
    expect(db.prepare('SELECT kind FROM task_events WHERE task_id = ?').pluck().all(r.taskId)).toEqual(['queued']);
    // A second click is told who won, and nothing else changes.
    const again = await decideProposal({ proposalId: proposal.id, userId: 'U2', action: 'reject', surface: 'slack' }, { store, policy: anyone, now: clock.now });
    expect(again).toMatchObject({ kind: 'already-decided', state: 'approved', by: 'U1' });
    expect(db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(1);
  });

  it('refuses users outside TEAMMATE_APPROVERS and leaves the state alone', async () => {
    const { store, clock, proposal, db } = setup();
    const policy = { ...anyone, approvers: ['UBOSS'] };
    for (const action of ['approve', 'reject', 'snooze'] as const) {
      const r = await decideProposal({ proposalId: proposal.id, userId: 'UINTERN', action, surface: 'slack' }, { store, policy, now: clock.now });
      expect(r).toMatchObject({ kind: 'not-allowed', reason: expect.stringContaining('TEAMMATE_APPROVERS') });
    }
    expect(store.get(proposal.id)!.state).toBe('pending');
    expect(db.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(0);
    expect((await decideProposal({ proposalId: proposal.id, userId: 'UBOSS', action: 'reject', surface: 'slack' }, { store, policy, now: clock.now })).kind).toBe('rejected');
  });

  it('the requester may not approve their own request unless self-approval is on; others may', async () => {
    const { store, clock, proposal } = setup('UREQ');
    const self = await decideProposal({ proposalId: proposal.id, userId: 'UREQ', action: 'approve', surface: 'slack' }, { store, policy: anyone, now: clock.now });
    expect(self).toMatchObject({ kind: 'not-allowed', reason: expect.stringContaining('TEAMMATE_ALLOW_SELF_APPROVAL') });
    // Rejecting your own request is fine.
    const other = setup('UREQ');
    expect((await decideProposal({ proposalId: other.proposal.id, userId: 'UREQ', action: 'reject', surface: 'slack' }, { store: other.store, policy: anyone, now: other.clock.now })).kind).toBe('rejected');
    const allowed = await decideProposal(
      { proposalId: proposal.id, userId: 'UREQ', action: 'approve', surface: 'slack' },
      { store, policy: { ...anyone, allowSelfApproval: true }, now: clock.now },
    );
    expect(allowed.kind).toBe('approved');
  });

  it('marks the proposal stale and queues nothing when the evidence is gone from HEAD', async () => {
    const { store, clock, proposal, db } = setup();
    const seen: string[] = [];
    const r = await decideProposal(
      { proposalId: proposal.id, userId: 'U1', action: 'approve', surface: 'slack' },
      { store, policy: anyone, now: clock.now, recheck: async (f) => (seen.push(f.fingerprint), false) },
    );
    expect(seen).toEqual(['fp-1']);
    expect(r).toMatchObject({ kind: 'stale', proposal: { state: 'stale', decisionReason: 'already resolved on main' } });
    expect(db.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(0);
    expect(db.prepare('SELECT to_state FROM decisions').pluck().all()).toEqual(['stale']);
  });

  it('a failing re-check is reported and changes nothing', async () => {
    const { store, clock, proposal } = setup();
    const r = await decideProposal(
      { proposalId: proposal.id, userId: 'U1', action: 'approve', surface: 'slack' },
      { store, policy: anyone, now: clock.now, recheck: async () => Promise.reject(new Error('git fetch timed out')) },
    );
    expect(r).toMatchObject({ kind: 'recheck-failed', reason: expect.stringContaining('git fetch timed out') });
    expect(store.get(proposal.id)!.state).toBe('pending');
  });

  it('an unknown proposal is not-found', async () => {
    const { store, clock } = setup();
    expect(await decideProposal({ proposalId: 999, userId: 'U1', action: 'approve', surface: 'slack' }, { store, policy: anyone, now: clock.now })).toEqual({
      kind: 'not-found',
      proposalId: 999,
    });
  });

  it('ten concurrent clicks from separate connections change the state once and queue exactly one task', async () => {
    const { db, file, proposal } = setup();
    const run = async (proposalId: number, actions: readonly ('approve' | 'reject' | 'snooze')[]) => {
      const barrier = new SharedArrayBuffer(8);
      const flags = new Int32Array(barrier);
      const results: Promise<{ kind: string; taskId: number | null; by: string | null }>[] = [];
      const workers: Worker[] = [];
      for (const [i, action] of actions.entries()) {
        const w = new Worker(new URL('./decide-worker.mjs', import.meta.url), {
          workerData: { file, proposalId, userId: `U${i}`, action, barrier },
        });
        workers.push(w);
        results.push(new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
      }
      while (Atomics.load(flags, 0) < actions.length) await new Promise((r) => setTimeout(r, 5));
      Atomics.store(flags, 1, 1);
      Atomics.notify(flags, 1);
      const out = await Promise.all(results);
      await Promise.all(workers.map((w) => w.terminate()));
      return out;
    };
    const out = await run(proposal.id, Array.from({ length: 10 }, () => 'approve' as const));
    expect(out.filter((r) => r.kind === 'error')).toEqual([]);
    const winners = out.filter((r) => r.kind === 'approved');
    expect(winners).toHaveLength(1);
    expect(out.filter((r) => r.kind === 'already-decided')).toHaveLength(9);
    const winnerBy = out.find((r) => r.kind === 'already-decided')!.by;
    expect(out.every((r) => r.kind === 'approved' || r.by === winnerBy)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(1);
    expect(db.prepare('SELECT id FROM tasks').pluck().get()).toBe(winners[0]!.taskId);
    expect(db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(1);

    // Approve and Reject clicked at the same moment on a fresh card: one of them wins, once.
    const second = proposeFindings({ repoId: 'acme/api', channel: 'C1', findings: [finding(2)] }, { store: createProposalStore(db), policy: { cardBudget: 5, minConfidence: 0 }, now: () => Date.UTC(2026, 11, 2, 10) }).cards[0]!;
    const mixed = await run(second.id, ['approve', 'reject', 'approve', 'reject', 'snooze', 'approve', 'reject', 'snooze', 'approve', 'reject']);
    expect(mixed.filter((r) => r.kind !== 'already-decided')).toHaveLength(1);
    expect(db.prepare('SELECT COUNT(*) FROM decisions WHERE proposal_id = ?').pluck().get(second.id)).toBe(1);
    const winner = mixed.find((r) => r.kind !== 'already-decided')!;
    expect(db.prepare('SELECT COUNT(*) FROM tasks WHERE proposal_id = ?').pluck().get(second.id)).toBe(winner.kind === 'approved' ? 1 : 0);
  });
});
