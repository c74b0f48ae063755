import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { scrubSecrets, scrubStrings } from '../logging/scrub.js';
import type { SlackMessage } from './blocks/types.js';
import { type RateLimitRetryOptions, callWithRateLimit } from './call-with-rate-limit.js';

/** Where an answer goes: a thread (placeholder updated in place) or an ephemeral response_url reply. */
export interface ReplySink {
  /** Posts the "Looking into it…" placeholder and returns its ts; throws when Slack refuses (e.g. not_in_channel). */
  start(placeholder: SlackMessage): Promise<string | undefined>;
  /** Replaces the placeholder's content with a progress line. */
  progress(placeholder: SlackMessage): Promise<void>;
  /** The final messages: the first replaces the placeholder, the rest follow. Returns their ts, in order (none when ephemeral). */
  finish(messages: readonly SlackMessage[]): Promise<string[]>;
}

/** A message's blocks as the Web API takes them, scrubbed: the last step before Slack, whoever built it. */
export const blocksOf = (m: SlackMessage) => scrubStrings(m.blocks);
const textOf = (m: SlackMessage) => scrubSecrets(m.text);

export interface ThreadReplyOptions {
  readonly client: webApi.WebClient;
  readonly channel: string;
  /** Thread to answer in; undefined posts top-level (then the answer's own thread holds the rest). */
  readonly threadTs?: string;
  readonly logger: Logger;
  readonly rateLimit?: Omit<RateLimitRetryOptions, 'logger'>;
  /** A placeholder posted earlier (slash commands post it before choosing the sink). */
  readonly placeholderTs?: string;
}

/**
 * A finished answer is worth waiting for: through a burst of 429s its delivery retries after each
 * Retry-After, up to this many times and this long in total, instead of giving the answer up.
 */
export const DELIVERY_PATIENCE = { retries: 20, maxWaitSec: 120, totalWaitSec: 10 * 60 } as const;

export function createThreadReply(o: ThreadReplyOptions): ReplySink {
  let placeholderTs = o.placeholderTs;
  let threadTs = o.threadTs;
  const call = <T>(what: string, fn: () => Promise<T>) => callWithRateLimit(what, fn, { logger: o.logger, ...o.rateLimit });
  const deliver = <T>(what: string, fn: () => Promise<T>) => callWithRateLimit(what, fn, { logger: o.logger, ...o.rateLimit, ...DELIVERY_PATIENCE });
  const post = async (m: SlackMessage, send = call) => {
    const res = await send('chat.postMessage', () =>
      o.client.chat.postMessage({ channel: o.channel, thread_ts: threadTs, text: textOf(m), blocks: blocksOf(m), unfurl_links: false }),
    );
    return res.ts;
  };
  return {
    async start(placeholder) {
      placeholderTs = await post(placeholder);
      threadTs ??= placeholderTs;
      return placeholderTs;
    },
    async progress(placeholder) {
      if (!placeholderTs) return;
      const ts = placeholderTs;
      await call('chat.update', () => o.client.chat.update({ channel: o.channel, ts, text: textOf(placeholder), blocks: blocksOf(placeholder) }));
    },
    async finish(messages) {
      const [first, ...rest] = messages;
      if (!first) return [];
      let firstTs: string | undefined;
      const stale = placeholderTs;
      if (stale) {
        try {
          await deliver('chat.update', () => o.client.chat.update({ channel: o.channel, ts: stale, text: textOf(first), blocks: blocksOf(first) }));
          firstTs = stale;
        } catch (err) {
          // The WebClient already retried; a fresh message beats leaving "Looking into it…" forever.
          o.logger.warn({ err }, 'updating the placeholder failed; posting the answer as a new message');
        }
      }
      firstTs ??= await post(first, deliver);
      threadTs ??= firstTs;
      if (stale && firstTs !== stale) {
        // The answer went out as a new message: the placeholder must not stay behind.
        await deliver('chat.delete', () => o.client.chat.delete({ channel: o.channel, ts: stale })).catch((err: unknown) =>
          o.logger.warn({ err }, 'could not delete the placeholder after posting the answer anew'),
        );
      }
      const all = [firstTs];
      for (const m of rest) all.push(await post(m, deliver));
      return all.filter((ts): ts is string => ts !== undefined);
    },
  };
}

/**
 * Replies through a slash command's response_url, visible only to the asker: for channels the bot
 * is not in. response_url allows 5 uses, so progress is not streamed and long answers are capped.
 */
export function createEphemeralReply(respond: RespondFn, logger: Logger): ReplySink {
  const MAX_USES = 5;
  let uses = 0;
  const send = async (m: SlackMessage, replace: boolean) => {
    if (uses >= MAX_USES) {
      logger.warn('response_url uses exhausted; dropping the rest of the answer');
      return;
    }
    uses++;
    await respond({ response_type: 'ephemeral', replace_original: replace, text: textOf(m), blocks: blocksOf(m) });
  };
  return {
    start: async (placeholder) => {
      await send(placeholder, false);
      return undefined;
    },
    progress: async () => undefined,
    async finish(messages) {
      for (const [i, m] of messages.entries()) await send(m, i === 0);
      return [];
    },
  };
}
