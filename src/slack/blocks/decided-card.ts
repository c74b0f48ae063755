/**
 * A decided card as it replaces the pending one: buildProposalCard's decided variant, plus — after
 * a reject or snooze nobody explained yet — a one-tap "Why? (optional)" menu. Asking before the
 * decision would cost every decision a modal; asking after costs nothing to whoever skips it.
 */
import type { KnownBlock, StaticSelect } from '@slack/types';
import type { Proposal } from '../../proposals/types.js';
import { buildProposalCard, type ProposalCardMessage } from './proposal-card.js';
import type { CardRepository } from './proposal-parts.js';

export const PROPOSAL_REASON_ACTION = 'proposal.reason';

/** The short menu: code → the reason recorded in the audit table and shown on the card. */
export const DECISION_REASONS = {
  'not-worth': 'not worth doing',
  wrong: 'the finding is wrong',
  elsewhere: 'already handled elsewhere',
  later: 'not now, maybe later',
  blocked: 'waiting on something else',
} as const;

export type DecisionReasonCode = keyof typeof DECISION_REASONS;

export function buildDecidedCard(input: { readonly proposal: Proposal; readonly repo: CardRepository }): ProposalCardMessage {
  const card = buildProposalCard(input);
  const p = input.proposal;
  if ((p.state !== 'rejected' && p.state !== 'snoozed') || p.decisionReason) return card;
  const menu: StaticSelect = {
    type: 'static_select',
    action_id: PROPOSAL_REASON_ACTION,
    placeholder: { type: 'plain_text', text: 'Why? (optional)' },
    options: Object.entries(DECISION_REASONS).map(([code, text]) => ({ text: { type: 'plain_text', text }, value: `${p.id}:${code}` })),
  };
  const actions: KnownBlock = { type: 'actions', block_id: `proposal_reason:${p.id}`, elements: [menu] };
  return { text: card.text, blocks: [...card.blocks, actions] };
}
