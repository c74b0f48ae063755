import { afterEach, describe, expect, it } from 'vitest';
import { type CardPoster, postSelectedCards } from '../../src/proposals/post-cards.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, manualClock, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

describe('postSelectedCards', () => {
  it('posts each selected card once, in rank order, and retries only what failed', async () => {
    const { db } = tempDb();
    const store = createProposalStore(db);
    const clock = manualClock();
    proposeFindings(
      { repoId: 'r', channel: 'C1', findings: [finding(1, { severity: 'low' }), finding(2, { severity: 'critical' }), finding(3), finding(4)] },
      { store, policy: { cardBudget: 3, minConfidence: 0 }, now: clock.now },
    );
    const calls: string[] = [];
    let failNext = true;
    const poster: CardPoster = {
      post: async (channel, p) => {
        calls.push(`${channel}:${p.fingerprint}`);
        if (p.fingerprint === 'fp-3' && failNext) {
          failNext = false;
          throw new Error('ratelimited');
        }
        return `1700000000.00000${p.id}`;
      },
    };
    const first = await postSelectedCards('C1', { store, poster, now: clock.now });
    expect(calls).toEqual(['C1:fp-2', 'C1:fp-3', 'C1:fp-4']);
    expect(first.posted).toHaveLength(2);
    expect(first.failed).toEqual([{ proposalId: expect.any(Number), error: 'ratelimited' }]);
    const second = await postSelectedCards('C1', { store, poster, now: clock.now });
    expect(calls.slice(3)).toEqual(['C1:fp-3']);
    expect(second.posted).toHaveLength(1);
    expect(await postSelectedCards('C1', { store, poster, now: clock.now })).toEqual({ posted: [], failed: [] });
    expect(calls).toHaveLength(4);
    const ts = second.posted[0]!.ts;
    expect(store.findByCard('C1', ts)!.fingerprint).toBe('fp-3');
    // The deck-only proposal (over the budget of 3) is never posted.
    expect(store.listPending().find((p) => p.fingerprint === 'fp-1')).toMatchObject({ delivery: 'deck', messageTs: undefined });
  });
});
