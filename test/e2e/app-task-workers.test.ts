/**
 * createApp runs task workers inside the bot by default: an approved card's task is claimed and
 * executed after start(), its status shown in the card's thread; TEAMMATE_WORKERS=0 runs none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createTaskQueueStore } from '../../src/storage/task-queue-store.js';
import { startFakeGitHub } from '../harness/fake-github.js';
import { startFakeSlack } from '../harness/fake-slack.js';
import { approvedTask, cleanupTempDirs, gitRepoWithOrigin, routeIssueApi, tempDir, testRuntime, waitUntil } from '../tasks/fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  cleanupTempDirs();
});

async function app(workers: string) {
  const github = await startFakeGitHub({ token: 'ghp_apptoken' });
  const slack = await startFakeSlack();
  cleanups.push(() => github.close(), () => slack.close());
  const api = routeIssueApi(github, 'acme', 'widgets');
  const repo = gitRepoWithOrigin('git@github.com:acme/widgets.git');
  const runtime = testRuntime(
    {
      TEAMMATE_REPOS: repo,
      TEAMMATE_REFRESH_CRON: 'off',
      TEAMMATE_EXECUTOR: 'github-issue',
      TEAMMATE_WORKERS: workers,
      GITHUB_TOKEN: 'ghp_apptoken',
      GITHUB_API_URL: github.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-app',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    },
    `${tempDir()}/teammate.db`,
  );
  cleanups.push(runtime.close);
  const { taskId } = approvedTask(runtime, repo, 1, 'github-issue');
  const a = createApp(runtime, { refreshOnStart: false });
  cleanups.push(() => a.stop());
  await a.start();
  return { api, slack, a, taskId, store: createTaskQueueStore(runtime.db) };
}

describe('task workers in the bot', () => {
  it('by default (TEAMMATE_WORKERS=2) run approved tasks after start() and show them in the card thread', async () => {
    const { api, slack, a, taskId, store } = await app('2');
    await waitUntil('the task to succeed', () => store.get(taskId)?.status === 'succeeded');
    expect(api.issues).toHaveLength(1);
    await waitUntil('the status update', () => slack.callsTo('chat.update').some((c) => JSON.stringify(c.body).includes('issues/1')));
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === '1700000000.000001')).toHaveLength(1);
    await a.stop();
  });

  it('TEAMMATE_WORKERS=0 runs none in the bot (teammate worker processes do)', async () => {
    const { api, taskId, store } = await app('0');
    await new Promise((r) => setTimeout(r, 800));
    expect(store.get(taskId)?.status).toBe('queued');
    expect(api.creates).toHaveLength(0);
  });
});
