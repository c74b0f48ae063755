/**
 * The prompt the Codex agent gets for a task: what to change and why, the evidence, the thread's
 * context, and the rules of the run (Teammate commits, tests and opens the PR itself). The
 * repository's AGENTS.md is read by the Codex CLI on its own; it is not repeated here.
 */
import type { TaskProposal, TaskRepository } from './types.js';

const MAX_CONTEXT = 12_000;

export function buildCodexPrompt(proposal: TaskProposal, repository: TaskRepository, testCommand: string | undefined): string {
  const parts: string[] = [`# Task: ${proposal.title}`, '', `Repository: ${repository.label}`];
  if (proposal.why.trim()) parts.push('', '## Why', proposal.why.trim());
  const plan = proposal.plan.trim() || proposal.suggestedTask.trim();
  if (plan) parts.push('', '## Plan', plan);
  if (proposal.acceptance.trim()) parts.push('', '## Done when', proposal.acceptance.trim());
  if (proposal.evidence.length > 0) {
    parts.push('', '## Evidence');
    for (const e of proposal.evidence.slice(0, 20)) {
      const where = e.path ? `${e.path}${e.startLine ? `:${e.startLine}${e.endLine && e.endLine !== e.startLine ? `-${e.endLine}` : ''}` : ''}` : '';
      const head = [where, e.label, e.url].filter(Boolean).join(' — ');
      parts.push(`- ${head || '(no location)'}`);
      if (e.excerpt) parts.push(...e.excerpt.split('\n').slice(0, 15).map((l) => `    ${l}`));
    }
  }
  if (proposal.context?.trim()) {
    const ctx = proposal.context.trim();
    parts.push('', '## Conversation this came from', ctx.length > MAX_CONTEXT ? `${ctx.slice(-MAX_CONTEXT)}\n(earlier messages left out)` : ctx);
  }
  parts.push(
    '',
    '## How to work',
    '- Make the change in the current working directory only; keep it small and focused on this task.',
    '- Follow the conventions of the code around it and any AGENTS.md instructions.',
    '- Do not commit, push, or create branches: Teammate reviews the diff, commits it and opens a draft pull request.',
    testCommand
      ? `- Teammate runs \`${testCommand}\` after you finish; add or update tests for the change where it makes sense.`
      : '- This repository has no test command Teammate knows of; say in your summary how the change was checked.',
    '- There is no network access.',
    '- Finish with a short summary (a few sentences) of what you changed and why: it becomes the pull request description.',
  );
  return parts.join('\n');
}
