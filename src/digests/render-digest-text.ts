import type { Digest } from './types.js';

const pct = (r: number | undefined) => (r === undefined ? '–' : `${Math.round(r * 100)}%`);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The digest as plain text for the console and `teammate digest`. */
export function renderDigestText(d: Digest): string {
  const lines: string[] = [`Digest ${day(d.period.from)} → ${day(d.period.to)} UTC`, ''];
  const p = d.proposals;
  lines.push(`Proposals: ${p.total} new${p.overflow > 0 ? `, ${p.overflow} only in the Home deck` : ''}; ${p.pendingNow} waiting for a decision`);
  for (const t of p.top) lines.push(`  #${t.id} [${t.severity}] ${t.title} (${t.repoId} · ${t.scanner}, ${t.state})`);
  const dc = d.decisions;
  lines.push(`Decisions: ${dc.approved} approved, ${dc.rejected} rejected, ${dc.snoozed} snoozed, ${dc.stale} stale${dc.resolved > 0 ? `, ${dc.resolved} resolved on their own` : ''}`);
  lines.push(`Tasks: ${Object.entries(d.tasks).map(([s, n]) => `${n} ${s}`).join(', ')}`);
  for (const t of d.finished.shipped) lines.push(`  shipped #${t.id} ${t.title} (${t.repoId})${t.link ? `: ${t.link.url}` : ''}`);
  for (const t of d.finished.failed) lines.push(`  failed #${t.id} ${t.title} (${t.repoId})${t.error ? `: ${t.error}` : ''}`);
  lines.push(`Questions: ${d.questions.answered} answered, ${d.questions.up} 👍, ${d.questions.down} 👎`);
  if (d.acceptance.length > 0) {
    lines.push('Acceptance by scanner:');
    for (const a of d.acceptance) lines.push(`  ${a.scanner}: ${a.approved} approved / ${a.rejected} rejected (${pct(a.rate)})`);
  }
  const s = d.suppressed;
  lines.push(`Kept quiet: ${s.duplicate} duplicates, ${s.belowThreshold} below the confidence threshold, ${s.budget} over the card budget, ${s.quiet} in quiet hours`);
  for (const ps of d.pausedScanners) {
    lines.push(`Paused: ${ps.scanner} on ${ps.repoId} after ${ps.failures} failures${ps.lastError ? ` (${ps.lastError})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
