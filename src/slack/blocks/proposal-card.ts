/**
 * The proposal card posted in a channel: title; repository · scanner · confidence · size; why, with
 * evidence permalinks; the proposed task; Approve / Reject / Snooze / Details. Once decided, the
 * same card with the buttons replaced by who decided what (updated in place with chat.update).
 */
import type { KnownBlock } from '@slack/types';
import type { Proposal } from '../../proposals/types.js';
import { truncate } from './types.js';
import {
  CARD_LIMITS,
  type CardRepository,
  PROPOSAL_ACTIONS,
  button,
  context,
  decidedLine,
  evidenceList,
  factsLine,
  headerText,
  mrkdwnOf,
  section,
  writeupOf,
} from './proposal-parts.js';

export interface ProposalCardInput {
  readonly proposal: Proposal;
  readonly repo: CardRepository;
}

export interface ProposalCardMessage {
  /** Notification fallback (and what screen readers announce). */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** The blocks describing a proposal, without buttons (shared with the Home deck). */
export function proposalBodyBlocks(p: Proposal, repo: CardRepository): KnownBlock[] {
  const w = writeupOf(p);
  const evidence = p.finding.evidence.length > 0 ? `\n${evidenceList(p.finding.evidence, repo, CARD_LIMITS.evidence)}` : '';
  return [
    { type: 'header', text: { type: 'plain_text', text: headerText(p), emoji: true } },
    context(factsLine(p, repo)),
    section(`*Why*\n${mrkdwnOf(w.why, CARD_LIMITS.why)}${evidence}`),
    section(`*Proposed task*\n${mrkdwnOf(w.plan, CARD_LIMITS.task)}`),
  ];
}

/** Approve (primary) / Reject / Snooze a week / Details; every value is the proposal id. */
export function proposalButtons(p: Proposal, blockId: string, extra: readonly ReturnType<typeof button>[] = []): KnownBlock {
  const id = String(p.id);
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      button(PROPOSAL_ACTIONS.approve, 'Approve', id, 'primary'),
      button(PROPOSAL_ACTIONS.reject, 'Reject', id),
      button(PROPOSAL_ACTIONS.snooze, 'Snooze a week', id),
      button(PROPOSAL_ACTIONS.details, 'Details', id),
      ...extra,
    ],
  };
}

/** The card for a pending proposal, or its decided variant (no buttons) for any other state. */
export function buildProposalCard(input: ProposalCardInput): ProposalCardMessage {
  const p = input.proposal;
  const blocks = proposalBodyBlocks(p, input.repo);
  const title = truncate(p.title.replace(/\s+/g, ' '), 200);
  if (p.state === 'pending') {
    blocks.push(proposalButtons(p, `proposal:${p.id}`));
    return { text: `New proposal for ${truncate(input.repo.label, 100)}: ${title}`, blocks };
  }
  blocks.push(section(decidedLine(p), `proposal_decided:${p.id}`));
  return { text: `${stateWord(p)}: ${title}`, blocks };
}

function stateWord(p: Proposal): string {
  switch (p.state) {
    case 'approved':
      return p.taskId ? `Approved, queued as task #${p.taskId}` : 'Approved';
    case 'rejected':
      return 'Rejected';
    case 'snoozed':
      return 'Snoozed';
    case 'stale':
      return 'Stale (already resolved on main)';
    case 'expired':
      return 'Resolved on its own';
    case 'pending':
      return 'Waiting for a decision';
  }
}
