/**
 * `teammate task "…" --repo DIR`: a task from the terminal, for trying the queue without Slack.
 * It becomes a proposal of scanner `manual`, approved by the CLI user through the same decide()
 * as a card (audit row, one task per proposal), so everything downstream is the same.
 */
import crypto from 'node:crypto';
import type { ProposalStore } from '../proposals/types.js';

export interface ManualTaskRequest {
  readonly text: string;
  readonly repoId: string;
  readonly executor: string;
  readonly user: string;
  readonly now: number;
}

export function queueManualTask(proposals: ProposalStore, r: ManualTaskRequest): { proposalId: number; taskId: number } {
  const text = r.text.trim();
  if (!text) throw new Error('the task needs a description');
  const title = text.split('\n')[0]!.slice(0, 150);
  const { proposal } = proposals.upsertFromFinding(
    {
      scanner: 'manual',
      rule: 'manual.cli',
      title,
      summary: `Asked for from the command line by ${r.user}.`,
      evidence: [],
      severity: 'medium',
      confidence: 1,
      suggestedTask: text,
      // Every request is its own proposal, even with the same words.
      fingerprint: `manual:${crypto.randomUUID()}`,
    },
    { repoId: r.repoId, now: r.now, requestedBy: r.user },
  );
  const decided = proposals.decide(proposal.id, 'pending', { toState: 'approved', action: 'approve', userId: r.user, surface: 'cli', task: { executor: r.executor }, now: r.now });
  if (!decided.won || decided.taskId === undefined) throw new Error(`could not approve proposal #${proposal.id}`);
  return { proposalId: proposal.id, taskId: decided.taskId };
}
