/**
 * The Details modal: the full plan, the acceptance check, every piece of evidence with its
 * excerpt, and which executor will run the task once approved.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Proposal } from '../../proposals/types.js';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-mrkdwn.js';
import { splitMrkdwn } from './split-mrkdwn.js';
import { truncate } from './types.js';
import { type CardRepository, context, decidedLine, evidenceLine, factsLine, headerText, section, writeupOf } from './proposal-parts.js';

export const PROPOSAL_DETAILS_CALLBACK = 'proposal.details';

const EXECUTOR_TEXT: Record<string, string> = {
  codex: '*codex* — a coding agent in a git worktree of the repository; it runs the tests and opens a draft PR.',
  'github-issue': '*github-issue* — files the task as a GitHub issue (plan, evidence, labels) for a person or another agent.',
  'github-actions': '*github-actions* — dispatches a workflow in the repository that does the work on GitHub’s runners.',
};

/** Modals allow 100 blocks; keep room for the fixed ones. */
const MAX_BLOCKS = 100;
const MAX_EVIDENCE_BLOCKS = 30;

export function buildProposalDetailsModal(input: { readonly proposal: Proposal; readonly repo: CardRepository; readonly executor: string }): ModalView {
  const p = input.proposal;
  const w = writeupOf(p);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headerText(p), emoji: true } },
    context(`${factsLine(p, input.repo)} · rule \`${escapeMrkdwn(truncate(p.rule, 100))}\` · #${p.id}`),
  ];
  if (p.state !== 'pending') blocks.push(section(decidedLine(p)));
  const long = (title: string, markdown: string, maxBlocks: number) => {
    const chunks = splitMrkdwn(`*${title}*\n${markdownToMrkdwn(markdown.trim() || '_(none)_')}`, 2900);
    for (const [i, c] of chunks.slice(0, maxBlocks).entries()) {
      blocks.push(section(i === maxBlocks - 1 && chunks.length > maxBlocks ? `${truncate(c, 2850)}\n_…cut: too long to show here_` : c));
    }
  };
  long('Why', w.why, 3);
  long('Plan', w.plan, 12);
  long('Acceptance check', w.acceptance, 3);
  blocks.push(section(`*Who will do it*\n${EXECUTOR_TEXT[input.executor] ?? `*${escapeMrkdwn(truncate(input.executor, 60))}*`}`));
  blocks.push({ type: 'divider' });
  const evidence = p.finding.evidence;
  const room = Math.min(MAX_EVIDENCE_BLOCKS, MAX_BLOCKS - blocks.length - 2);
  blocks.push(section(`*Evidence* (${evidence.length})`));
  for (const e of evidence.slice(0, room)) {
    const excerpt = e.excerpt ? `\n\`\`\`\n${escapeMrkdwn(truncate(e.excerpt.replace(/```/g, 'ˋˋˋ'), 2400))}\n\`\`\`` : '';
    blocks.push(section(`${evidenceLine(e, input.repo)}${excerpt}`));
  }
  if (evidence.length > room) blocks.push(context(`…and ${evidence.length - room} more`));
  return {
    type: 'modal',
    callback_id: PROPOSAL_DETAILS_CALLBACK,
    private_metadata: String(p.id),
    title: { type: 'plain_text', text: truncate(`Proposal #${p.id}`, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: blocks.slice(0, MAX_BLOCKS),
  };
}
