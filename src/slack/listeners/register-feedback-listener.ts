import type { App } from '@slack/bolt';
import { z } from 'zod';
import { recordFeedback } from '../../qa/record-feedback.js';
import { FEEDBACK_DOWN, FEEDBACK_UP } from '../blocks/answer-message.js';
import type { SlackRuntime } from '../slack-runtime.js';
import { registerAction } from './register-action.js';

const NOT_FOUND = "I couldn't find that answer any more, so the feedback was not recorded.";
const REPLIES = {
  recorded: 'Thanks for the feedback!',
  'unknown-answer': NOT_FOUND,
  'not-this-message': "That vote doesn't match the answer on this message, so it was not recorded.",
} as const;

/** The feedback buttons carry the answer id. */
const answerIdValue = z.string().regex(/^\d{1,15}$/).transform(Number);

/** 👍/👎 under an answer: one vote per user and answer (latest wins), thanked privately. */
export function registerFeedbackListener(app: App, rt: SlackRuntime): void {
  for (const [actionId, value] of [
    [FEEDBACK_UP, 'up'],
    [FEEDBACK_DOWN, 'down'],
  ] as const) {
    registerAction(app, rt, {
      actionId,
      schema: answerIdValue,
      invalidText: NOT_FOUND,
      handle(click) {
        const result = recordFeedback(rt.answers, {
          answerId: click.payload,
          userId: click.userId,
          value,
          from: { channel: click.channel, messageTs: click.messageTs, ephemeral: click.ephemeral },
        });
        if (result === 'not-this-message') click.logger.warn({ answerId: click.payload, messageTs: click.messageTs }, 'refused a vote for an answer that is not on this message');
        else click.logger.info({ answerId: click.payload, value, result }, 'answer feedback');
        return { kind: 'ephemeral', text: REPLIES[result] };
      },
    });
  }
}
