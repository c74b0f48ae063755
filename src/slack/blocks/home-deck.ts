/**
 * The App Home deck — the swipe interface: one pending proposal at a time ("3 of 12") with
 * Approve / Reject / Snooze / Skip / Details, then recent decisions and task states. Published with
 * views.publish after each decision, so the next card appears where the last one was.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import type { DecisionRecord, Proposal, TaskSummary } from '../../proposals/types.js';
import { escapeMrkdwn } from '../slack-mrkdwn.js';
import { proposalBodyBlocks, proposalButtons } from './proposal-card.js';
import { type CardRepository, PROPOSAL_ACTIONS, button, context, section, slackDate } from './proposal-parts.js';
import { truncate } from './types.js';

export const HOME_DECK_BLOCK_LIMIT = 100;

export interface HomeDeckInput {
  /** The pending proposal to show, or undefined when nothing is waiting. */
  readonly current?: { readonly proposal: Proposal; readonly repo: CardRepository };
  /** 1-based position of `current` among `total` pending proposals. */
  readonly position: number;
  readonly total: number;
  readonly recentDecisions: readonly DecisionRecord[];
  readonly tasks: readonly TaskSummary[];
  /** Blocks to show above the deck (e.g. the Home intro); the deck keeps the total within 100. */
  readonly intro?: readonly KnownBlock[];
}

const ACTION_ICON = { approve: ':white_check_mark:', reject: ':x:', snooze: ':zzz:', expire: ':hourglass:' } as const;
const STATUS_ICON = { queued: ':inbox_tray:', running: ':runner:', succeeded: ':white_check_mark:', failed: ':warning:', cancelled: ':no_entry_sign:' } as const;

export function buildHomeDeck(input: HomeDeckInput): HomeView {
  const blocks: KnownBlock[] = [...(input.intro ?? []).slice(0, 40)];
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'Proposals', emoji: true } });
  if (input.current && input.total > 0) {
    const { proposal, repo } = input.current;
    blocks.push(context(`${Math.min(input.position, input.total)} of ${input.total} waiting for a decision`));
    blocks.push(...proposalBodyBlocks(proposal, repo));
    blocks.push(proposalButtons(proposal, `deck:${proposal.id}`, input.total > 1 ? [button(PROPOSAL_ACTIONS.skip, 'Skip', String(proposal.id))] : []));
  } else {
    blocks.push(section('Nothing is waiting for a decision. New proposals appear here after each scan, including the ones that did not fit in a channel.'));
  }
  blocks.push({ type: 'divider' });
  blocks.push(section(`*Recent decisions*\n${listLines(input.recentDecisions.map(decisionLine), '_None yet._')}`));
  blocks.push(section(`*Tasks*\n${listLines(input.tasks.map(taskLine), '_No tasks yet: approved proposals become tasks._')}`));
  return { type: 'home', blocks: blocks.slice(0, HOME_DECK_BLOCK_LIMIT) };
}

function decisionLine(d: DecisionRecord): string {
  const icon = d.toState === 'stale' ? ':broom:' : ACTION_ICON[d.action];
  const title = `*${escapeMrkdwn(truncate(d.proposalTitle.replace(/\s+/g, ' '), 120))}*`;
  // A scan retired it: no person to name.
  if (d.action === 'expire') return `${icon} ${title} resolved on its own: a scan no longer found it · ${slackDate(d.createdAt)}`;
  const verb = d.toState === 'stale' ? 'found stale' : { approve: 'approved', reject: 'rejected', snooze: 'snoozed' }[d.action];
  return `${icon} <@${escapeMrkdwn(d.userId)}> ${verb} ${title} · ${slackDate(d.createdAt)}`;
}

function taskLine(t: TaskSummary): string {
  const error = t.status === 'failed' && t.lastError ? ` — ${escapeMrkdwn(truncate(t.lastError.replace(/\s+/g, ' '), 120))}` : '';
  return `${STATUS_ICON[t.status]} #${t.id} ${t.status} · ${escapeMrkdwn(truncate(t.executor, 40))} · ${escapeMrkdwn(truncate(t.title.replace(/\s+/g, ' '), 120))}${error}`;
}

/** Lines that fit one section (≤3,000 characters), with a count of what did not. */
function listLines(lines: readonly string[], empty: string): string {
  if (lines.length === 0) return empty;
  const out: string[] = [];
  let used = 0;
  for (const [i, l] of lines.entries()) {
    if (used + l.length + 1 > 2900) {
      out.push(`…and ${lines.length - i} more`);
      break;
    }
    out.push(l);
    used += l.length + 1;
  }
  return out.join('\n');
}
