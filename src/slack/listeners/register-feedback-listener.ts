import type { App } from '@slack/bolt';
import { z } from 'zod';
import { recordFeedback } from '../../qa/record-feedback.js';
import { FEEDBACK_DOWN, FEEDBACK_UP } from '../blocks/answer-message.js';
import type { SlackRuntime } from '../slack-runtime.js';
import { registerAction } from './register-action.js';

const NOT_FOUND = "I couldn't find that answer any more, so the feedback was not recorded.";

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
        const stored = recordFeedback(rt.answers, { answerId: click.payload, userId: click.userId, value });
        click.logger.info({ answerId: click.payload, value, stored }, 'answer feedback');
        return { kind: 'ephemeral', text: stored ? 'Thanks for the feedback!' : NOT_FOUND };
      },
    });
  }
}
