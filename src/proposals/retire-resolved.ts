/**
 * Nobody should have to reject work that is already done. After a scan, a pending proposal its
 * scanner no longer reported is re-checked against the repository (the same check an approval
 * runs); when its evidence is gone — the TODO removed, CI green again, the dependency bumped, the
 * issue taken — the proposal becomes `expired` with an audit row, and its card says so in place.
 * Not being reported is not enough on its own: scanners cap what they report (the oldest TODOs,
 * the last CI runs), so a finding that still holds stays pending. Change requests are never
 * retired (no scan reports them), and a scanner that did not run this time says nothing.
 */
import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { Finding } from '../scanners/finding.js';
import type { ScanReport } from '../scanners/run-scan.js';
import { type Proposal, type ProposalStore, TEAMMATE_ACTOR } from './types.js';

/** Re-checks per scan at most (each may be a GitHub call); the rest wait for the next scan. */
export const MAX_RECHECKS_PER_SCAN = 20;

export interface RetireResolvedDeps {
  readonly store: ProposalStore;
  /** Does the finding still hold now? An error or "cannot tell" must answer true. */
  readonly recheck: (finding: Finding, repo: Repository) => Promise<boolean>;
  /** Shows the retired proposal's card without buttons; a failure is logged, never fatal. */
  readonly updateCard?: (proposal: Proposal) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
}

export async function retireResolved(repo: Repository, report: ScanReport, deps: RetireResolvedDeps): Promise<Proposal[]> {
  const ran = new Set(report.outcomes.filter((o) => o.status === 'ok').map((o) => o.scanner));
  const reported = new Set(report.findings.map((f) => f.fingerprint));
  const unreported = deps.store
    .listPending({ repoIds: [repo.id] })
    .filter((p) => ran.has(p.scanner) && !reported.has(p.fingerprint))
    // The longest-waiting first, so a cap never starves the same proposals scan after scan.
    .sort((a, b) => a.proposedAt - b.proposedAt)
    .slice(0, MAX_RECHECKS_PER_SCAN);
  const retired: Proposal[] = [];
  for (const p of unreported) {
    if (await deps.recheck(p.finding, repo)) continue;
    const out = deps.store.decide(p.id, 'pending', {
      toState: 'expired',
      action: 'expire',
      userId: TEAMMATE_ACTOR,
      surface: 'scan',
      reason: `the ${p.scanner} scan no longer finds this`,
      now: deps.now(),
    });
    // Someone decided it while we were checking: their decision stands.
    if (!out.won) continue;
    retired.push(out.proposal);
    if (out.proposal.messageTs && deps.updateCard) {
      await deps.updateCard(out.proposal).catch((err: unknown) => deps.logger.warn({ err, proposal: p.id }, 'could not update the retired card'));
    }
  }
  return retired;
}
