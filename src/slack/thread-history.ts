import type { webApi } from '@slack/bolt';
import type { ConversationTurn } from '../qa/types.js';
import { PLACEHOLDER_TEXT } from './blocks/status-messages.js';
import { stripBotMention } from './strip-bot-mention.js';

export interface ThreadHistoryOptions {
  readonly channel: string;
  readonly threadTs: string;
  /** The message being answered: it is the question, not history. */
  readonly excludeTs: string;
  readonly botUserId?: string;
  readonly botId?: string;
  readonly maxMessages?: number;
  readonly maxChars?: number;
  /** Page limit: long threads are paged oldest-first, so the tail can be a few pages in. */
  readonly maxPages?: number;
}

interface RawMessage {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
}

const PER_MESSAGE_MAX = 4000;

/**
 * The thread so far as conversation turns, oldest first: bounded to the last `maxMessages`
 * (default 20) and `maxChars` (default 12k) so a long thread cannot blow the model's context;
 * the bot's own replies become `assistant` turns, its placeholders are dropped.
 */
export async function fetchThreadHistory(client: webApi.WebClient, o: ThreadHistoryOptions): Promise<ConversationTurn[]> {
  const maxMessages = o.maxMessages ?? 20;
  const maxChars = o.maxChars ?? 12_000;
  const raw: RawMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < (o.maxPages ?? 5); page++) {
    const res = await client.conversations.replies({ channel: o.channel, ts: o.threadTs, limit: 200, cursor });
    raw.push(...((res.messages ?? []) as RawMessage[]));
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }

  const turns: ConversationTurn[] = [];
  for (const m of raw) {
    if (!m.ts || m.ts === o.excludeTs) continue;
    const isBot = (o.botUserId !== undefined && m.user === o.botUserId) || (o.botId !== undefined && m.bot_id === o.botId);
    const text = stripBotMention(m.text ?? '', o.botUserId);
    if (text === '' || (isBot && text.startsWith(PLACEHOLDER_TEXT))) continue;
    if (m.subtype && m.subtype !== 'bot_message' && m.subtype !== 'thread_broadcast') continue;
    const clipped = text.length > PER_MESSAGE_MAX ? `${text.slice(0, PER_MESSAGE_MAX)}…` : text;
    turns.push(isBot ? { role: 'assistant', text: clipped } : { role: 'user', text: clipped, author: m.user ?? m.bot_id });
  }

  const recent = turns.slice(-maxMessages);
  let total = recent.reduce((n, t) => n + t.text.length, 0);
  while (recent.length > 0 && total > maxChars) total -= recent.shift()!.text.length;
  return recent;
}
