import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubScanClient } from '../../src/github/actions-client.js';
import { createOctokit } from '../../src/github/create-octokit.js';
import { createCiScanner } from '../../src/scanners/ci/ci-scanner.js';
import { createIssuesScanner } from '../../src/scanners/issues/issues-scanner.js';
import { recheckFinding, runScan } from '../../src/scanners/run-scan.js';
import { type FakeGitHub, type FakeWorkflowRun, routeActions, routeIssues, startFakeGitHub } from '../harness/fake-github.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { localRepo, scanDeps } from './scan-helpers.js';

const REPO = { owner: 'acme', name: 'widgets' };
const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

const LOG = [
  '2026-05-30T10:00:00.0000000Z ##[group]Run npm test',
  '2026-05-30T10:00:01.0000000Z > vitest run',
  '2026-05-30T10:00:02.0000000Z FAIL test/parse.test.ts > parses dates',
  `2026-05-30T10:00:02.1000000Z AssertionError: expected '2026-01-02' to be '2026-01-01' (auth Bearer ${TOKEN})`,
  '2026-05-30T10:00:03.0000000Z ##[error]Process completed with exit code 1.',
  '2026-05-30T10:00:03.1000000Z ##[endgroup]',
].join('\n');

function run(id: number, workflowId: number, conclusion: FakeWorkflowRun['conclusion'], createdAt: string, jobs?: FakeWorkflowRun['jobs']): FakeWorkflowRun {
  return { id, workflowId, name: workflowId === 10 ? 'CI' : 'Lint', path: workflowId === 10 ? '.github/workflows/ci.yml' : '.github/workflows/lint.yml', conclusion, createdAt, jobs };
}

describe('GitHub scanners (real Octokit, fake GitHub)', () => {
  let gh: FakeGitHub;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    tmp = makeTempDir('teammate-gh-');
    makeGitRepo(tmp.dir, { 'a.ts': 'export {};\n' });
  });
  afterEach(async () => {
    await gh.close();
    tmp.cleanup();
  });
  const github = () => createGitHubScanClient(createOctokit({ token: TOKEN, apiUrl: gh.apiUrl, webUrl: 'https://github.com' }));

  it('ci: one finding per failing workflow (not per run) with the failing job, step and a scrubbed log excerpt; passing workflows are silent', async () => {
    const failingJobs = [
      { id: 501, name: 'test (20.x)', conclusion: 'failure', failedStep: 'npm test', log: LOG },
      { id: 502, name: 'build', conclusion: 'success' },
    ];
    routeActions(gh, REPO, [
      run(3, 10, 'failure', '2026-05-30T10:00:00Z', failingJobs),
      run(2, 10, 'failure', '2026-05-29T10:00:00Z', failingJobs),
      run(1, 10, 'success', '2026-05-28T10:00:00Z'),
      run(4, 20, 'success', '2026-05-30T11:00:00Z'),
      run(5, 20, 'failure', '2026-05-27T11:00:00Z'), // an old failure, fixed since
    ]);
    const { deps } = scanDeps([createCiScanner()], { github: github() });
    const repo = localRepo(tmp.dir, REPO);
    const report = await runScan(repo, deps);
    expect(report.findings).toHaveLength(1);
    const [f] = report.findings;
    expect(f).toMatchObject({ scanner: 'ci', rule: 'ci.failing-workflow', title: 'CI failing on main: CI (test (20.x))', severity: 'high' });
    expect(f!.meta).toMatchObject({ runId: 3, streak: 2, failingJobs: 'test (20.x)' });
    expect(f!.evidence[0]).toMatchObject({ label: 'job `test (20.x)` failed at step `npm test`', url: 'https://github.com/acme/widgets/actions/runs/3/job/501' });
    const excerpt = f!.evidence[0]!.excerpt!;
    expect(excerpt).toContain('FAIL test/parse.test.ts > parses dates');
    expect(excerpt).toContain('##[error]Process completed with exit code 1.');
    expect(excerpt).not.toContain(TOKEN);
    expect(excerpt).not.toMatch(/^2026-05-30T/m);
    expect(f!.evidence.map((e) => e.path).filter(Boolean)).toEqual(['.github/workflows/ci.yml']);
    expect(gh.unexpected).toEqual([]);
  });

  it('ci: the fingerprint follows the workflow and failing job, not the run', async () => {
    const jobs = [{ id: 601, name: 'test', conclusion: 'failure', log: 'boom\n##[error]exit 1' }];
    routeActions(gh, REPO, [run(7, 10, 'failure', '2026-05-30T10:00:00Z', jobs)]);
    const { deps } = scanDeps([createCiScanner()], { github: github() });
    const repo = localRepo(tmp.dir, REPO);
    const first = (await runScan(repo, deps)).findings[0]!;

    routeActions(gh, REPO, [run(8, 10, 'failure', '2026-05-31T10:00:00Z', [{ ...jobs[0]!, id: 602 }]), run(7, 10, 'failure', '2026-05-30T10:00:00Z', jobs)]);
    const next = (await runScan(repo, deps)).findings[0]!;
    expect(next.meta?.runId).toBe(8);
    expect(next.fingerprint).toBe(first.fingerprint);

    routeActions(gh, REPO, [run(9, 10, 'failure', '2026-06-01T10:00:00Z', [{ id: 603, name: 'lint', conclusion: 'failure', log: 'x' }])]);
    const otherJob = (await runScan(repo, deps)).findings[0]!;
    expect(otherJob.fingerprint).not.toBe(first.fingerprint);

    // Fixed on main: the finding no longer holds.
    routeActions(gh, REPO, [run(10, 10, 'success', '2026-06-01T12:00:00Z')]);
    expect(await recheckFinding(otherJob, repo, deps)).toBe(false);
    expect((await runScan(repo, deps)).findings).toEqual([]);
  });

  it('ci and issues are skipped with a reason for a repository that is not on GitHub', async () => {
    const { deps } = scanDeps([createCiScanner(), createIssuesScanner()], { github: github() });
    const report = await runScan(localRepo(tmp.dir), deps);
    expect(report.outcomes.map((o) => [o.scanner, o.status])).toEqual([
      ['ci', 'skipped'],
      ['issues', 'skipped'],
    ]);
    expect(gh.requests.filter((r) => r.path.startsWith('/repos'))).toEqual([]);
  });

  it('issues: open bug / good first issue, unassigned, no linked pull request, older than the threshold', async () => {
    routeIssues(gh, REPO, [
      { number: 1, title: 'Crash on empty input', labels: ['bug'], createdAt: '2026-03-01T00:00:00Z', body: 'Steps: run it with no args' },
      { number: 2, title: 'Typo in the docs', labels: ['good first issue'], createdAt: '2026-02-01T00:00:00Z' },
      { number: 3, title: 'Assigned bug', labels: ['bug'], createdAt: '2026-01-01T00:00:00Z', assignees: ['dana'] },
      { number: 4, title: 'Bug with an open PR', labels: ['bug'], createdAt: '2026-01-01T00:00:00Z', linkedPulls: [{ number: 40, state: 'open' }] },
      { number: 5, title: 'Fresh bug', labels: ['bug'], createdAt: '2026-05-30T00:00:00Z' },
      { number: 6, title: 'Bug with a closed, unmerged PR', labels: ['bug', 'good first issue'], createdAt: '2026-04-01T00:00:00Z', linkedPulls: [{ number: 60, state: 'closed' }] },
      { number: 7, title: 'A pull request', labels: ['bug'], createdAt: '2026-01-01T00:00:00Z', isPullRequest: true },
      { number: 8, title: 'Feature', labels: ['enhancement'], createdAt: '2026-01-01T00:00:00Z' },
    ]);
    const { deps } = scanDeps([createIssuesScanner()], { github: github() });
    const repo = localRepo(tmp.dir, REPO);
    const report = await runScan(repo, deps);
    expect(report.findings.map((f) => [f.rule, f.meta?.issue])).toEqual([
      ['issues.bug', 1],
      ['issues.bug', 6],
      ['issues.good-first-issue', 2],
    ]);
    expect(report.findings[0]).toMatchObject({ title: '#1 Crash on empty input', evidence: [{ url: 'https://github.com/acme/widgets/issues/1' }] });
    expect(await recheckFinding(report.findings[0]!, repo, deps)).toBe(true);
    expect(gh.unexpected).toEqual([]);
  });
});
