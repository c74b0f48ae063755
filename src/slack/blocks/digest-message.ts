/** The digest as a Slack message: counts first, the best new proposals, a pointer to the Home deck. */
import type { KnownBlock } from '@slack/types';
import type { Digest, DigestTask } from '../../digests/types.js';
import { escapeMrkdwn } from '../slack-mrkdwn.js';
import { context, section, slackDate } from './proposal-parts.js';
import { truncate } from './types.js';

const SEVERITY_ICON = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':white_circle:', info: ':information_source:' } as const;

export interface DigestMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export function buildDigestMessage(d: Digest): DigestMessage {
  const p = d.proposals;
  const dc = d.decisions;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Teammate digest', emoji: true } },
    context(`${slackDate(d.period.from)} → ${slackDate(d.period.to)}`),
  ];
  const proposalLines = p.top.map(
    (t) => `${SEVERITY_ICON[t.severity]} *${escapeMrkdwn(truncate(t.title.replace(/\s+/g, ' '), 150))}* · ${escapeMrkdwn(truncate(t.repoId, 80))} · ${escapeMrkdwn(truncate(t.scanner, 40))}`,
  );
  const more = p.total - p.top.length;
  const deck = p.pendingNow > 0 ? `\n${p.pendingNow} waiting for a decision in my *Home* tab${p.overflow > 0 ? ` (${p.overflow} never made it to a channel)` : ''}.` : '';
  blocks.push(section(`*New proposals: ${p.total}*${proposalLines.length ? `\n${proposalLines.join('\n')}` : ''}${more > 0 ? `\n…and ${more} more` : ''}${deck}`));
  blocks.push(
    section(
      `*Decisions*: ${dc.approved} approved · ${dc.rejected} rejected · ${dc.snoozed} snoozed · ${dc.stale} stale${dc.resolved > 0 ? ` · ${dc.resolved} resolved on their own` : ''}\n` +
        `*Tasks*: ${Object.entries(d.tasks).map(([s, n]) => `${n} ${s}`).join(' · ')}\n` +
        `*Questions*: ${d.questions.answered} answered · ${d.questions.up} :+1: · ${d.questions.down} :-1:`,
    ),
  );
  const taskLine = (t: DigestTask) => {
    const title = `*${escapeMrkdwn(truncate(t.title.replace(/\s+/g, ' '), 100))}* · ${escapeMrkdwn(truncate(t.repoId, 60))}`;
    if (t.status === 'failed') return `• #${t.id} ${title}${t.error ? `: ${escapeMrkdwn(truncate(t.error.replace(/\s+/g, ' '), 150))}` : ''}`;
    // A URL cannot be shortened without breaking it: an absurdly long one is left out.
    const link = t.link && t.link.url.length <= 500 ? t.link : undefined;
    return `• ${link ? `<${link.url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(truncate(link.label ?? `task #${t.id}`, 60))}> ` : `#${t.id} `}${title}`;
  };
  if (d.finished.shipped.length > 0) blocks.push(section(`:rocket: *Shipped*\n${d.finished.shipped.map(taskLine).join('\n')}`));
  if (d.finished.failed.length > 0) blocks.push(section(`:x: *Failed* (Retry is on each task's status message)\n${d.finished.failed.map(taskLine).join('\n')}`));
  if (d.acceptance.length > 0) {
    const lines = d.acceptance.slice(0, 20).map((a) => `• ${escapeMrkdwn(truncate(a.scanner, 40))}: ${a.approved}/${a.approved + a.rejected} approved${a.rate === undefined ? '' : ` (${Math.round(a.rate * 100)}%)`}`);
    blocks.push(section(`*Acceptance by scanner*\n${lines.join('\n')}`));
  }
  const s = d.suppressed;
  if (s.duplicate + s.belowThreshold + s.budget + s.quiet > 0) {
    blocks.push(context(`Kept quiet: ${s.duplicate} already proposed · ${s.belowThreshold} below the confidence threshold · ${s.budget} over the card budget · ${s.quiet} in quiet hours`));
  }
  if (d.pausedScanners.length > 0) {
    // Ten at most: the message's 12,000 characters are shared with the lists above.
    const lines = d.pausedScanners.slice(0, 10).map(
      (ps) => `• *${escapeMrkdwn(truncate(ps.scanner, 40))}* on ${escapeMrkdwn(truncate(ps.repoId, 80))} after ${ps.failures} failures${ps.lastError ? `: ${escapeMrkdwn(truncate(ps.lastError.replace(/\s+/g, ' '), 200))}` : ''}`,
    );
    blocks.push(section(`:warning: *Paused scanners* (\`teammate doctor\` says why)\n${lines.join('\n')}`));
  }
  const text = `Teammate digest: ${p.total} new proposals, ${dc.approved} approved, ${dc.rejected} rejected, ${d.questions.answered} questions answered`;
  return { text, blocks };
}
