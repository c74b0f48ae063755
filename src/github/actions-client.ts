/**
 * The GitHub adapter for the ci and issues scanners (GitHubScanPort) over Octokit: workflow runs,
 * jobs and job logs, labelled issues, and the timeline that says whether a pull request is
 * linked. Responses are narrowed to the fields the core needs.
 */
import type { Octokit } from '@octokit/rest';
import type { GitHubRepoRef, GitHubScanPort, IssueInfo, WorkflowJob, WorkflowRun } from '../scanners/types.js';

/** Job logs can be many megabytes: keep the tail, where failures are. */
const MAX_LOG_CHARS = 2 * 1024 * 1024;

export function createGitHubScanClient(octokit: Octokit): GitHubScanPort {
  return {
    async defaultBranch(repo) {
      const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
      return data.default_branch;
    },
    async listWorkflowRuns(repo, opts) {
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
        owner: repo.owner,
        repo: repo.name,
        branch: opts.branch,
        status: 'completed',
        per_page: Math.min(100, opts.limit),
      });
      return data.workflow_runs.map(
        (r): WorkflowRun => ({
          id: r.id,
          workflowId: r.workflow_id,
          workflowName: r.name ?? `workflow ${r.workflow_id}`,
          workflowPath: r.path || undefined,
          conclusion: r.conclusion ?? null,
          headSha: r.head_sha,
          htmlUrl: r.html_url,
          createdAt: r.created_at,
        }),
      );
    },
    async listRunJobs(repo, runId) {
      const { data } = await octokit.rest.actions.listJobsForWorkflowRun({ owner: repo.owner, repo: repo.name, run_id: runId, filter: 'latest', per_page: 100 });
      return data.jobs.map(
        (j): WorkflowJob => ({
          id: j.id,
          name: j.name,
          conclusion: j.conclusion ?? null,
          htmlUrl: j.html_url ?? '',
          failedSteps: (j.steps ?? []).filter((s) => s.conclusion === 'failure' || s.conclusion === 'timed_out').map((s) => s.name),
        }),
      );
    },
    async jobLog(repo, jobId) {
      // GitHub answers 302 to a short-lived URL of the plain-text log; fetch follows it.
      const res = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner: repo.owner, repo: repo.name, job_id: jobId });
      const text = typeof res.data === 'string' ? res.data : res.data instanceof ArrayBuffer ? new TextDecoder().decode(res.data) : String(res.data ?? '');
      return text.length > MAX_LOG_CHARS ? text.slice(-MAX_LOG_CHARS) : text;
    },
    async listOpenIssues(repo, opts) {
      const { data } = await octokit.rest.issues.listForRepo({
        owner: repo.owner,
        repo: repo.name,
        state: 'open',
        labels: opts.label,
        sort: 'created',
        direction: 'asc',
        per_page: Math.min(100, opts.limit),
      });
      return data
        .filter((i) => !i.pull_request)
        .map(
          (i): IssueInfo => ({
            number: i.number,
            title: i.title,
            body: i.body ?? '',
            labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
            assignees: (i.assignees ?? []).map((a) => a.login),
            createdAt: i.created_at,
            htmlUrl: i.html_url,
            author: i.user?.login ?? 'unknown',
          }),
        );
    },
    async issueStatus(repo: GitHubRepoRef, issueNumber: number) {
      const [{ data: issue }, { data: timeline }] = await Promise.all([
        octokit.rest.issues.get({ owner: repo.owner, repo: repo.name, issue_number: issueNumber }),
        octokit.rest.issues.listEventsForTimeline({ owner: repo.owner, repo: repo.name, issue_number: issueNumber, per_page: 100 }),
      ]);
      const linked = new Set<number>();
      for (const e of timeline as { event?: string; source?: { issue?: { number?: number; state?: string; pull_request?: { merged_at?: string | null } } } }[]) {
        const src = e.source?.issue;
        // A pull request that mentions the issue and is still open or got merged counts as "someone is on it".
        if (e.event === 'cross-referenced' && src?.pull_request && src.number !== undefined && (src.state === 'open' || src.pull_request.merged_at)) linked.add(src.number);
      }
      return {
        open: issue.state === 'open',
        assignees: (issue.assignees ?? []).map((a) => a.login),
        linkedPullRequests: [...linked],
      };
    },
  };
}
