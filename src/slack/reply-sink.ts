import type { RespondFn, types, webApi } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import type { Logger } from '../logging/logger.js';
import { scrubSecrets, scrubStrings } from '../logging/scrub.js';
import type { SlackMessage } from './blocks/types.js';
import { type RateLimitRetryOptions, callWithRateLimit } from './call-with-rate-limit.js';

/** Where an answer goes: a thread (placeholder updated in place) or an ephemeral response_url reply. */
export interface ReplySink {
  /** Posts the "Looking into it…" placeholder; throws when Slack refuses (e.g. not_in_channel). */
  start(placeholder: SlackMessage): Promise<void>;
  /** Replaces the placeholder's content with a progress line. */
  progress(placeholder: SlackMessage): Promise<void>;
  /** The final messages: the first replaces the placeholder, the rest follow. Returns the first's ts. */
  finish(messages: readonly SlackMessage[]): Promise<string | undefined>;
}

const blocksOf = (m: SlackMessage) => scrubStrings(m.blocks) as unknown as KnownBlock[];
/** Whatever reaches a channel is scrubbed here, the last step before Slack, whoever built it. */
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

export function createThreadReply(o: ThreadReplyOptions): ReplySink {
  let placeholderTs = o.placeholderTs;
  let threadTs = o.threadTs;
  const call = <T>(what: string, fn: () => Promise<T>) => callWithRateLimit(what, fn, { logger: o.logger, ...o.rateLimit });
  const post = async (m: SlackMessage) => {
    const res = await call('chat.postMessage', () =>
      o.client.chat.postMessage({ channel: o.channel, thread_ts: threadTs, text: textOf(m), blocks: blocksOf(m), unfurl_links: false }),
    );
    return res.ts;
  };
  return {
    async start(placeholder) {
      placeholderTs = await post(placeholder);
      threadTs ??= placeholderTs;
    },
    async progress(placeholder) {
      if (!placeholderTs) return;
      const ts = placeholderTs;
      await call('chat.update', () => o.client.chat.update({ channel: o.channel, ts, text: textOf(placeholder), blocks: blocksOf(placeholder) }));
    },
    async finish(messages) {
      const [first, ...rest] = messages;
      if (!first) return undefined;
      let firstTs: string | undefined;
      if (placeholderTs) {
        const ts = placeholderTs;
        try {
          await call('chat.update', () => o.client.chat.update({ channel: o.channel, ts, text: textOf(first), blocks: blocksOf(first) }));
          firstTs = ts;
        } catch (err) {
          // The WebClient already retried; a fresh message beats leaving "Looking into it…" forever.
          o.logger.warn({ err }, 'updating the placeholder failed; posting the answer as a new message');
        }
      }
      firstTs ??= await post(first);
      threadTs ??= firstTs;
      for (const m of rest) await post(m);
      return firstTs;
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
    start: (placeholder) => send(placeholder, false),
    progress: async () => undefined,
    async finish(messages) {
      for (const [i, m] of messages.entries()) await send(m, i === 0);
      return undefined;
    },
  };
}
