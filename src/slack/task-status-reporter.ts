/**
 * TaskStatusReporter in Slack: one message per task in its card's thread. The first report posts
 * it (chat.postMessage) and its ts is remembered with the task (task_events) at once, so a
 * restart or another worker updates that message (chat.update) instead of posting a second one.
 * Reports for one task are sent one after another; a failure is logged, never thrown.
 */
import { webApi } from '@slack/bolt';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { TaskQueueStore, TaskStatusReporter } from '../tasks/types.js';
import { buildTaskStatusMessage } from './blocks/task-status-message.js';
import { callWithRateLimit } from './call-with-rate-limit.js';
import { slackClientOptions } from './slack-app.js';

export const STATUS_MESSAGE_EFFECT = 'slack-status';

export function createSlackTaskStatusReporter(o: {
  readonly client: webApi.WebClient;
  readonly store: Pick<TaskQueueStore, 'recallEffect' | 'rememberEffect'>;
  readonly logger: Logger;
}): TaskStatusReporter {
  const chains = new Map<number, Promise<void>>();
  const send = async (u: Parameters<TaskStatusReporter['report']>[0]) => {
    if (!u.card) return;
    const message = buildTaskStatusMessage(u);
    const known = o.store.recallEffect(u.task.id, STATUS_MESSAGE_EFFECT);
    const rate = { logger: o.logger, retries: 2, maxWaitSec: 10 };
    if (typeof known?.ts === 'string' && typeof known.channel === 'string') {
      const { channel, ts } = known;
      await callWithRateLimit('chat.update', () => o.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }), rate);
      return;
    }
    const posted = await callWithRateLimit(
      'chat.postMessage',
      () => o.client.chat.postMessage({ channel: u.card!.channel, thread_ts: u.card!.messageTs, text: message.text, blocks: message.blocks, unfurl_links: false }),
      rate,
    );
    if (posted.ts) o.store.rememberEffect(u.task.id, STATUS_MESSAGE_EFFECT, { channel: posted.channel ?? u.card.channel, ts: posted.ts }, Date.now());
  };
  return {
    report(u) {
      const next = (chains.get(u.task.id) ?? Promise.resolve())
        .then(() => send(u))
        .catch((err: unknown) => o.logger.warn({ task: u.task.id, err }, 'could not update the task status message'));
      chains.set(u.task.id, next);
      void next.finally(() => {
        if (chains.get(u.task.id) === next) chains.delete(u.task.id);
      });
      return next;
    },
  };
}

/**
 * A Web API client with the bot token for status messages: the bot's Bolt app authorizes per
 * event (its app.client has no token), and `teammate worker` runs no Bolt app at all.
 */
export function createTaskStatusClient(slack: Config['slack'], logger: Logger): webApi.WebClient | undefined {
  if (!slack.botToken) return undefined;
  return new webApi.WebClient(slack.botToken, slackClientOptions(slack.apiUrl, logger));
}
