import type { Finding } from '../scanners/finding.js';
import { channelPostsPaused, type QuietHours } from './quiet-hours.js';
import { rankProposals } from './rank-proposals.js';
import type { Proposal, ProposalStore } from './types.js';

/** How loud the proactive loop may be; from config (TEAMMATE_CARD_BUDGET, TEAMMATE_QUIET_HOURS, TEAMMATE_TZ). */
export interface ProposalPolicy {
  /** New cards per scan and channel; the rest go to the Home deck and the digest. */
  readonly cardBudget: number;
  readonly quietHours?: QuietHours;
  /** IANA zone for quiet hours and weekends; the machine's zone when undefined. */
  readonly timeZone?: string;
  /** Findings below this confidence are counted, never proposed. */
  readonly minConfidence: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.3;

export interface ProposeFindingsInput {
  readonly repoId: string;
  /** The scanner that ran, when one scanner ran alone (for the scan record). */
  readonly scanner?: string;
  /** Where cards for this repository go; without one, new proposals go to the Home deck only. */
  readonly channel?: string;
  readonly findings: readonly Finding[];
  /** Findings a scanner already dropped under its own threshold (counted for the digest). */
  readonly droppedBelowThreshold?: number;
  readonly startedAt?: number;
}

export interface ProposeFindingsResult {
  /** Post these as cards in `channel` now, best first, then call store.recordCardPost for each. */
  readonly cards: readonly Proposal[];
  /** New, but shown only in the Home deck and the digest (over the budget, quiet time, no channel). */
  readonly deck: readonly Proposal[];
  readonly suppressed: { readonly duplicate: number; readonly belowThreshold: number; readonly budget: number; readonly quiet: number };
  /** Set when channel posts were held back because of quiet hours or the weekend. */
  readonly paused?: 'quiet-hours' | 'weekend';
  readonly scanRunId: number;
}

/**
 * Turns a scan's findings into proposals and decides which become channel cards. Fingerprint
 * memory lives in the store (a known fingerprint stays silent); what is new is ranked and cut to
 * the channel's budget. During quiet hours and weekends nothing goes to the channel: new
 * proposals wait in the Home deck and are listed in the next digest (they are not posted later,
 * so nobody gets a burst of stale cards on Monday morning). A scan with nothing new posts nothing.
 */
export function proposeFindings(
  input: ProposeFindingsInput,
  deps: { readonly store: ProposalStore; readonly policy: ProposalPolicy; readonly now: () => number },
): ProposeFindingsResult {
  const now = deps.now();
  const { store, policy } = deps;
  let duplicate = 0;
  let belowThreshold = input.droppedBelowThreshold ?? 0;
  const fresh: Proposal[] = [];
  const eligible = input.findings.filter((f) => f.confidence >= policy.minConfidence);
  belowThreshold += input.findings.length - eligible.length;
  for (const { proposal, outcome } of store.upsertFromFindings(eligible, { repoId: input.repoId, now })) {
    if (outcome === 'known') duplicate++;
    else fresh.push(proposal);
  }
  const ranked = rankProposals(fresh);
  const paused = input.channel ? channelPostsPaused(now, policy.quietHours, policy.timeZone) : undefined;
  const budget = input.channel && !paused ? Math.max(0, policy.cardBudget) : 0;
  const cards = ranked.slice(0, budget);
  const deck = ranked.slice(budget);
  store.setDeliveries([...cards.map((p) => ({ id: p.id, delivery: 'channel' as const })), ...deck.map((p) => ({ id: p.id, delivery: 'deck' as const }))], input.channel, now);
  const quiet = paused ? deck.length : 0;
  const overBudget = input.channel && !paused ? deck.length : 0;
  const scanRunId = store.recordScanRun({
    repoId: input.repoId,
    scanner: input.scanner,
    channel: input.channel,
    startedAt: input.startedAt ?? now,
    finishedAt: now,
    findings: input.findings.length,
    newProposals: fresh.length,
    posted: cards.length,
    suppressedDuplicate: duplicate,
    suppressedBelowThreshold: belowThreshold,
    suppressedBudget: overBudget,
    suppressedQuiet: quiet,
  });
  const reread = (ps: Proposal[]) => ps.map((p) => store.get(p.id) ?? p);
  return {
    cards: reread(cards),
    deck: reread(deck),
    suppressed: { duplicate, belowThreshold, budget: overBudget, quiet },
    paused,
    scanRunId,
  };
}
