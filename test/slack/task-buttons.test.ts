/**
 * The Retry and Cancel buttons of a task's status message, through the signed Slack interaction
 * seam: Retry queues a failed task again and updates the one status message in place; Cancel on
 * a finished task and a click by someone who is not an approver are refused privately.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createSlackTaskStatusReporter } from '../../src/slack/task-status-reporter.js';
import { taskActionRegistrations } from '../../src/slack/listeners/register-task-listeners.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { createTaskQueueStore } from '../../src/storage/task-queue-store.js';
import type { TaskSource } from '../../src/tasks/types.js';
import { createLogger } from '../../src/logging/logger.js';
import { blockActionPayload, postToSlackApp } from '../harness/slack-signing.js';
import { finding } from '../tasks/fixtures.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('task.retry / task.cancel buttons', () => {
  it('Retry re-queues a failed task and updates its status message in place; refusals are private', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const { db, slack } = t;
    const proposals = createProposalStore(db);
    const store = createTaskQueueStore(db);
    const now = Date.now();
    const { proposal } = proposals.upsertFromFinding(finding(1), { repoId: 'acme/api', now, channel: 'C1' });
    proposals.recordCardPost(proposal.id, 'C1', '1700000000.000100', now);
    const d = proposals.decide(proposal.id, 'pending', { toState: 'approved', action: 'approve', userId: 'U2', surface: 'slack', task: { executor: 'github-issue' }, now });
    const taskId = d.won ? d.taskId! : 0;
    // The task ran and failed for good (a worker's claim and fail).
    store.claim('w', 60_000, now);
    store.fail(taskId, 'w', 'Bad credentials', now);

    const source: TaskSource = {
      load: async (task) => ({
        proposal: { id: task.proposalId, title: proposal.title, why: '', plan: '', acceptance: '', suggestedTask: '', evidence: [], scanner: 'todo', rule: 'todo.fixme', severity: 'medium', repoId: task.repoId },
        repository: { id: task.repoId, root: '/x', label: 'acme/api' },
        card: { channel: 'C1', messageTs: '1700000000.000100' },
      }),
    };
    const logger = createLogger({ level: 'silent' });
    const reporter = createSlackTaskStatusReporter({ client: new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl }), store, logger });
    // The failure was shown once already: this is the message Retry must update.
    await reporter.report({ task: store.get(taskId)!, title: proposal.title, card: { channel: 'C1', messageTs: '1700000000.000100' }, now, error: 'Bad credentials' });
    const posted = slack.callsTo('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.body.blocks)).toContain('task.retry');
    const statusTs = (posted[0]!.response?.body as { ts: string }).ts;

    for (const reg of taskActionRegistrations({ store, clock: { now: Date.now }, source, reporter, approvers: ['U1', 'U2'] })) t.app.registerAction(reg);
    const click = (action_id: string, user: string, n: number) =>
      postToSlackApp(t!.url, SECRET, { kind: 'action', payload: blockActionPayload({ action_id, value: JSON.stringify({ taskId }), user, message_ts: statusTs, action_ts: `1700004000.00000${n}` }) });

    expect((await click('task.retry', 'U7', 1)).status).toBe(200);
    await t.app.idle();
    expect(store.get(taskId)!.status).toBe('failed');
    expect(slack.callsTo('chat.postEphemeral').at(-1)!.body).toMatchObject({ user: 'U7', text: 'Only approvers (TEAMMATE_APPROVERS) may retry tasks.' });

    expect((await click('task.retry', 'U1', 2)).status).toBe(200);
    await t.app.idle();
    expect(store.get(taskId)).toMatchObject({ status: 'queued', attempts: 0 });
    const updates = slack.callsTo('chat.update');
    expect(updates.at(-1)!.body).toMatchObject({ channel: 'C1', ts: statusTs });
    expect(JSON.stringify(updates.at(-1)!.body.blocks)).toContain('task.cancel');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);

    expect((await click('task.cancel', 'U1', 3)).status).toBe(200);
    await t.app.idle();
    expect(store.get(taskId)!.status).toBe('cancelled');
    expect((await click('task.cancel', 'U1', 4)).status).toBe(200);
    await t.app.idle();
    expect(slack.callsTo('chat.postEphemeral').at(-1)!.body).toMatchObject({ user: 'U1', text: `Task #${taskId} is already cancelled; only a queued or running task can be cancelled.` });
  });
});
