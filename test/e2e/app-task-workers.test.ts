/**
 * createApp runs task workers inside the bot by default: an approved card's task is claimed and
 * executed after start(), its status shown in the card's thread; TEAMMATE_WORKERS=0 runs none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createTaskQueueStore } from '../../src/storage/task-queue-store.js';
import { startFakeGitHub } from '../harness/fake-github.js';
import { startFakeSlack } from '../harness/fake-slack.js';
import { blockActionPayload, postToSlackApp } from '../harness/slack-signing.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { approvedTask, cleanupTempDirs, finding, gitRepoWithOrigin, routeIssueApi, tempDir, testRuntime, waitUntil } from '../tasks/fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  cleanupTempDirs();
});

async function app(workers: string, opts: { pollMs?: number } = {}) {
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
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    },
    `${tempDir()}/teammate.db`,
  );
  cleanups.push(runtime.close);
  const { taskId } = approvedTask(runtime, repo, 1, 'github-issue');
  const a = createApp(runtime, { refreshOnStart: false, ...(opts.pollMs ? { tasks: { pollMs: opts.pollMs } } : {}) });
  cleanups.push(() => a.stop());
  const { slackPort } = await a.start();
  return { api, slack, a, taskId, runtime, repo, url: `http://127.0.0.1:${slackPort}/slack/events`, store: createTaskQueueStore(runtime.db) };
}

const SECRET = 'app-workers-secret';

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

  it('an approval wakes idle workers at once instead of at their next poll', async () => {
    // Idle workers that would not look again for ten minutes: only the approval's wake-up runs the task.
    const { api, runtime, repo, url, store } = await app('1', { pollMs: 600_000 });
    await waitUntil('the queued task of the setup to run', () => api.issues.length === 1);
    const proposals = createProposalStore(runtime.db);
    const { proposal } = proposals.upsertFromFinding(finding(2, { scanner: 'fixture' }), { repoId: repo, now: Date.now(), channel: 'C1' });
    proposals.recordCardPost(proposal.id, 'C1', '1700000000.000002', Date.now());
    await new Promise((r) => setTimeout(r, 100)); // the worker is back in its idle wait
    const click = blockActionPayload({ action_id: 'proposal.approve', value: String(proposal.id), user: 'U7', channel: 'C1', message_ts: '1700000000.000002' });
    expect((await postToSlackApp(url, SECRET, { kind: 'action', payload: click })).status).toBe(200);
    const taskId = await waitUntil('the approval to queue a task', () => proposals.get(proposal.id)?.taskId);
    await waitUntil('the woken worker to run it', () => store.get(taskId)?.status === 'succeeded', 5_000);
    expect(api.issues).toHaveLength(2);
  });
});
