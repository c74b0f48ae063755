/**
 * The github-actions executor through the real queue against the fake GitHub's workflow dispatch
 * and run endpoints: it dispatches with the task's id and prompt, finds its own run among others by
 * the run name, follows it to its end and reports the conclusion and the PR it opened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdapters, buildTaskQueue, type TaskQueue } from '../../src/app.js';
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../harness/fake-github.js';
import { approvedTask, cleanupTempDirs, gitRepoWithOrigin, tempDir, testRuntime, waitUntil } from './fixtures.js';

const TOKEN = 'ghp_' + 'Act10nsT0ken'.repeat(3);
let github: FakeGitHub | undefined;
const queues: TaskQueue[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const q of queues.splice(0)) await q.workers?.stop({ graceMs: 1000 });
  for (const c of closers.splice(0)) c();
  await github?.close();
  cleanupTempDirs();
});

interface FakeRun {
  id: number;
  display_title: string;
  status: string;
  conclusion: string | null;
  polls: number;
}

/** Dispatch creates a run named `teammate:task:<id>` that is in progress for two looks, then ends with `conclusion`. */
function routeWorkflow(fake: FakeGitHub, conclusion: 'success' | 'failure', opts: { pr: boolean }) {
  const base = '/repos/acme/widgets';
  const dispatches: RecordedRequest[] = [];
  // Someone else's run of the same workflow, which must not be taken for ours.
  const runs: FakeRun[] = [{ id: 500, display_title: 'teammate:task:999', status: 'completed', conclusion: 'success', polls: 0 }];
  const json = (r: FakeRun) => ({ id: r.id, name: 'Teammate', display_title: r.display_title, status: r.status, conclusion: r.conclusion, event: 'workflow_dispatch', head_branch: 'main', html_url: `https://github.com/acme/widgets/actions/runs/${r.id}` });
  fake.route('GET', base, { body: { id: 1, name: 'widgets', full_name: 'acme/widgets', default_branch: 'main' } });
  fake.route('POST', `${base}/actions/workflows/teammate.yml/dispatches`, (req) => {
    dispatches.push(req);
    const { inputs } = req.body as { inputs: { task_id: string } };
    runs.push({ id: 9000 + dispatches.length, display_title: `teammate:task:${inputs.task_id}`, status: 'queued', conclusion: null, polls: 0 });
    return { status: 204 };
  });
  fake.route('GET', `${base}/actions/workflows/teammate.yml/runs`, (req) => {
    const q = new URLSearchParams(req.search);
    const ok = q.get('event') === 'workflow_dispatch' && q.get('branch') === 'main' && /^>=\d{4}-/.test(q.get('created') ?? '');
    return { body: { total_count: ok ? runs.length : 0, workflow_runs: ok ? [...runs].reverse().map(json) : [] } };
  });
  fake.route('GET', `${base}/actions/runs/:id`, (_req, p) => {
    const run = runs.find((r) => String(r.id) === p.id);
    if (!run) return { status: 404, body: { message: 'Not Found' } };
    run.polls++;
    if (run.polls >= 3 && run.status !== 'completed') Object.assign(run, { status: 'completed', conclusion });
    else if (run.status === 'queued') run.status = 'in_progress';
    return { body: json(run) };
  });
  fake.route('GET', `${base}/pulls`, (req) => {
    const head = new URLSearchParams(req.search).get('head') ?? '';
    const m = /^acme:teammate\/task-(\d+)$/.exec(head);
    return { body: opts.pr && m ? [{ number: 42, draft: true, state: 'open', html_url: 'https://github.com/acme/widgets/pull/42', head: { ref: `teammate/task-${m[1]}` } }] : [] };
  });
  return { dispatches, runs };
}

async function setup(conclusion: 'success' | 'failure', pr: boolean) {
  github = await startFakeGitHub({ token: TOKEN });
  const wf = routeWorkflow(github, conclusion, { pr });
  const repoDir = gitRepoWithOrigin('https://github.com/acme/widgets');
  const runtime = testRuntime({ TEAMMATE_REPOS: repoDir, GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.apiUrl, TEAMMATE_ACTIONS_POLL_MS: '50', TEAMMATE_TASK_BACKOFF_MS: '20' }, `${tempDir()}/teammate.db`);
  closers.push(runtime.close);
  const { taskId } = approvedTask(runtime, repoDir, 1, 'github-actions', { card: false });
  const q = buildTaskQueue(runtime, buildAdapters(runtime.config, runtime.logger), { concurrency: 1 });
  queues.push(q);
  q.workers!.start();
  const task = await waitUntil('the task to finish', () => {
    const t = q.store.get(taskId);
    return t && (t.status === 'succeeded' || t.status === 'failed') ? t : undefined;
  });
  return { wf, taskId, task, q, runtime };
}

describe('github-actions executor', () => {
  it('dispatches the workflow with the task id and prompt, follows its run and reports the draft PR it opened', async () => {
    const { wf, taskId, task, q } = await setup('success', true);
    expect(task.status).toBe('succeeded');
    expect(wf.dispatches).toHaveLength(1);
    const body = wf.dispatches[0]!.body as { ref: string; inputs: { task_id: string; prompt: string } };
    expect(body.ref).toBe('main');
    expect(body.inputs.task_id).toBe(String(taskId));
    expect(body.inputs.prompt).toContain('Add the retry (1).');
    expect(body.inputs.prompt).toContain(`<!-- teammate:task:${taskId} -->`);
    expect(task.result?.links).toEqual([
      { kind: 'pr', url: 'https://github.com/acme/widgets/pull/42', label: 'Draft PR #42' },
      { kind: 'run', url: 'https://github.com/acme/widgets/actions/runs/9001', label: 'Run 9001' },
    ]);
    // It followed its own run (9001), never the other task's (500).
    expect(github!.requests.some((r) => r.path.endsWith('/actions/runs/500'))).toBe(false);
    expect(q.store.listEvents(taskId).some((e) => e.kind === 'progress' && String(e.detail?.step).includes('in_progress'))).toBe(true);
    expect(github!.unexpected).toEqual([]);
  });

  it('a run that ends in failure fails the task with the conclusion and the run link, without retrying', async () => {
    const { wf, task } = await setup('failure', false);
    expect(task.status).toBe('failed');
    expect(task.attempts).toBe(1);
    expect(task.lastError).toMatch(/workflow run 9001 ended failure: https:\/\/github\.com\/acme\/widgets\/actions\/runs\/9001/);
    expect(wf.dispatches).toHaveLength(1);
    expect(github!.unexpected).toEqual([]);
  });
});
