import { scannerWriteup } from './write-up-task.js';
import type { Proposal } from './types.js';

/** A proposal as plain text for the console and the CLI (the Slack card's twin). */
export function renderProposalText(p: Proposal, repoLabel: string): string {
  const w = p.writeup ?? scannerWriteup(p.finding);
  const facts = [repoLabel, p.scanner, `confidence ${Math.round(p.confidence * 100)}%`, p.finding.size ? `size ${p.finding.size.toUpperCase()}` : undefined, `severity ${p.severity}`]
    .filter(Boolean)
    .join(' · ');
  const evidence = p.finding.evidence
    .slice(0, 10)
    .map((e) => `  - ${e.path ? `${e.path}:${e.startLine ?? 1}${e.endLine && e.endLine !== e.startLine ? `-${e.endLine}` : ''}` : (e.url ?? '')}${e.label ? ` — ${e.label}` : ''}`);
  const more = p.finding.evidence.length > 10 ? [`  …and ${p.finding.evidence.length - 10} more`] : [];
  const state = p.state === 'pending' ? '' : `\n[${p.state}${p.decidedBy ? ` by ${p.decidedBy}` : ''}${p.taskId ? `, task #${p.taskId}` : ''}]`;
  return [`#${p.id} ${w.title}`, facts, '', `Why: ${w.why}`, ...evidence, ...more, '', `Proposed task:\n${w.plan}`, '', `Done when: ${w.acceptance}`].join('\n') + state + '\n';
}
