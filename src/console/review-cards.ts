/**
 * `/cards` in the console: the Home deck as text. One pending card at a time, decided with one
 * key — a (approve), r (reject, optionally `r <reason>`), s (snooze), n (next) — through the same
 * decideProposal use case as Slack, recorded with surface `console`.
 */
import { type DecisionPolicy, type DecisionResult, type RecheckEvidence, decideProposal } from '../proposals/decide-proposal.js';
import { loadHomeDeck } from '../proposals/load-home-deck.js';
import { renderProposalText } from '../proposals/render-proposal-text.js';
import type { DecisionAction, Proposal, ProposalStore } from '../proposals/types.js';
import type { Repository } from '../repos/repository.js';

export interface ConsoleCards {
  readonly store: ProposalStore;
  readonly policy: () => DecisionPolicy;
  readonly recheck?: RecheckEvidence;
  /** Who decides, as recorded in the audit table (TEAMMATE_CONSOLE_USER or the OS user name). */
  readonly userId: string;
  readonly now?: () => number;
}

export const CARD_KEYS = '[a] approve  [r] reject (r <reason>)  [s] snooze a week  [n] next  [q] back to questions';

export interface CardReview {
  /** The first card (or "nothing waiting"). */
  start(): string;
  /** Handles one line; `done` when the user left the deck. */
  key(line: string): Promise<{ readonly text: string; readonly done: boolean }>;
}

const ACTION_KEYS: Record<string, DecisionAction> = { a: 'approve', r: 'reject', s: 'snooze' };

export function reviewCards(cards: ConsoleCards, repos: readonly Repository[]): CardReview {
  let current: Proposal | undefined;
  const show = (afterProposalId?: number): string => {
    const deck = loadHomeDeck(cards.store, afterProposalId !== undefined ? { afterProposalId } : {});
    current = deck.current;
    if (!current) return 'Nothing is waiting for a decision. (q: back to questions)\n';
    const label = repos.find((r) => r.id === current!.repoId)?.label ?? current.repoId;
    return `\n— card ${deck.position} of ${deck.total} —\n${renderProposalText(current, label)}\n${CARD_KEYS}\n`;
  };
  return {
    start: () => show(),
    async key(line) {
      const [word = '', ...rest] = line.trim().split(/\s+/);
      const k = word.toLowerCase();
      if (k === 'q' || k === '/done') return { text: '(back to questions)\n', done: true };
      if (!current) return { text: show(), done: false };
      if (k === 'n') return { text: show(current.id), done: false };
      const action = ACTION_KEYS[k];
      if (!action) return { text: `Unknown key "${word}". ${CARD_KEYS}\n`, done: false };
      const decided = current.id;
      const result = await decideProposal(
        { proposalId: decided, userId: cards.userId, action, surface: 'console', ...(rest.length > 0 ? { reason: rest.join(' ') } : {}) },
        { store: cards.store, policy: cards.policy(), now: cards.now ?? Date.now, ...(cards.recheck ? { recheck: cards.recheck } : {}) },
      );
      const said = `${describeResult(result)}\n`;
      // Refused or failed: stay on the same card so it can be retried or skipped.
      const moved = result.kind === 'not-allowed' || result.kind === 'recheck-failed' ? '' : show(decided);
      return { text: said + moved, done: false };
    },
  };
}

/** One line per outcome, in the console's words. */
export function describeResult(r: DecisionResult): string {
  switch (r.kind) {
    case 'approved':
      return `Approved #${r.proposal.id} — queued as task #${r.taskId}.`;
    case 'rejected':
      return `Rejected #${r.proposal.id}${r.reason ? ` (${r.reason})` : ''}.`;
    case 'snoozed':
      return `Snoozed #${r.proposal.id} until ${new Date(r.until).toISOString().slice(0, 10)}.`;
    case 'stale':
      return `#${r.proposal.id} is stale: already resolved on main. Nothing queued.`;
    case 'not-allowed':
      return `Not allowed: ${r.reason} Nothing changed.`;
    case 'already-decided':
      return `#${r.proposal.id} was already ${r.state}${r.by ? ` by ${r.by}` : ''}.`;
    case 'not-found':
      return `Proposal #${r.proposalId} no longer exists.`;
    case 'recheck-failed':
      return `Not approved yet: I ${r.reason}.`;
  }
}
