import type { webApi } from '@slack/bolt';
import { buildErrorMessage } from './blocks/status-messages.js';
import { blocksOf } from './reply-sink.js';
import { answerClaimedQuestion, pendingQuestionFrom } from './claimed-question.js';
import { QUESTION_KEY_PREFIX } from './delivery-keys.js';
import type { SlackRuntime } from './slack-runtime.js';

export const RESTARTED_REASON = 'I was restarted while answering this, so I could not finish.';
export const RESTARTED_FIX = 'Please ask again.';

/**
 * Start-up recovery: questions whose answering process died (killed, crashed, redeployed) are
 * taken over. Recent ones are answered again in their placeholder; older ones get a short
 * "I was restarted, please ask again" in place of the stuck "Looking into it…", and the 👀 goes.
 */
export async function resumeInterruptedQuestions(
  rt: SlackRuntime,
  o: { client: webApi.WebClient; botUserId?: string; botId?: string; resumeWindowMs: number; now?: number },
): Promise<number> {
  const now = o.now ?? Date.now();
  const reclaimed = rt.claims.reclaimStale(QUESTION_KEY_PREFIX);
  for (const claim of reclaimed) {
    const q = pendingQuestionFrom(claim.payload);
    const log = rt.logger.child({ claim: claim.key, attempts: claim.attempts, channel: q?.channel, ts: q?.questionTs });
    if (!q) {
      log.warn('an interrupted question left nothing to resume from; dropping it');
      rt.claims.complete(claim.key, 'failed', 'nothing to resume from');
      continue;
    }
    if (now - claim.claimedAt <= o.resumeWindowMs) {
      log.info('resuming a question interrupted by a restart');
      rt.inFlight.run('resume question', () =>
        answerClaimedQuestion(rt, { status: 'stale-retry', key: claim.key, payload: claim.payload, attempts: claim.attempts }, q, {
          client: o.client,
          logger: log,
          botUserId: o.botUserId,
          botId: o.botId,
        }),
      );
      continue;
    }
    log.info('telling the thread an interrupted question needs asking again');
    rt.inFlight.run('apologise for a restart', async () => {
      const msg = buildErrorMessage(RESTARTED_REASON, RESTARTED_FIX);
      try {
        if (q.placeholderTs) await o.client.chat.update({ channel: q.channel, ts: q.placeholderTs, text: msg.text, blocks: blocksOf(msg) });
        else await o.client.chat.postMessage({ channel: q.channel, thread_ts: q.threadTs, text: msg.text, blocks: blocksOf(msg) });
        await o.client.reactions.remove({ channel: q.channel, timestamp: q.questionTs, name: 'eyes' }).catch((err: unknown) => log.debug({ err }, 'no 👀 to remove'));
        rt.claims.complete(claim.key, 'failed', 'restarted; asked to ask again');
      } catch (err) {
        rt.claims.complete(claim.key, 'failed', 'restarted; could not tell the thread');
        throw err;
      }
    });
  }
  return reclaimed.length;
}
