import type { Evidence } from '../scanners/finding.js';
import { taskMarker, type TaskContext } from './types.js';

/** GitHub's limit on issue and PR bodies is 65,536 characters; stay under it with room to spare. */
const MAX_BODY = 60_000;

/** A link to the evidence: a blob permalink pinned to its commit when the repository is on GitHub. */
export function evidenceLink(e: Evidence, github: TaskContext['repository']['github']): string {
  if (e.url) return e.url;
  if (!e.path) return '';
  const start = e.startLine;
  const end = e.endLine ?? start;
  const range = start === undefined ? '' : end !== undefined && end > start ? `#L${start}-L${end}` : `#L${start}`;
  if (github && e.commit) return `${github.webUrl}/${github.owner}/${github.name}/blob/${e.commit}/${e.path.split('/').map(encodeURIComponent).join('/')}${range}`;
  return `${e.path}${start === undefined ? '' : `:${start}${end !== undefined && end > start ? `-${end}` : ''}`}`;
}

/** The Markdown body of an issue (or a workflow prompt) for a task, with the hidden marker first. */
export function renderTaskBody(ctx: Pick<TaskContext, 'taskId' | 'proposal' | 'repository'>): string {
  const p = ctx.proposal;
  const evidence = p.evidence
    .map((e) => {
      const link = evidenceLink(e, ctx.repository.github);
      const label = e.label ?? e.path ?? 'evidence';
      const excerpt = e.excerpt ? `\n  \`\`\`\n  ${e.excerpt.split('\n').slice(0, 12).join('\n  ')}\n  \`\`\`` : '';
      return `- ${link ? `[${label}](${link})` : label}${excerpt}`;
    })
    .join('\n');
  const parts = [
    taskMarker(ctx.taskId),
    p.why && `## Why\n\n${p.why}`,
    `## Plan\n\n${p.plan || p.suggestedTask}`,
    p.acceptance && `## Done when\n\n${p.acceptance}`,
    evidence && `## Evidence\n\n${evidence}`,
    p.context && `## Context\n\n${p.context}`,
    `---\nQueued by Teammate as task #${ctx.taskId} (${p.scanner}/${p.rule}, severity ${p.severity})` +
      (p.approvedBy ? `, approved by ${p.approvedBy}` : '') +
      (p.cardUrl ? ` — [the card in Slack](${p.cardUrl})` : '') +
      '.',
  ].filter(Boolean);
  const body = parts.join('\n\n');
  return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n…(truncated)` : body;
}
