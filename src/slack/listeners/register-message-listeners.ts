import type { App, Context, webApi } from '@slack/bolt';
import { type MessageEventLike, classifyMessage } from '../classify-message.js';
import { type PendingQuestion, answerClaimedQuestion } from '../claimed-question.js';
import { buildErrorMessage } from '../blocks/status-messages.js';
import { deliveryKeys } from '../delivery-keys.js';
import { detectChangeRequest, postChangeRequestCard } from '../handle-change-request.js';
import type { SlackRuntime } from '../slack-runtime.js';

/**
 * `app_mention` and `message.*` share one path: Bolt has already acked the event; we classify it,
 * claim it (so retries and the mention/message twin answer once) and hand off without awaiting.
 */
export function registerMessageListeners(app: App, rt: SlackRuntime): void {
  const onMessage = (event: MessageEventLike, eventId: string | undefined, context: Context, client: webApi.WebClient) => {
    const log = rt.logger.child({ event_id: eventId, event_type: event.type, channel: event.channel, ts: event.ts, user: event.user, retry_num: context.retryNum });
    const decision = classifyMessage(event, {
      botUserId: context.botUserId,
      findConversation: (channel, threadTs) => rt.conversations.find(channel, threadTs),
    });
    if (decision.kind === 'ignore') {
      log.trace({ why: decision.why }, 'message ignored');
      return;
    }
    const question: PendingQuestion = {
      channel: event.channel,
      user: event.user,
      text: event.text ?? '',
      questionTs: event.ts,
      threadTs: decision.threadTs,
      withHistory: decision.withHistory,
      preferredRepoId: decision.preferredRepoId,
    };
    const claim = rt.claims.claim(deliveryKeys(eventId, event.channel, event.ts), { payload: { ...question } });
    if (claim.status === 'duplicate') {
      log.debug('duplicate delivery (retry or mention twin); already handled or under way');
      return;
    }
    // A crashed attempt may have posted a placeholder already: answer in it.
    const placeholderTs = claim.status === 'stale-retry' && typeof claim.payload?.placeholderTs === 'string' ? claim.payload.placeholderTs : undefined;
    if (claim.status === 'stale-retry') log.info({ attempts: claim.attempts }, 'answering a question whose earlier attempt never finished');
    rt.inFlight.run('answer question', async () => {
      // A change request gets a proposal card instead of an answer. An attempt that already posted
      // a placeholder was answering, so it keeps answering.
      const requests = rt.changeRequests;
      if (requests && event.user && placeholderTs === undefined) {
        const request = await detectChangeRequest(requests, question.text, context.botUserId);
        if (request) {
          const user = event.user;
          log.info('change request: posting a proposal card');
          try {
            await postChangeRequestCard(requests, {
              client, logger: log, text: request, user, channel: event.channel, messageTs: event.ts, threadTs: decision.threadTs,
              withHistory: true, preferredRepoId: decision.preferredRepoId, botUserId: context.botUserId, botId: context.botId,
            });
            rt.claims.complete(claim.key, 'done');
          } catch (err) {
            log.error({ err }, 'could not post the change request card');
            const told = await client.chat
              .postMessage({ channel: event.channel, thread_ts: decision.threadTs, ...buildErrorMessage(`I could not turn this into a proposal: ${(err as Error).message}`, 'Try again in a moment.') })
              .then(() => true, () => false);
            rt.claims.complete(claim.key, told ? 'done' : 'failed', (err as Error).message.slice(0, 500));
          }
          return;
        }
      }
      await answerClaimedQuestion(rt, claim, { ...question, placeholderTs }, { client, logger: log, botUserId: context.botUserId, botId: context.botId });
    });
  };

  app.event('app_mention', async ({ event, body, context, client }) => {
    onMessage(event as unknown as MessageEventLike, body.event_id, context, client);
  });
  app.event('message', async ({ event, body, context, client }) => {
    onMessage(event as unknown as MessageEventLike, body.event_id, context, client);
  });
}
