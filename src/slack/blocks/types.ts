/**
 * Block Kit shapes come from `@slack/types` (Slack's own definitions, the ones the WebClient
 * checks against), so builders stay pure data and are passed to the Web API without casts.
 */
import type { KnownBlock } from '@slack/types';

export type { ActionsBlock, Button, ContextBlock, HomeView, KnownBlock, SectionBlock } from '@slack/types';

/** One chat message: `text` is the notification fallback, always set. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Limits from Slack's docs (see PLATFORM-FACTS); budgets stay below the hard ones. */
export const LIMITS = {
  sectionText: 3000,
  blocksPerMessage: 50,
  fallbackText: 40_000,
  /** Slack answers msg_blocks_too_long near ~13k characters in total; stay well under. */
  messageChars: 11_000,
  contextText: 2000,
  header: 150,
} as const;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
