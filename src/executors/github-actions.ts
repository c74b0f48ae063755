/**
 * The github-actions executor: dispatches the repository's Teammate workflow (`workflow_dispatch`
 * with the task's prompt and id; examples/github-actions/teammate.yml runs Codex on the runner
 * and opens a draft PR), finds the run it started — runs of that workflow on that branch created
 * since the dispatch, whose name carries `teammate:task:<id>` (the example's `run-name`) — and
 * follows it to its end, reporting its conclusion and the PR it opened on `teammate/task-<id>`.
 *
 * Re-runs dispatch nothing new: the run (or the dispatch, before its run is visible) is
 * remembered with the task, and a remembered dispatch is looked for before dispatching again.
 */
import type { Octokit } from '@octokit/rest';
import { renderTaskBody } from './render-task-body.js';
import { ExecutorError, type Executor, type ExecutorResult, type ResultLink, type TaskContext } from './types.js';

export interface GitHubActionsExecutorOptions {
  readonly github: () => Promise<Octokit>;
  /** The workflow file under .github/workflows/ (default `teammate.yml`). */
  readonly workflow: string;
  /** How often the run is looked at (default 15 s; tests use less). */
  readonly pollMs?: number;
  /** How long to wait for the dispatched run to appear before dispatching again (default 2 min). */
  readonly appearTimeoutMs?: number;
  /** Longest a run is followed (default 6 h, GitHub's own job limit). */
  readonly followTimeoutMs?: number;
}

/** workflow_dispatch inputs are limited in size; the full plan is in the issue-style prompt's head. */
const MAX_PROMPT = 20_000;
const RUN_NAME = /teammate:task:(\d+)\b/;

interface RunInfo {
  readonly id: number;
  readonly status: string | null;
  readonly conclusion: string | null;
  readonly htmlUrl: string;
}

export function createGitHubActionsExecutor(o: GitHubActionsExecutorOptions): Executor {
  const pollMs = o.pollMs ?? 15_000;
  const appearTimeoutMs = o.appearTimeoutMs ?? 120_000;
  const followTimeoutMs = o.followTimeoutMs ?? 6 * 60 * 60_000;
  return {
    name: 'github-actions',
    async run(ctx, signal) {
      const repo = ctx.repository.github;
      if (!repo) throw new ExecutorError(`${ctx.repository.label} is not a GitHub repository (no owner/name in TEAMMATE_REPOS and no GitHub origin remote)`, { permanent: true });
      const octokit = await o.github();
      const base = { owner: repo.owner, repo: repo.name, request: { signal } };

      const findRun = async (ref: string, since: number): Promise<RunInfo | undefined> => {
        const { data } = await octokit.rest.actions.listWorkflowRuns({
          ...base,
          workflow_id: o.workflow,
          event: 'workflow_dispatch',
          branch: ref,
          // A minute of slack for clock skew between this machine and GitHub.
          created: `>=${new Date(since - 60_000).toISOString()}`,
          per_page: 50,
        });
        const run = data.workflow_runs.find((r) => Number(RUN_NAME.exec(`${r.display_title ?? ''} ${r.name ?? ''}`)?.[1]) === ctx.taskId);
        return run ? { id: run.id, status: run.status, conclusion: run.conclusion, htmlUrl: run.html_url } : undefined;
      };

      let runId = ctx.effects.recall('run')?.id as number | undefined;
      if (runId === undefined) {
        const recalled = ctx.effects.recall('dispatch') as { at?: number; ref?: string } | undefined;
        let dispatch = recalled?.ref && recalled.at ? { at: recalled.at, ref: recalled.ref } : undefined;
        let run = dispatch ? await waitForRun(ctx, signal, () => findRun(dispatch!.ref, dispatch!.at), appearTimeoutMs, pollMs) : undefined;
        if (!run) {
          const { data: meta } = await octokit.rest.repos.get(base);
          dispatch = { at: Date.now(), ref: meta.default_branch };
          // Remembered before dispatching: a crash right after the dispatch then looks for its run instead of dispatching twice.
          ctx.effects.remember('dispatch', dispatch);
          ctx.report({ step: `Dispatching ${o.workflow} on ${dispatch.ref}` });
          try {
            await octokit.rest.actions.createWorkflowDispatch({
              ...base,
              workflow_id: o.workflow,
              ref: dispatch.ref,
              inputs: { task_id: String(ctx.taskId), prompt: renderTaskBody(ctx).slice(0, MAX_PROMPT) },
            });
          } catch (err) {
            if ((err as { status?: number }).status === 404) {
              throw new ExecutorError(`workflow ${o.workflow} was not found in ${repo.owner}/${repo.name} (add examples/github-actions/teammate.yml as .github/workflows/${o.workflow}, or set TEAMMATE_ACTIONS_WORKFLOW)`, { permanent: true, cause: err });
            }
            throw err;
          }
          run = await waitForRun(ctx, signal, () => findRun(dispatch!.ref, dispatch!.at), appearTimeoutMs, pollMs);
          if (!run) throw new ExecutorError(`the ${o.workflow} run for task ${ctx.taskId} did not appear within ${Math.round(appearTimeoutMs / 1000)} s (does the workflow set run-name with teammate:task:<id>?)`, { permanent: false });
        }
        runId = run.id;
        ctx.effects.remember('run', { id: run.id, url: run.htmlUrl });
      }

      const run = await followRun(ctx, signal, runId, async () => {
        const { data } = await octokit.rest.actions.getWorkflowRun({ ...base, run_id: runId });
        return { id: data.id, status: data.status, conclusion: data.conclusion, htmlUrl: data.html_url };
      }, pollMs, followTimeoutMs);

      const links: ResultLink[] = [];
      const { data: pulls } = await octokit.rest.pulls.list({ ...base, head: `${repo.owner}:teammate/task-${ctx.taskId}`, state: 'all', per_page: 10 });
      const pr = pulls[0];
      if (pr) links.push({ kind: 'pr', url: pr.html_url, label: `${pr.draft ? 'Draft PR' : 'PR'} #${pr.number}` });
      links.push({ kind: 'run', url: run.htmlUrl, label: `Run ${run.id}` });
      if (run.conclusion !== 'success') {
        // A finished run that failed will not pass by being followed again: permanent for this
        // attempt. Forget it so a person's Retry dispatches a fresh run.
        ctx.effects.remember('run', {});
        ctx.effects.remember('dispatch', {});
        throw new ExecutorError(`workflow run ${run.id} ended ${run.conclusion ?? 'without a conclusion'}: ${run.htmlUrl}`, { permanent: true });
      }
      const result: ExecutorResult = {
        links,
        summary: pr ? `The ${o.workflow} run succeeded and opened PR #${pr.number}.` : `The ${o.workflow} run succeeded (it opened no pull request).`,
      };
      return result;
    },
  };
}

async function waitForRun(ctx: TaskContext, signal: AbortSignal, find: () => Promise<RunInfo | undefined>, timeoutMs: number, pollMs: number): Promise<RunInfo | undefined> {
  const until = Date.now() + timeoutMs;
  ctx.report({ step: 'Waiting for the workflow run to start' });
  for (;;) {
    const run = await find();
    if (run || Date.now() >= until) return run;
    await sleep(Math.min(pollMs, 5_000), signal);
  }
}

async function followRun(ctx: TaskContext, signal: AbortSignal, runId: number, get: () => Promise<RunInfo>, pollMs: number, timeoutMs: number): Promise<RunInfo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await get();
    if (run.status === 'completed') return run;
    ctx.report({ step: `Workflow run ${runId} is ${run.status ?? 'pending'}`, url: run.htmlUrl });
    if (Date.now() >= until) throw new ExecutorError(`workflow run ${runId} did not finish within ${Math.round(timeoutMs / 60_000)} minutes: ${run.htmlUrl}`, { permanent: true });
    await sleep(pollMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
