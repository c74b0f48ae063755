/**
 * Loads what a task is about: its proposal (write-up or the finding's own text), its repository
 * with its GitHub identity (configured, or read from the origin remote) and the card it came from.
 */
import { ExecutorError, type TaskRepository } from '../executors/types.js';
import type { Proposal, ProposalStore } from '../proposals/types.js';
import type { Repository } from '../repos/repository.js';
import type { TaskSource } from './types.js';

export interface TaskSourceDeps {
  readonly proposals: Pick<ProposalStore, 'get'>;
  /** The repository for a repo id (configured ones, or a local path queued from the CLI). */
  findRepository(repoId: string): Repository | undefined;
  resolveGitHub(repo: Repository): Promise<TaskRepository['github']>;
  /** A link to the card (Slack permalink), when it can be made without a call. */
  cardUrl?(channel: string, messageTs: string): string | undefined;
}

export function createTaskSource(deps: TaskSourceDeps): TaskSource {
  return {
    async load(task) {
      const p: Proposal | undefined = deps.proposals.get(task.proposalId);
      if (!p) throw new ExecutorError(`proposal #${task.proposalId} of task #${task.id} no longer exists`, { permanent: true });
      const repo = deps.findRepository(task.repoId);
      if (!repo) throw new ExecutorError(`repository ${task.repoId} is not configured here (TEAMMATE_REPOS)`, { permanent: true });
      const github = await deps.resolveGitHub(repo);
      const card = p.channel && p.messageTs ? { channel: p.channel, messageTs: p.messageTs } : undefined;
      const cardUrl = card ? deps.cardUrl?.(card.channel, card.messageTs) : undefined;
      return {
        proposal: {
          id: p.id,
          title: p.writeup?.title ?? p.title,
          why: p.writeup?.why ?? p.finding.summary,
          plan: p.writeup?.plan ?? p.finding.suggestedTask,
          acceptance: p.writeup?.acceptance ?? '',
          suggestedTask: p.finding.suggestedTask,
          evidence: p.finding.evidence,
          scanner: p.scanner,
          rule: p.rule,
          severity: p.severity,
          repoId: p.repoId,
          ...(p.decidedBy ? { approvedBy: p.decidedBy } : {}),
          ...(p.requestedBy ? { requestedBy: p.requestedBy } : {}),
          ...(cardUrl ? { cardUrl } : {}),
        },
        repository: { id: repo.id, root: repo.root, label: repo.label, ...(github ? { github } : {}) },
        ...(card ? { card } : {}),
      };
    },
  };
}
