/** createPostDigest over the real SQLite digest queries and scanner state; the Slack side is a recording DigestPoster port. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPostDigest } from '../../src/digests/post-digest.js';
import type { Digest } from '../../src/digests/types.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { pausedScannersOf } from '../../src/scanners/scan-state.js';
import { createDigestQueries } from '../../src/storage/digest-queries.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';
import { DAY, cleanupDbs, finding, manualClock, tempDb } from '../proposals/fixtures.js';

afterEach(cleanupDbs);

function setup() {
  const { db } = tempDb();
  const clock = manualClock();
  const posted: { channel: string; digest: Digest }[] = [];
  const state = createScanStateStore(db);
  const postDigest = createPostDigest({
    queries: createDigestQueries(db),
    pausedScanners: pausedScannersOf(state),
    poster: { post: async (channel, digest) => (posted.push({ channel, digest }), `1700000000.00000${posted.length}`) },
    now: clock.now,
  });
  const digests = () => db.prepare('SELECT channel, period_from AS "from", period_to AS "to", message_ts AS ts FROM digests ORDER BY id').all();
  return { db, clock, posted, state, postDigest, store: createProposalStore(db), digests };
}

const policy = { cardBudget: 5, minConfidence: 0 };

describe('postDigest', () => {
  it('posts the period since the last digest and records it; an empty period posts and records nothing', async () => {
    const { clock, posted, postDigest, store, digests } = setup();
    const first = await postDigest('C1', [{ id: 'r' }], new Date(clock.now()));
    expect(first).toMatchObject({ posted: false, text: 'Nothing happened since the last digest, so I posted nothing.' });
    expect(digests()).toEqual([]);

    proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1), finding(2)] }, { store, policy, now: clock.now });
    clock.advance(DAY);
    const second = await postDigest('C1', [{ id: 'r' }], new Date(clock.now()));
    expect(second.posted).toBe(true);
    expect(second.text).toBe('Digest posted: 2 new proposals, 0 approved, 0 rejected, 2 waiting for a decision.');
    expect(posted.map((p) => [p.channel, p.digest.proposals.total])).toEqual([['C1', 2]]);
    expect(digests()).toEqual([{ channel: 'C1', from: clock.now() - 7 * DAY, to: clock.now(), ts: '1700000000.000001' }]);

    // Another repository's proposals are not this channel's news.
    proposeFindings({ repoId: 'other', channel: 'C2', findings: [finding(3)] }, { store, policy, now: clock.now });
    clock.advance(DAY);
    expect((await postDigest('C1', [{ id: 'r' }], new Date(clock.now()))).posted).toBe(false);
    expect(posted).toHaveLength(1);
  });

  it('a back-filled slot older than the last digest (a manual one came first) has nothing left to cover', async () => {
    const { clock, posted, postDigest, store } = setup();
    const slot = clock.now();
    clock.advance(DAY / 24);
    proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1)] }, { store, policy, now: clock.now });
    clock.advance(DAY / 24);
    expect((await postDigest('C1', [{ id: 'r' }], new Date(clock.now()))).posted).toBe(true);
    const late = await postDigest('C1', [{ id: 'r' }], new Date(slot));
    expect(late).toEqual({ posted: false, text: 'The last digest already covers this period, so I posted nothing.' });
    expect(posted).toHaveLength(1);
  });

  it('a paused scanner of the channel’s repository is news on its own; another repository’s is not', async () => {
    const { clock, posted, postDigest, state } = setup();
    for (let i = 0; i < 3; i++) state.recordFailure('other', 'ci', { error: 'boom', at: new Date(clock.now()), pauseAfter: 3 });
    expect((await postDigest('C1', [{ id: 'r' }], new Date(clock.now()))).posted).toBe(false);
    for (let i = 0; i < 3; i++) state.recordFailure('r', 'issues', { error: 'GitHub answered 502', at: new Date(clock.now()), pauseAfter: 3 });
    expect((await postDigest('C1', [{ id: 'r' }], new Date(clock.now()))).posted).toBe(true);
    expect(posted[0]!.digest.pausedScanners).toEqual([{ repoId: 'r', scanner: 'issues', failures: 3, lastError: 'GitHub answered 502' }]);
  });
});
