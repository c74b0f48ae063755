import { afterEach, describe, expect, it } from 'vitest';
import type { ChatModel } from '../../src/llm/types.js';
import { decideProposal } from '../../src/proposals/decide-proposal.js';
import { loadHomeDeck } from '../../src/proposals/load-home-deck.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { renderProposalText } from '../../src/proposals/render-proposal-text.js';
import { writeUpProposals } from '../../src/proposals/write-up-proposals.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, manualClock, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

function setup() {
  const { db } = tempDb();
  const store = createProposalStore(db);
  const clock = manualClock();
  const findings = [finding(1, { severity: 'high' }), finding(2), finding(3, { severity: 'low' })];
  proposeFindings({ repoId: 'acme/api', channel: 'C1', findings }, { store, policy: { cardBudget: 1, minConfidence: 0 }, now: clock.now });
  return { store, clock };
}

describe('Home deck walk-through', () => {
  it('walks the pending proposals one at a time, best first, wrapping on Skip and moving on after a decision', async () => {
    const { store, clock } = setup();
    const first = loadHomeDeck(store);
    expect([first.current?.fingerprint, first.position, first.total]).toEqual(['fp-1', 1, 3]);
    const skipped = loadHomeDeck(store, { afterProposalId: first.current!.id });
    expect([skipped.current?.fingerprint, skipped.position]).toEqual(['fp-2', 2]);
    const last = loadHomeDeck(store, { afterProposalId: loadHomeDeck(store, { afterProposalId: skipped.current!.id }).current!.id });
    expect([last.current?.fingerprint, last.position]).toEqual(['fp-1', 1]);

    await decideProposal({ proposalId: skipped.current!.id, userId: 'U1', action: 'approve', surface: 'home' }, { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now: clock.now });
    const next = loadHomeDeck(store, { afterProposalId: skipped.current!.id });
    expect([next.current?.fingerprint, next.position, next.total]).toEqual(['fp-1', 1, 2]);
    expect(next.recentDecisions.map((d) => [d.userId, d.action, d.surface])).toEqual([['U1', 'approve', 'home']]);
    expect(next.tasks.map((t) => [t.proposalId, t.status])).toEqual([[skipped.current!.id, 'queued']]);
  });

  it('is empty when nothing waits', () => {
    const store = createProposalStore(tempDb().db);
    expect(loadHomeDeck(store)).toEqual({ current: undefined, position: 0, total: 0, recentDecisions: [], tasks: [] });
  });
});

describe('writeUpProposals and the console text', () => {
  it('stores one write-up per proposal (model first, scanner text when the model fails) and skips ones already written', async () => {
    const { store, clock } = setup();
    const calls: string[] = [];
    const replies = [
      JSON.stringify({ title: 'Retry the send', why: 'Lost deliveries.', plan: '1. Retry.', acceptance: 'Tests pass.' }),
      'not json at all',
    ];
    const model: ChatModel = {
      name: 'scripted',
      complete: async (req) => {
        calls.push(String(req.messages[1]?.content ?? ''));
        const content = replies.shift();
        if (content === undefined) throw new Error('unexpected extra model call');
        return { content, toolCalls: [], finishReason: 'stop' };
      },
    };
    const pending = store.listPending();
    const errors: number[] = [];
    const out = await writeUpProposals(pending.slice(0, 2), { store, model, now: clock.now, onError: (_e, p) => errors.push(p.id) });
    expect(out.map((p) => p.writeup?.source)).toEqual(['llm', 'scanner']);
    expect(errors).toEqual([pending[1]!.id]);
    expect(store.get(pending[0]!.id)!.writeup!.title).toBe('Retry the send');
    await writeUpProposals([store.get(pending[0]!.id)!], { store, model, now: clock.now });
    expect(calls).toHaveLength(2);

    const text = renderProposalText(store.get(pending[0]!.id)!, 'acme/api');
    expect(text).toContain(`#${pending[0]!.id} Retry the send`);
    expect(text).toContain('acme/api · todo · confidence 80% · size S · severity high');
    expect(text).toContain('  - src/f1.ts:1-3');
    expect(text).toContain('Done when: Tests pass.');
  });
});
