import type { webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import type { AnswerStore } from '../qa/ports.js';
import { recordFeedback } from '../qa/record-feedback.js';

export interface FeedbackClick {
  readonly client: webApi.WebClient;
  readonly logger: Logger;
  readonly value: 'up' | 'down';
  /** The button's value: the answer id. */
  readonly answerIdText: string;
  readonly userId: string;
  readonly channel?: string;
  readonly threadTs?: string;
}

/** Stores a 👍/👎 (one per user and answer, latest wins) and thanks the clicker privately. */
export async function handleFeedback(answers: AnswerStore, click: FeedbackClick): Promise<void> {
  const answerId = Number(click.answerIdText);
  const stored = Number.isSafeInteger(answerId) && recordFeedback(answers, { answerId, userId: click.userId, value: click.value });
  click.logger.info({ answerId, value: click.value, stored }, 'answer feedback');
  if (!click.channel) return;
  await click.client.chat.postEphemeral({
    channel: click.channel,
    user: click.userId,
    thread_ts: click.threadTs,
    text: stored ? 'Thanks for the feedback!' : "I couldn't find that answer any more, so the feedback was not recorded.",
  });
}
