import type { webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { type ConversationDeps, answerInConversation, recordFailedAnswer } from '../qa/answer-in-conversation.js';
import type { AnswerPlace } from '../qa/ports.js';
import type { ChannelRepositoryStore } from '../repos/channel-repository.js';
import { buildAnswerMessages } from './blocks/answer-message.js';
import { buildErrorMessage, buildHelpMessage, buildPlaceholderMessage } from './blocks/status-messages.js';
import type { SlackMessage } from './blocks/types.js';
import { type RateLimitRetryOptions, callWithRateLimit } from './call-with-rate-limit.js';
import { explainFailure } from './explain-failure.js';
import { createProgressReporter } from './progress-reporter.js';
import type { ReplySink } from './reply-sink.js';
import { stripBotMention } from './strip-bot-mention.js';
import { fetchThreadHistory } from './thread-history.js';

/** The question use case's ports (answering, answer and thread stores) plus transport settings. */
export interface QuestionDeps extends ConversationDeps {
  /** Minimum time between two progress updates of the placeholder. */
  readonly progressIntervalMs: number;
  readonly rateLimit?: Omit<RateLimitRetryOptions, 'logger'>;
  /** An answer taking longer is abandoned (its signal aborted) and the asker told so. */
  readonly answerTimeoutMs?: number;
  /** The channel's own repository (`/teammate repo`), ahead of the first configured one. */
  readonly channelRepos?: Pick<ChannelRepositoryStore, 'get'>;
}

export interface IncomingQuestion {
  readonly client: webApi.WebClient;
  /** A child logger for this event. */
  readonly logger: Logger;
  readonly channel: string;
  readonly user?: string;
  /** As typed, mentions included. */
  readonly text: string;
  /** The asking message (reaction target, answers.question_ts); absent for slash commands. */
  readonly questionTs?: string;
  /** The thread the conversation lives in. */
  readonly threadTs: string;
  /** Read the thread so far (the question is a follow-up). */
  readonly withHistory: boolean;
  readonly botUserId?: string;
  readonly botId?: string;
  /** The thread's repository, from an earlier answer. */
  readonly preferredRepoId?: string;
  /** Shown above the answer, e.g. "<@U1> asked: …" for slash commands. */
  readonly preface?: string;
  /** Where the answer goes; `start()` is called here unless `started`. */
  readonly reply: ReplySink;
  readonly started?: boolean;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 5 * 60_000;

/** Runs the use case with an abort signal, and stops waiting for it once `ms` have passed. */
async function answerWithin<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const limit = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
      const err = new Error(`it took longer than ${limit}; try a narrower question`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

class StageError extends Error {
  constructor(
    readonly stage: 'history' | 'post',
    override readonly cause: unknown,
  ) {
    super(`${stage} failed`);
  }
}

/**
 * Answers one Slack question: 👀 on the question, a placeholder reply updated with progress, the
 * thread history for follow-ups, the answer stored and delivered in place of the placeholder. Any
 * failure becomes a short reply saying why and what to do — the asker always hears back.
 */
export async function handleQuestion(deps: QuestionDeps, q: IncomingQuestion): Promise<void> {
  const log = q.logger;
  const call = <T>(what: string, fn: () => Promise<T>) => callWithRateLimit(what, fn, { logger: log, ...deps.rateLimit });
  const reactTo = q.questionTs;
  if (reactTo) {
    await call('reactions.add', () => q.client.reactions.add({ channel: q.channel, timestamp: reactTo, name: 'eyes' })).catch((err: unknown) =>
      log.warn({ err }, 'could not add the 👀 reaction'),
    );
  }
  if (!q.started) {
    await q.reply.start(buildPlaceholderMessage()).catch((err: unknown) => log.warn({ err }, 'could not post the placeholder'));
  }
  const progress = createProgressReporter(
    (status) => q.reply.progress(buildPlaceholderMessage(status)).catch((err: unknown) => log.debug({ err }, 'progress update failed')),
    deps.progressIntervalMs,
  );
  const deliver = async (messages: readonly SlackMessage[]) => {
    await progress.stop();
    return q.reply.finish(messages);
  };

  const text = stripBotMention(q.text, q.botUserId);
  const place: AnswerPlace = { surface: 'slack', channel: q.channel, threadTs: q.threadTs, questionTs: q.questionTs, userId: q.user };
  const channelRepoId = deps.channelRepos?.get(q.channel)?.repoId;
  try {
    const loadHistory = async () => {
      try {
        return await call('conversations.replies', () =>
          fetchThreadHistory(q.client, { channel: q.channel, threadTs: q.threadTs, excludeTs: q.questionTs ?? '', botUserId: q.botUserId, botId: q.botId }),
        );
      } catch (err) {
        throw new StageError('history', err);
      }
    };
    log.info({ withHistory: q.withHistory }, 'answering a question');
    const outcome = await answerWithin(deps.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS, (signal) =>
      answerInConversation(deps, {
        text,
        place,
        preferredRepoId: q.preferredRepoId,
        channelRepoId,
        history: q.withHistory ? loadHistory : undefined,
        signal,
        onProgress: (s) => progress.report(s),
      }),
    );
    if (outcome.kind === 'no-repository') {
      await deliver([buildErrorMessage('No repository is configured, so I have nothing to search.', 'Set TEAMMATE_REPOS and restart Teammate.')]);
      return;
    }
    if (outcome.kind === 'help') {
      await deliver([buildHelpMessage(deps.repos.map((r) => r.label))]);
      return;
    }
    const { answer, answerId } = outcome;
    const messages = buildAnswerMessages({ text: answer.text, mode: answer.mode, note: answer.note, answerId, preface: q.preface });
    // The answer is stored; a delivery that fails even after waiting out rate limits is a posting failure, not a wrong answer.
    const posted = await deliver(messages).catch((err: unknown) => {
      throw new StageError('post', err);
    });
    const [firstTs] = posted;
    if (firstTs) deps.answers.markPosted(answerId, { firstTs, buttonsTs: posted.at(-1)! });
    log.info({ answerId, repo: outcome.repo.id, messages: messages.length, mode: answer.mode }, 'answer delivered');
  } catch (err) {
    const { reason, fix } = err instanceof StageError ? explainFailure(err.stage, err.cause) : explainFailure('answer', err);
    log.error({ err: err instanceof StageError ? err.cause : err }, reason);
    try {
      if (!(err instanceof StageError && err.stage === 'post')) recordFailedAnswer(deps, { place, text, preferredRepoId: q.preferredRepoId, channelRepoId, told: `${reason} ${fix}` });
    } catch (storeErr) {
      log.warn({ err: storeErr }, 'could not store the failed answer');
    }
    await deliver([buildErrorMessage(reason, fix)]).catch((postErr: unknown) => log.error({ err: postErr }, 'could not post the error reply either'));
  } finally {
    await progress.stop();
    if (reactTo) {
      await call('reactions.remove', () => q.client.reactions.remove({ channel: q.channel, timestamp: reactTo, name: 'eyes' })).catch((err: unknown) =>
        log.debug({ err }, 'could not remove the 👀 reaction'),
      );
    }
  }
}
