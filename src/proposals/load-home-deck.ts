import type { DecisionRecord, Proposal, ProposalStore, TaskSummary } from './types.js';

export interface HomeDeckState {
  /** The pending proposal to show, or undefined when nothing waits. */
  readonly current?: Proposal;
  /** 1-based position of `current` in the ranked pending list. */
  readonly position: number;
  readonly total: number;
  readonly recentDecisions: readonly DecisionRecord[];
  readonly tasks: readonly TaskSummary[];
}

/**
 * What the Home deck shows: the best pending proposal, or — after Skip on `afterProposalId` —
 * the one ranked after it (wrapping to the first). After a decision the decided one has left the
 * pending list, so passing its id shows the best one left.
 */
export function loadHomeDeck(
  store: ProposalStore,
  opts: { readonly afterProposalId?: number; readonly repoIds?: readonly string[]; readonly decisions?: number; readonly tasks?: number } = {},
): HomeDeckState {
  const pending = store.listPending({ repoIds: opts.repoIds });
  let index = 0;
  if (opts.afterProposalId !== undefined) {
    // Skipped: the next one, wrapping. Decided (no longer pending): the best one left.
    const at = pending.findIndex((p) => p.id === opts.afterProposalId);
    if (at >= 0) index = (at + 1) % pending.length;
  }
  return {
    current: pending[index],
    position: pending.length === 0 ? 0 : index + 1,
    total: pending.length,
    recentDecisions: store.listRecentDecisions(opts.decisions ?? 10),
    tasks: store.listTasks({ limit: opts.tasks ?? 10 }),
  };
}
