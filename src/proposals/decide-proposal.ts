import type { Finding } from '../scanners/finding.js';
import type { DecisionAction, DecisionSurface, Proposal, ProposalState, ProposalStore } from './types.js';

/** Who may decide and what an approval queues; from config (TEAMMATE_APPROVERS, …_ALLOW_SELF_APPROVAL, …_EXECUTOR). */
export interface DecisionPolicy {
  /** Slack user IDs allowed to decide; empty: anyone who can see the card. */
  readonly approvers: readonly string[];
  /** Whoever requested a task may approve it themselves (a team of one). */
  readonly allowSelfApproval: boolean;
  /** The executor an approved task is queued for (`codex`, `github-issue`, `github-actions`). */
  readonly executor: string;
  /** How long Snooze hides a proposal; a week unless given. */
  readonly snoozeMs?: number;
}

export const SNOOZE_MS = 7 * 24 * 60 * 60 * 1000;

export interface DecideProposalInput {
  readonly proposalId: number;
  readonly userId: string;
  readonly action: DecisionAction;
  readonly reason?: string;
  readonly surface: DecisionSurface;
}

/**
 * Is the evidence still there on the repository's current HEAD? false: already resolved, the
 * proposal becomes stale and nothing is queued. Thrown errors are reported, never taken as "yes".
 */
export type RecheckEvidence = (finding: Finding, proposal: Proposal) => Promise<boolean>;

/** What happened, for the surface to render (card update, ephemeral message, Home deck, console). */
export type DecisionResult =
  | { readonly kind: 'approved'; readonly proposal: Proposal; readonly taskId: number }
  | { readonly kind: 'rejected'; readonly proposal: Proposal; readonly reason?: string }
  | { readonly kind: 'snoozed'; readonly proposal: Proposal; readonly until: number }
  | { readonly kind: 'stale'; readonly proposal: Proposal }
  | { readonly kind: 'not-allowed'; readonly reason: string }
  | { readonly kind: 'already-decided'; readonly proposal: Proposal; readonly state: ProposalState; readonly by?: string }
  | { readonly kind: 'not-found'; readonly proposalId: number }
  | { readonly kind: 'recheck-failed'; readonly proposal: Proposal; readonly reason: string };

export interface DecideProposalDeps {
  readonly store: ProposalStore;
  readonly policy: DecisionPolicy;
  readonly now: () => number;
  /** Without one, approvals are not re-checked (e.g. change requests, which have no scanner evidence). */
  readonly recheck?: RecheckEvidence;
}

/** Who may take `action` on `proposal`; a reason (for the user) when they may not. */
export function checkDecider(proposal: Proposal, userId: string, action: DecisionAction, policy: DecisionPolicy): string | undefined {
  if (policy.approvers.length > 0 && !policy.approvers.includes(userId)) {
    return 'Only the approvers listed in TEAMMATE_APPROVERS can decide on proposals; ask one of them.';
  }
  if (action === 'approve' && proposal.requestedBy === userId && !policy.allowSelfApproval) {
    return 'You requested this task, so someone else has to approve it (set TEAMMATE_ALLOW_SELF_APPROVAL=true for a team of one).';
  }
  return undefined;
}

/**
 * One decision on one proposal, from any surface. The state changes by compare-and-set
 * (pending → …), so of several concurrent clicks exactly one wins and the others learn who did.
 * An approval first re-checks the evidence: if it is gone the proposal turns stale instead of
 * queueing work nobody needs.
 */
export async function decideProposal(input: DecideProposalInput, deps: DecideProposalDeps): Promise<DecisionResult> {
  const { store, policy } = deps;
  const proposal = store.get(input.proposalId);
  if (!proposal) return { kind: 'not-found', proposalId: input.proposalId };
  const refusal = checkDecider(proposal, input.userId, input.action, policy);
  if (refusal) return { kind: 'not-allowed', reason: refusal };
  if (proposal.state !== 'pending') return alreadyDecided(proposal);
  const reason = input.reason?.trim().slice(0, 500) || undefined;
  const base = { userId: input.userId, surface: input.surface, reason, action: input.action } as const;

  if (input.action === 'approve') {
    if (deps.recheck) {
      let present: boolean;
      try {
        present = await deps.recheck(proposal.finding, proposal);
      } catch (err) {
        return { kind: 'recheck-failed', proposal, reason: `could not re-check the evidence (${(err as Error).message}); try again in a minute` };
      }
      if (!present) {
        const out = store.decide(proposal.id, 'pending', { ...base, toState: 'stale', reason: reason ?? 'already resolved on main', now: deps.now() });
        return out.won ? { kind: 'stale', proposal: out.proposal } : lost(out.current, proposal);
      }
    }
    const out = store.decide(proposal.id, 'pending', { ...base, toState: 'approved', task: { executor: policy.executor }, now: deps.now() });
    if (!out.won) return lost(out.current, proposal);
    return { kind: 'approved', proposal: out.proposal, taskId: out.taskId! };
  }
  if (input.action === 'reject') {
    const out = store.decide(proposal.id, 'pending', { ...base, toState: 'rejected', now: deps.now() });
    return out.won ? { kind: 'rejected', proposal: out.proposal, reason } : lost(out.current, proposal);
  }
  const now = deps.now();
  const until = now + (policy.snoozeMs ?? SNOOZE_MS);
  const out = store.decide(proposal.id, 'pending', { ...base, toState: 'snoozed', snoozeUntil: until, now });
  return out.won ? { kind: 'snoozed', proposal: out.proposal, until } : lost(out.current, proposal);
}

function alreadyDecided(p: Proposal): DecisionResult {
  return { kind: 'already-decided', proposal: p, state: p.state, by: p.decidedBy };
}

function lost(current: Proposal | undefined, before: Proposal): DecisionResult {
  return alreadyDecided(current ?? before);
}
