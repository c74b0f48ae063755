/**
 * The github-issue executor: files the proposal as an issue in the task's repository (plan,
 * evidence permalinks, labels) — a hand-off to people or to another agent. The body carries the
 * hidden task marker; before creating, the executor looks for an issue with that marker, so a
 * task re-run after a crash or a retried 5xx never files a second issue.
 */
import type { Octokit } from '@octokit/rest';
import { renderTaskBody } from './render-task-body.js';
import { ExecutorError, taskMarker, type Executor } from './types.js';

export interface GitHubIssueExecutorOptions {
  /** The Octokit client (loaded on first use). */
  readonly github: () => Promise<Octokit>;
  /** Labels put on every issue; the first one is also how the executor finds its earlier issues. */
  readonly labels: readonly string[];
}

interface IssueRef extends Record<string, unknown> {
  readonly number: number;
  readonly url: string;
}

export function createGitHubIssueExecutor(o: GitHubIssueExecutorOptions): Executor {
  const labels = o.labels.length > 0 ? [...o.labels] : ['teammate'];
  return {
    name: 'github-issue',
    async run(ctx, signal) {
      const repo = ctx.repository.github;
      if (!repo) throw new ExecutorError(`${ctx.repository.label} is not a GitHub repository (no owner/name in TEAMMATE_REPOS and no GitHub origin remote)`, { permanent: true });
      const octokit = await o.github();
      const marker = taskMarker(ctx.taskId);
      const issue = await ctx.effects.once<IssueRef>('issue', {
        find: async () => {
          ctx.report({ step: 'Looking for an issue filed by an earlier attempt' });
          // The issue list (not search) is consistent at once: search would miss an issue created seconds ago.
          for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
            owner: repo.owner,
            repo: repo.name,
            labels: labels[0],
            state: 'all',
            sort: 'created',
            direction: 'desc',
            per_page: 100,
            request: { signal },
          })) {
            const hit = page.data.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
            if (hit) return { number: hit.number, url: hit.html_url };
          }
          return undefined;
        },
        create: async () => {
          ctx.report({ step: `Filing the issue in ${repo.owner}/${repo.name}` });
          const { data } = await octokit.rest.issues.create({
            owner: repo.owner,
            repo: repo.name,
            title: ctx.proposal.title,
            body: renderTaskBody(ctx),
            labels,
            request: { signal },
          });
          return { number: data.number, url: data.html_url };
        },
      });
      return {
        links: [{ kind: 'issue', url: issue.url, label: `Issue #${issue.number}` }],
        summary: `Filed as issue #${issue.number} in ${repo.owner}/${repo.name}.`,
      };
    },
  };
}
