import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_CONFIDENCE, proposeFindings, type ProposalPolicy } from '../../src/proposals/propose-findings.js';
import { decideProposal } from '../../src/proposals/decide-proposal.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { DAY, cleanupDbs, finding, manualClock, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

const loud: ProposalPolicy = { cardBudget: 50, quietHours: { weekends: false }, timeZone: 'UTC', minConfidence: DEFAULT_MIN_CONFIDENCE };
const decisionPolicy = { approvers: [], allowSelfApproval: false, executor: 'codex' };

function setup() {
  const { db } = tempDb();
  const store = createProposalStore(db);
  const clock = manualClock();
  const scan = (findings: ReturnType<typeof finding>[], policy = loud) =>
    proposeFindings({ repoId: 'acme/api', channel: 'C1', findings }, { store, policy, now: clock.now });
  return { db, store, clock, scan };
}

describe('fingerprint memory', () => {
  it('proposes each finding once over 10 consecutive scans of the same findings', () => {
    const { scan, db } = setup();
    const findings = [1, 2, 3].map((n) => finding(n));
    const posted: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = scan(findings);
      posted.push(r.cards.length + r.deck.length);
      if (i > 0) expect(r.suppressed.duplicate).toBe(3);
    }
    expect(posted).toEqual([3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(db.prepare('SELECT COUNT(*) FROM proposals').pluck().get()).toBe(3);
    expect(db.prepare('SELECT COUNT(*) FROM scan_runs').pluck().get()).toBe(10);
  });

  it('keeps a pending card on its latest evidence without re-posting it (a TODO that moved lines)', () => {
    const { scan, store } = setup();
    const first = scan([finding(1)]).cards[0]!;
    const moved = finding(1, { evidence: [{ path: 'src/f1.ts', startLine: 40, endLine: 42, commit: 'b'.repeat(40) }] });
    expect(scan([moved]).cards).toEqual([]);
    expect(store.get(first.id)!.finding.evidence[0]!.startLine).toBe(40);
  });

  it('keeps a rejected finding silent until its evidence changes (a new fingerprint)', async () => {
    const { scan, store, clock } = setup();
    const card = scan([finding(1)]).cards[0]!;
    const r = await decideProposal({ proposalId: card.id, userId: 'U1', action: 'reject', surface: 'slack' }, { store, policy: decisionPolicy, now: clock.now });
    expect(r.kind).toBe('rejected');
    for (let i = 0; i < 5; i++) {
      clock.advance(30 * DAY);
      expect(scan([finding(1)]).cards).toEqual([]);
    }
    const edited = scan([finding(1, { fingerprint: 'fp-1-edited', title: 'FIXME 1: handle the retry and the timeout' })]);
    expect(edited.cards.map((c) => c.title)).toEqual(['FIXME 1: handle the retry and the timeout']);
    expect(store.get(card.id)!.state).toBe('rejected');
  });

  it('brings a snoozed proposal back only after its snooze', async () => {
    const { scan, store, clock } = setup();
    const card = scan([finding(1)]).cards[0]!;
    const r = await decideProposal({ proposalId: card.id, userId: 'U1', action: 'snooze', surface: 'home' }, { store, policy: decisionPolicy, now: clock.now });
    expect(r).toMatchObject({ kind: 'snoozed', until: clock.now() + 7 * DAY });
    clock.advance(7 * DAY - 1);
    expect(scan([finding(1)]).cards).toEqual([]);
    clock.advance(1);
    const back = scan([finding(1)]);
    expect(back.cards.map((c) => c.id)).toEqual([card.id]);
    expect(back.cards[0]).toMatchObject({ state: 'pending', messageTs: undefined, decidedBy: undefined, delivery: 'channel' });
    // Back once, then silent again.
    expect(scan([finding(1)]).cards).toEqual([]);
  });

  it('never re-proposes an approved one', async () => {
    const { scan, store, clock } = setup();
    const card = scan([finding(1)]).cards[0]!;
    await decideProposal({ proposalId: card.id, userId: 'U1', action: 'approve', surface: 'slack' }, { store, policy: decisionPolicy, now: clock.now });
    clock.advance(365 * DAY);
    expect(scan([finding(1)]).suppressed.duplicate).toBe(1);
  });

  it('brings a stale one back when a scan sees the same evidence again', async () => {
    const { scan, store, clock } = setup();
    const card = scan([finding(1)]).cards[0]!;
    const r = await decideProposal(
      { proposalId: card.id, userId: 'U1', action: 'approve', surface: 'slack' },
      { store, policy: decisionPolicy, now: clock.now, recheck: async () => false },
    );
    expect(r.kind).toBe('stale');
    expect(scan([finding(1)]).cards.map((c) => c.id)).toEqual([card.id]);
  });

  it('remembers a card post so a restart posts only what was selected and not posted', () => {
    const { scan, store, clock } = setup();
    const r = scan([finding(1), finding(2)]);
    store.recordCardPost(r.cards[0]!.id, 'C1', '111.222', clock.now());
    expect(store.listUnpostedCards('C1').map((p) => p.id)).toEqual([r.cards[1]!.id]);
    expect(store.findByCard('C1', '111.222')!.id).toBe(r.cards[0]!.id);
  });
});
