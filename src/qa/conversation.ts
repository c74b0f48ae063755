import type { ChatMessage } from '../llm/types.js';
import type { ConversationTurn } from './types.js';

export interface HistoryLimits {
  /** Most earlier turns kept (the latest ones). */
  readonly maxTurns: number;
  /** Most characters of history kept in total, newest first. */
  readonly maxChars: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxTurns: 12, maxChars: 12_000 };

/**
 * The Slack thread so far as prior chat turns, newest kept first when it has to be cut, so a
 * follow-up ("and where is it called?") has its context without a long thread eating the budget.
 */
export function historyMessages(history: readonly ConversationTurn[] | undefined, limits: HistoryLimits = DEFAULT_HISTORY_LIMITS): ChatMessage[] {
  if (!history || history.length === 0) return [];
  const kept: ChatMessage[] = [];
  let chars = 0;
  for (const turn of history.slice(-limits.maxTurns).reverse()) {
    let text = turn.text.trim();
    if (text === '') continue;
    const room = limits.maxChars - chars;
    if (room <= 0) break;
    if (text.length > room) text = `…${text.slice(text.length - room)}`;
    chars += text.length;
    kept.push(turn.role === 'assistant' ? { role: 'assistant', content: text } : { role: 'user', content: turn.author ? `${turn.author}: ${text}` : text });
  }
  return kept.reverse();
}
