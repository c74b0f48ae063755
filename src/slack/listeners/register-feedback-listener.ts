import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { FEEDBACK_DOWN, FEEDBACK_UP } from '../blocks/answer-message.js';
import { handleFeedback } from '../handle-feedback.js';
import type { SlackRuntime } from '../slack-runtime.js';

export function registerFeedbackListener(app: App, rt: SlackRuntime): void {
  for (const actionId of [FEEDBACK_UP, FEEDBACK_DOWN]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client }) => {
      await ack();
      const log = rt.logger.child({ action_id: actionId, user: body.user.id, channel: body.channel?.id });
      rt.tasks.run('record feedback', () =>
        handleFeedback(rt.answers, {
          client,
          logger: log,
          value: actionId === FEEDBACK_UP ? 'up' : 'down',
          answerIdText: action.value ?? '',
          userId: body.user.id,
          channel: body.channel?.id ?? body.container?.channel_id,
          threadTs: (body.message as { thread_ts?: string } | undefined)?.thread_ts,
        }),
      );
    });
  }
}
