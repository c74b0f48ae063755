/**
 * Pieces shared by the proposal card, its Details modal and the Home deck: the facts line, the
 * evidence links and the decided line. Pure functions of core data; all text from findings is
 * escaped (a scanner may quote `<!channel>` from a file), so nothing in a card pings anybody.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { Proposal, TaskWriteup } from '../../proposals/types.js';
import { scannerWriteup } from '../../proposals/write-up-task.js';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-mrkdwn.js';
import type { Evidence } from '../../scanners/finding.js';
import { citationUrl } from '../../repos/permalink.js';
import type { Repository } from '../../repos/repository.js';
import { truncate } from './types.js';

/** What a card needs to know about the repository: its name, and GitHub coordinates for permalinks. */
export type CardRepository = Pick<Repository, 'label' | 'github'>;

export const PROPOSAL_ACTIONS = {
  approve: 'proposal.approve',
  reject: 'proposal.reject',
  snooze: 'proposal.snooze',
  details: 'proposal.details',
  skip: 'deck.skip',
} as const;

/** Slack's limits for the parts we build (PLATFORM-FACTS); budgets keep a card far below ~13k characters. */
export const CARD_LIMITS = { header: 150, section: 3000, buttonText: 75, why: 1200, evidence: 1800, task: 2500 } as const;

const SIZE_LABEL = { xs: 'XS', s: 'S', m: 'M', l: 'L' } as const;

export function writeupOf(p: Proposal): TaskWriteup {
  return p.writeup ?? scannerWriteup(p.finding);
}

/** Header text: plain text, one line, ≤150 characters. */
export function headerText(p: Proposal): string {
  return truncate(writeupOf(p).title.replace(/\s+/g, ' ').trim() || p.title, CARD_LIMITS.header);
}

/** `repository · scanner · confidence 80% · size S · severity high` */
export function factsLine(p: Proposal, repo: CardRepository): string {
  const parts = [
    `*${escapeMrkdwn(truncate(repo.label, 200))}*`,
    escapeMrkdwn(truncate(p.scanner, 60)),
    `confidence ${Math.round(p.confidence * 100)}%`,
  ];
  if (p.finding.size) parts.push(`size ${SIZE_LABEL[p.finding.size] ?? p.finding.size}`);
  parts.push(`severity ${p.severity}`);
  return parts.join(' · ');
}

/**
 * One evidence item as mrkdwn: a GitHub permalink pinned to the commit (`blob/<sha>/path#Lx-Ly`)
 * when the repository is on GitHub, else `path:lines`; a plain URL with its label otherwise.
 */
export function evidenceLine(e: Evidence, repo: CardRepository): string {
  const label = e.label ? ` — ${escapeMrkdwn(truncate(e.label.replace(/\s+/g, ' '), 200))}` : '';
  if (e.path) {
    const start = e.startLine ?? 1;
    const end = e.endLine ?? start;
    const range = end > start ? `${start}-${end}` : `${start}`;
    const place = escapeMrkdwn(truncate(`${e.path}:${range}`, 300));
    const target = citationUrl({ id: repo.label, root: '', label: repo.label, github: repo.github }, e.commit, e.path, start, end);
    return target ? `<${target}|${place}>${label}` : `\`${place}\`${label}`;
  }
  if (e.url && /^https?:\/\//.test(e.url)) {
    return `<${e.url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(truncate(e.label ?? e.url, 200))}>`;
  }
  return label ? label.slice(3) : '_(no location)_';
}

/** Evidence as a bullet list that fits `max` characters; the rest is counted ("…and 4 more in Details"). */
export function evidenceList(evidence: readonly Evidence[], repo: CardRepository, max: number): string {
  const lines: string[] = [];
  let used = 0;
  for (const [i, e] of evidence.entries()) {
    const line = `• ${evidenceLine(e, repo)}`;
    const rest = evidence.length - i;
    const tail = rest > 1 ? `\n…and ${rest - 1} more in Details` : '';
    if (used + line.length + 1 + tail.length > max - 40) {
      lines.push(`…and ${rest} more in Details`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}

/** Neutral Markdown from a scanner or the model, as mrkdwn that fits `max` characters. */
export function mrkdwnOf(markdown: string, max: number): string {
  const text = markdownToMrkdwn(markdown.trim());
  if (text.length <= max) return text;
  // Cut, and close a code fence the cut left open so the rest of the card does not render as code.
  const cut = truncate(text, max - 4);
  return (cut.split('```').length - 1) % 2 === 1 ? `${cut}\n\`\`\`` : cut;
}

/** "Approved by @U — queued as task #N", "Rejected by @U (reason)", … for a decided card. */
export function decidedLine(p: Proposal): string {
  const by = p.decidedBy ? `<@${escapeMrkdwn(p.decidedBy)}>` : 'someone';
  const reason = p.decisionReason ? ` (${escapeMrkdwn(truncate(p.decisionReason.replace(/\s+/g, ' '), 300))})` : '';
  switch (p.state) {
    case 'approved':
      return `:white_check_mark: Approved by ${by}${p.taskId ? ` — queued as task #${p.taskId}` : ''}`;
    case 'rejected':
      return `:x: Rejected by ${by}${reason}`;
    case 'snoozed':
      return `:zzz: Snoozed by ${by}${p.snoozeUntil ? ` until ${slackDate(p.snoozeUntil)}` : ''}`;
    case 'stale':
      return `:broom: Stale — ${p.decisionReason ? escapeMrkdwn(truncate(p.decisionReason, 300)) : 'already resolved on main'}${p.decidedBy ? ` (checked when ${by} approved)` : ''}`;
    case 'expired':
      return `:hourglass: Resolved on its own — ${p.decisionReason ? escapeMrkdwn(truncate(p.decisionReason, 300)) : 'the scanners no longer find this'}`;
    case 'pending':
      return ':hourglass_flowing_sand: Waiting for a decision';
  }
}

/** Slack renders the date in each reader's time zone; the fallback is UTC. */
export function slackDate(ms: number): string {
  const secs = Math.floor(ms / 1000);
  return `<!date^${secs}^{date_short_pretty}|${new Date(ms).toISOString().slice(0, 10)}>`;
}

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, CARD_LIMITS.buttonText), emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

export function section(text: string, blockId?: string): KnownBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text: truncate(text, CARD_LIMITS.section) } };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 2000) }] };
}
