import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { MAX_RECHECKS_PER_SCAN, retireResolved } from '../../src/proposals/retire-resolved.js';
import type { Proposal } from '../../src/proposals/types.js';
import type { Finding } from '../../src/scanners/finding.js';
import type { ScanReport, ScannerStatus } from '../../src/scanners/run-scan.js';
import { DEFAULT_REPO_SETTINGS } from '../../src/scanners/repo-settings.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, manualClock, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

const repo = { id: 'r', root: '/nonexistent', label: 'acme/r' };

function report(findings: Finding[], statuses: Record<string, ScannerStatus>): ScanReport {
  return {
    repo: repo.id,
    findings,
    outcomes: Object.entries(statuses).map(([scanner, status]) => ({ scanner, status, findings: 0, durationMs: 1 })),
    settings: DEFAULT_REPO_SETTINGS,
  };
}

function setup(findings: Finding[]) {
  const { db } = tempDb();
  const store = createProposalStore(db);
  const clock = manualClock();
  proposeFindings({ repoId: repo.id, channel: 'C1', findings }, { store, policy: { cardBudget: 50, minConfidence: 0 }, now: clock.now });
  return { db, store, clock };
}

describe('retireResolved', () => {
  it('retires a pending proposal the scan no longer reports once its evidence is gone, audits it, and updates its card', async () => {
    const { db, store, clock } = setup([finding(1), finding(2)]);
    const first = store.listPending().find((p) => p.fingerprint === 'fp-1')!;
    store.recordCardPost(first.id, 'C1', '1700000000.000100', clock.now());
    const rechecked: string[] = [];
    const updated: Proposal[] = [];
    const retired = await retireResolved(repo, report([finding(2)], { todo: 'ok' }), {
      store,
      recheck: async (f) => (rechecked.push(f.fingerprint), false),
      updateCard: async (p) => void updated.push(p),
      now: clock.now,
      logger: silentLogger(),
    });
    expect(rechecked).toEqual(['fp-1']);
    expect(retired.map((p) => [p.fingerprint, p.state])).toEqual([['fp-1', 'expired']]);
    expect(updated.map((p) => [p.messageTs, p.state, p.decisionReason])).toEqual([['1700000000.000100', 'expired', 'the todo scan no longer finds this']]);
    expect(store.get(first.id)!.state).toBe('expired');
    expect(db.prepare('SELECT user_id, action, surface, from_state, to_state FROM decisions').all()).toEqual([
      { user_id: 'teammate', action: 'expire', surface: 'scan', from_state: 'pending', to_state: 'expired' },
    ]);
    // The same evidence seen again brings it back as a new proposal (fingerprint memory).
    const again = proposeFindings({ repoId: repo.id, channel: 'C1', findings: [finding(1)] }, { store, policy: { cardBudget: 50, minConfidence: 0 }, now: clock.now });
    expect(again.cards.map((p) => p.fingerprint)).toEqual(['fp-1']);
  });

  it('keeps a proposal that was only left out of the report (a cap) but still holds, and ignores scanners that did not run', async () => {
    const { store, clock } = setup([finding(1), finding(2, { scanner: 'ci', rule: 'ci.failing', fingerprint: 'ci-1' })]);
    const rechecked: string[] = [];
    const retired = await retireResolved(repo, report([], { todo: 'ok', ci: 'failed' }), {
      store,
      recheck: async (f) => (rechecked.push(f.fingerprint), true),
      now: clock.now,
      logger: silentLogger(),
    });
    expect(retired).toEqual([]);
    expect(rechecked).toEqual(['fp-1']);
    expect(store.listPending().map((p) => p.state)).toEqual(['pending', 'pending']);
  });

  it('leaves change requests alone: no scan reports them', async () => {
    const { store, clock } = setup([]);
    store.upsertFromFinding(finding(9, { scanner: 'request', rule: 'request.change', fingerprint: 'req-1' }), { repoId: repo.id, now: clock.now(), requestedBy: 'U1' });
    const retired = await retireResolved(repo, report([], { todo: 'ok' }), { store, recheck: async () => false, now: clock.now, logger: silentLogger() });
    expect(retired).toEqual([]);
    expect(store.listPending().map((p) => p.fingerprint)).toEqual(['req-1']);
  });

  it('a person who decided while the check ran wins; the card is not touched', async () => {
    const { store, clock } = setup([finding(1)]);
    const p = store.listPending()[0]!;
    const updated: Proposal[] = [];
    const retired = await retireResolved(repo, report([], { todo: 'ok' }), {
      store,
      recheck: async () => {
        store.decide(p.id, 'pending', { toState: 'rejected', action: 'reject', userId: 'U2', surface: 'slack', now: clock.now() });
        return false;
      },
      updateCard: async (x) => void updated.push(x),
      now: clock.now,
      logger: silentLogger(),
    });
    expect(retired).toEqual([]);
    expect(updated).toEqual([]);
    expect(store.get(p.id)!.state).toBe('rejected');
  });

  it(`re-checks at most ${MAX_RECHECKS_PER_SCAN} proposals a scan, the longest-waiting first`, async () => {
    const { store, clock } = setup([]);
    for (let n = 1; n <= MAX_RECHECKS_PER_SCAN + 5; n++) {
      proposeFindings({ repoId: repo.id, channel: 'C1', findings: [finding(n)] }, { store, policy: { cardBudget: 50, minConfidence: 0 }, now: clock.now });
      clock.advance(1000);
    }
    const rechecked: string[] = [];
    await retireResolved(repo, report([], { todo: 'ok' }), { store, recheck: async (f) => (rechecked.push(f.fingerprint), true), now: clock.now, logger: silentLogger() });
    expect(rechecked).toHaveLength(MAX_RECHECKS_PER_SCAN);
    expect(rechecked[0]).toBe('fp-1');
  });
});
