/**
 * ci: GitHub Actions workflows whose latest completed run on the default branch failed. One
 * finding per workflow (not per run), fingerprinted on the workflow and its failing jobs, with
 * the failing job, step and a scrubbed log excerpt as evidence.
 */
import type { Repository } from '../../repos/repository.js';
import type { Evidence, Finding } from '../finding.js';
import { fingerprintOf } from '../fingerprint.js';
import { truncate } from '../truncate.js';
import { gitHubRepoOf } from '../github-repo-of.js';
import type { GitHubRepoRef, GitHubScanPort, Scanner, ScanContext, WorkflowRun } from '../types.js';
import { excerptJobLog } from './log-excerpt.js';

const FAILING = new Set(['failure', 'timed_out', 'startup_failure']);

export function createCiScanner(): Scanner {
  return {
    name: 'ci',
    description: 'GitHub Actions workflows failing on the default branch, with the failing job and a log excerpt',
    async scan(repo, ctx) {
      const { github, ref } = gitHubRepoOf(repo, ctx, 'CI runs');
      const branch = await github.defaultBranch(ref);
      const latest = latestRunPerWorkflow(await github.listWorkflowRuns(ref, { branch, limit: ctx.settings.thresholds.ciRunLimit }));
      const findings: Finding[] = [];
      for (const { run, streak } of latest) {
        if (!FAILING.has(run.conclusion ?? '')) continue;
        ctx.signal.throwIfAborted();
        findings.push(await failingWorkflowFinding(repo, ctx, github, ref, branch, run, streak));
      }
      return findings.sort((a, b) => Number(b.meta?.streak ?? 0) - Number(a.meta?.streak ?? 0));
    },
    async recheck(finding, repo, ctx) {
      const { github, ref } = gitHubRepoOf(repo, ctx, 'CI runs');
      const branch = await github.defaultBranch(ref);
      const latest = latestRunPerWorkflow(await github.listWorkflowRuns(ref, { branch, limit: ctx.settings.thresholds.ciRunLimit }));
      const mine = latest.find((l) => l.run.workflowId === Number(finding.meta?.workflowId));
      return mine !== undefined && FAILING.has(mine.run.conclusion ?? '');
    },
  };
}

/** Newest completed run of each workflow, with how many runs in a row (newest first) failed. */
export function latestRunPerWorkflow(runs: readonly WorkflowRun[]): { run: WorkflowRun; streak: number }[] {
  const byWorkflow = new Map<number, WorkflowRun[]>();
  for (const r of [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    const list = byWorkflow.get(r.workflowId) ?? [];
    list.push(r);
    byWorkflow.set(r.workflowId, list);
  }
  return [...byWorkflow.values()].map((list) => {
    let streak = 0;
    while (streak < list.length && FAILING.has(list[streak]!.conclusion ?? '')) streak++;
    return { run: list[0]!, streak };
  });
}

async function failingWorkflowFinding(
  repo: Repository,
  ctx: ScanContext,
  github: GitHubScanPort,
  ref: GitHubRepoRef,
  branch: string,
  run: WorkflowRun,
  streak: number,
): Promise<Finding> {
  const jobs = (await github.listRunJobs(ref, run.id)).filter((j) => FAILING.has(j.conclusion ?? ''));
  const jobNames = jobs.map((j) => j.name).sort();
  const first = jobs[0];
  let excerpt: string | undefined;
  if (first) {
    try {
      excerpt = excerptJobLog(await github.jobLog(ref, first.id));
    } catch (err) {
      // Logs expire (90 days by default) or need more scopes: the failure is still worth a card.
      ctx.logger.warn({ err, jobId: first.id }, 'could not read the job log');
    }
  }
  const step = first?.failedSteps[0];
  const evidence: Evidence[] = [];
  if (first) {
    evidence.push({ url: first.htmlUrl, label: `job \`${first.name}\` failed${step ? ` at step \`${step}\`` : ''}`, excerpt });
  }
  evidence.push({ url: run.htmlUrl, commit: run.headSha, label: `latest run on \`${branch}\` (${run.headSha.slice(0, 7)}): ${run.conclusion}` });
  if (run.workflowPath) evidence.push({ path: run.workflowPath, commit: run.headSha, label: 'the workflow file' });
  const jobsText = jobNames.length > 0 ? jobNames.map((n) => `\`${n}\``).join(', ') : 'no job (the workflow did not start)';
  return {
    scanner: 'ci',
    rule: 'ci.failing-workflow',
    title: truncate(`CI failing on ${branch}: ${run.workflowName}${jobNames.length > 0 ? ` (${jobNames.join(', ')})` : ''}`, 150),
    summary:
      `The latest ${run.workflowName} run on \`${branch}\` in ${repo.label} ended in ${run.conclusion}` +
      `${streak > 1 ? `, the ${streak}th failing run in a row` : ''}; failing: ${jobsText}.`,
    evidence,
    severity: 'high',
    confidence: streak > 1 ? 0.95 : 0.85,
    suggestedTask:
      `Make the \`${run.workflowName}\` workflow pass on \`${branch}\` again. ` +
      `${first ? `Job \`${first.name}\` fails${step ? ` at step \`${step}\`` : ''}. ` : ''}` +
      'Reproduce the failure locally from the log, fix its cause (not by skipping the test), and confirm the job passes.',
    fingerprint: fingerprintOf('ci', `${ref.owner}/${ref.name}`, run.workflowPath ?? String(run.workflowId), ...jobNames),
    size: 'm',
    meta: { workflowId: run.workflowId, workflow: run.workflowName, runId: run.id, failingJobs: jobNames.join(','), streak, branch, headSha: run.headSha },
  };
}
