/**
 * `teammate worker` processes (the built binary) sharing one SQLite database: every task runs
 * exactly once with no SQLITE_BUSY surfacing, and a worker killed mid-task loses its lease, the
 * task is claimed again after the lease expires and completes without a second issue.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT } from '../harness/cli.js';
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js';
import { createTaskQueueStore } from '../../src/storage/task-queue-store.js';
import { approvedTask, cleanupTempDirs, gitRepoWithOrigin, routeIssueApi, tempDir, testRuntime, waitUntil } from '../tasks/fixtures.js';

const TOKEN = 'ghp_' + 'W0rkerT0ken'.repeat(3);
let github: FakeGitHub | undefined;
const children: { child: ChildProcess; stderr: string[]; exit: Promise<number | null> }[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  for (const c of closers.splice(0)) c();
  await github?.close();
  cleanupTempDirs();
});

function startWorker(env: Record<string, string>, concurrency = 2) {
  const child = spawn(process.execPath, [CLI, 'worker', '--concurrency', String(concurrency)], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const w = { child, stderr, exit };
  children.push(w);
  return w;
}

async function setup(extra: Record<string, string> = {}) {
  github = await startFakeGitHub({ token: TOKEN });
  const api = routeIssueApi(github, 'acme', 'widgets');
  const repoDir = gitRepoWithOrigin('git@github.com:acme/widgets.git');
  const dbFile = path.join(tempDir(), 'teammate.db');
  const env = {
    TEAMMATE_REPOS: repoDir,
    TEAMMATE_DB: dbFile,
    TEAMMATE_DATA_DIR: tempDir(),
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: github.apiUrl,
    LOG_LEVEL: 'info',
    ...extra,
  };
  const runtime = testRuntime(env, dbFile);
  closers.push(runtime.close);
  return { api, repoDir, env, runtime, store: createTaskQueueStore(runtime.db) };
}

describe('teammate worker processes on one database', () => {
  it('200 tasks across 4 workers: each runs exactly once, no SQLITE_BUSY', { timeout: 120_000 }, async () => {
    const { api, repoDir, env, runtime, store } = await setup();
    const ids = Array.from({ length: 200 }, (_, i) => approvedTask(runtime, repoDir, i + 1, 'github-issue', { card: false }).taskId);
    const workers = Array.from({ length: 4 }, () => startWorker(env));
    await waitUntil('every task to succeed', () => ids.every((id) => store.get(id)?.status === 'succeeded'), 90_000);
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exit));
    expect(codes).toEqual([0, 0, 0, 0]);

    const claims = runtime.db.prepare("SELECT task_id, COUNT(*) AS n, COUNT(DISTINCT json_extract(detail, '$.owner')) AS owners FROM task_events WHERE kind = 'claimed' GROUP BY task_id").all() as { task_id: number; n: number }[];
    expect(claims).toHaveLength(200);
    expect(claims.filter((c) => c.n !== 1)).toEqual([]);
    expect(api.creates).toHaveLength(200);
    const markers = new Set(api.issues.map((i) => /teammate:task:(\d+)/.exec(i.body)?.[1]));
    expect(markers.size).toBe(200);
    // The work was shared: more than one process claimed tasks.
    const owners = runtime.db.prepare("SELECT COUNT(DISTINCT json_extract(detail, '$.owner')) FROM task_events WHERE kind = 'claimed'").pluck().get() as number;
    expect(owners).toBeGreaterThan(1);
    const stderr = workers.map((w) => w.stderr.join('')).join('');
    expect(stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(stderr).not.toContain(TOKEN);
  });

  it('a worker killed with SIGKILL mid-task: the task is claimed again after its lease expires and completes, with no second issue', { timeout: 60_000 }, async () => {
    const { api, repoDir, env, runtime, store } = await setup({ TEAMMATE_TASK_LEASE_MS: '1500' });
    api.hangNextCreate();
    const { taskId } = approvedTask(runtime, repoDir, 1, 'github-issue', { card: false });
    const first = startWorker(env, 1);
    await waitUntil('the first worker to be creating the issue', () => api.creates.length === 1, 20_000);
    first.child.kill('SIGKILL');
    await first.exit;
    expect(store.get(taskId)).toMatchObject({ status: 'running', attempts: 1 });

    const second = startWorker(env, 1);
    const done = await waitUntil('the task to succeed', () => (store.get(taskId)?.status === 'succeeded' ? store.get(taskId) : undefined), 30_000);
    expect(done.attempts).toBe(2);
    // The second worker found the issue the first one created (by its marker) instead of filing another.
    expect(api.creates).toHaveLength(1);
    expect(api.issues).toHaveLength(1);
    expect(done.result?.links[0]?.url).toBe('https://github.com/acme/widgets/issues/1');
    const owners = store.listEvents(taskId).filter((e) => e.kind === 'claimed').map((e) => e.detail?.owner);
    expect(new Set(owners).size).toBe(2);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  });
});
