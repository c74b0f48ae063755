/**
 * The github-issue executor through the real queue: workers built by the composition root,
 * the real Octokit against the fake GitHub, the real Slack WebClient against the fake Slack, a
 * real git repository whose `origin` names the GitHub repository.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdapters, buildTaskQueue, buildTaskStatusReporter, type TaskQueue } from '../../src/app.js';
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js';
import { startFakeSlack, type FakeSlack } from '../harness/fake-slack.js';
import { approvedTask, cleanupTempDirs, gitRepoWithOrigin, routeIssueApi, tempDir, testRuntime, waitUntil } from './fixtures.js';

const TOKEN = 'ghp_' + 'S3cr3tT0ken'.repeat(3);
const BOT = 'xoxb-1-2-queue-test-token';
let github: FakeGitHub | undefined;
let slack: FakeSlack | undefined;
const queues: TaskQueue[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const q of queues.splice(0)) await q.workers?.stop({ graceMs: 1000 });
  for (const c of closers.splice(0)) c();
  await github?.close();
  await slack?.close();
  cleanupTempDirs();
});

async function setup(remote = 'git@github.com:acme/widgets.git') {
  github = await startFakeGitHub({ token: TOKEN });
  slack = await startFakeSlack();
  const api = routeIssueApi(github, 'acme', 'widgets');
  const repoDir = gitRepoWithOrigin(remote);
  const runtime = testRuntime(
    {
      TEAMMATE_REPOS: repoDir,
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: github.apiUrl,
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: slack.apiUrl,
      TEAMMATE_TASK_BACKOFF_MS: '20',
      TEAMMATE_TASK_LEASE_MS: '3000',
    },
    `${tempDir()}/teammate.db`,
  );
  closers.push(runtime.close);
  const start = async () => {
    const q = buildTaskQueue(runtime, buildAdapters(runtime.config, runtime.logger), { reporter: await buildTaskStatusReporter(runtime), concurrency: 1 });
    queues.push(q);
    q.workers!.start();
    return q;
  };
  return { api, repoDir, runtime, start };
}

const finished = (q: TaskQueue, id: number) => () => {
  const t = q.store.get(id);
  return t && ['succeeded', 'failed', 'cancelled'].includes(t.status) ? t : undefined;
};

describe('github-issue executor', () => {
  it('files exactly one issue in the repository named by origin, shows its URL in the card thread, and a restart repeats nothing', async () => {
    const { api, repoDir, runtime, start } = await setup();
    const { taskId } = approvedTask(runtime, repoDir, 1, 'github-issue');
    const q = await start();
    const task = await waitUntil('the task to finish', finished(q, taskId));
    expect(task).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(api.issues).toHaveLength(1);
    expect(api.issues[0]!.body).toContain(`<!-- teammate:task:${taskId} -->`);
    expect(api.issues[0]!.body).toContain('https://github.com/acme/widgets/blob/' + 'a'.repeat(40) + '/app.ts#L1');
    expect(api.issues[0]!.labels).toEqual(['teammate']);
    expect(task.result?.links[0]).toMatchObject({ kind: 'issue', url: 'https://github.com/acme/widgets/issues/1' });

    // One status message in the card's thread, updated in place to show the issue.
    await waitUntil('the final status', () => slack!.callsTo('chat.update').some((c) => JSON.stringify(c.body).includes('issues/1')));
    const posts = slack!.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000001' });

    // A restart (new workers on the same database) runs nothing and posts nothing again.
    await q.workers!.stop();
    const again = await start();
    await new Promise((r) => setTimeout(r, 700));
    await again.workers!.stop();
    expect(api.creates).toHaveLength(1);
    expect(slack!.callsTo('chat.postMessage')).toHaveLength(1);
    expect(github!.unexpected).toEqual([]);
  });

  it('retries two 5xx answers with backoff and ends with one issue', async () => {
    const { api, repoDir, runtime, start } = await setup('https://github.com/acme/widgets.git');
    api.failCreates(502, 503);
    const { taskId } = approvedTask(runtime, repoDir, 2, 'github-issue');
    const q = await start();
    const task = await waitUntil('the task to finish', finished(q, taskId));
    expect(task).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(api.creates).toHaveLength(3);
    expect(api.issues).toHaveLength(1);
    const kinds = q.store.listEvents(taskId).map((e) => e.kind).filter((k) => ['claimed', 'retry', 'succeeded'].includes(k));
    expect(kinds).toEqual(['claimed', 'retry', 'claimed', 'retry', 'claimed', 'succeeded']);
    const retries = q.store.listEvents(taskId).filter((e) => e.kind === 'retry');
    expect(retries.every((e) => typeof e.detail?.runAt === 'number' && e.detail.runAt > e.at)).toBe(true);
  });

  it('a 401 that never clears fails at once with the reason and a Retry button; the token is in no log and no message', async () => {
    const { api, repoDir, runtime, start } = await setup();
    api.failCreates(401, 401, 401, 401);
    const { taskId } = approvedTask(runtime, repoDir, 3, 'github-issue');
    const q = await start();
    const task = await waitUntil('the task to finish', finished(q, taskId));
    expect(task.status).toBe('failed');
    expect(task.attempts).toBe(1);
    expect(task.lastError).toMatch(/Bad credentials/);
    expect(api.issues).toHaveLength(0);
    const last = await waitUntil('the failed status', () => slack!.callsTo('chat.update').find((c) => JSON.stringify(c.body).includes('task.retry')));
    expect(JSON.stringify(last.body)).toContain('Bad credentials');
    expect(slack!.callsTo('chat.postMessage')).toHaveLength(1);
    // The token went to GitHub in the Authorization header, and nowhere else.
    expect(api.creates[0]!.headers.authorization).toContain(TOKEN);
    expect(runtime.log.text()).not.toContain(TOKEN);
    expect(JSON.stringify(slack!.calls.map((c) => c.body))).not.toContain(TOKEN);
    expect(runtime.log.text()).toContain('task failed');
  });
});
