import type { webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import type { Claim } from '../shared/idempotency.js';
import { handleQuestion } from './handle-question.js';
import { type ReplySink, createThreadReply } from './reply-sink.js';
import type { SlackRuntime } from './slack-runtime.js';

/**
 * What a claimed Slack question stores with its claim, so a process that takes it over after a
 * crash can finish it: the question itself and, once posted, the placeholder to replace.
 */
export interface PendingQuestion {
  readonly channel: string;
  readonly user?: string;
  readonly text: string;
  readonly questionTs: string;
  readonly threadTs: string;
  readonly withHistory: boolean;
  readonly preferredRepoId?: string;
  readonly placeholderTs?: string;
}

export function pendingQuestionFrom(payload: Readonly<Record<string, unknown>> | undefined): PendingQuestion | undefined {
  const p = payload ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const channel = str(p.channel);
  const questionTs = str(p.questionTs);
  const threadTs = str(p.threadTs);
  if (!channel || !questionTs || !threadTs || typeof p.text !== 'string') return undefined;
  return {
    channel,
    user: str(p.user),
    text: p.text,
    questionTs,
    threadTs,
    withHistory: p.withHistory === true,
    preferredRepoId: str(p.preferredRepoId),
    placeholderTs: str(p.placeholderTs),
  };
}

/** Remembers the placeholder's ts with the claim as soon as it is posted. */
function recordingPlaceholder(sink: ReplySink, record: (ts: string) => void): ReplySink {
  return {
    ...sink,
    async start(placeholder) {
      const ts = await sink.start(placeholder);
      if (ts) record(ts);
      return ts;
    },
  };
}

/**
 * Answers a question this process holds the claim for, then records the outcome: `done` once the
 * asker heard back (answer or explained failure), `failed` if even that could not be posted. A
 * placeholder left by an earlier, crashed attempt is reused instead of posting a second one.
 */
export async function answerClaimedQuestion(
  rt: SlackRuntime,
  claim: Claim,
  q: PendingQuestion,
  ctx: { client: webApi.WebClient; logger: Logger; botUserId?: string; botId?: string },
): Promise<void> {
  const reply = recordingPlaceholder(
    createThreadReply({ client: ctx.client, channel: q.channel, threadTs: q.threadTs, placeholderTs: q.placeholderTs, logger: ctx.logger, rateLimit: rt.question.rateLimit }),
    (placeholderTs) => rt.claims.record(claim.key, { placeholderTs }),
  );
  try {
    await handleQuestion(rt.question, {
      client: ctx.client,
      logger: ctx.logger,
      channel: q.channel,
      user: q.user,
      text: q.text,
      questionTs: q.questionTs,
      threadTs: q.threadTs,
      withHistory: q.withHistory,
      botUserId: ctx.botUserId,
      botId: ctx.botId,
      preferredRepoId: q.preferredRepoId,
      reply,
      started: q.placeholderTs !== undefined,
    });
    rt.claims.complete(claim.key, 'done');
  } catch (err) {
    rt.claims.complete(claim.key, 'failed', err instanceof Error ? err.message.slice(0, 500) : String(err));
    throw err;
  }
}
