/** The few Block Kit shapes Teammate sends, as plain data (builders stay pure and snapshot-testable). */
export interface TextObject {
  readonly type: 'mrkdwn' | 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly block_id?: string;
  readonly text: TextObject;
}

export interface ContextBlock {
  readonly type: 'context';
  readonly block_id?: string;
  readonly elements: readonly TextObject[];
}

export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: TextObject;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
}

export interface ActionsBlock {
  readonly type: 'actions';
  readonly block_id?: string;
  readonly elements: readonly ButtonElement[];
}

export interface HeaderBlock {
  readonly type: 'header';
  readonly text: TextObject;
}

export interface DividerBlock {
  readonly type: 'divider';
}

export type Block = SectionBlock | ContextBlock | ActionsBlock | HeaderBlock | DividerBlock;

/** One chat message: `text` is the notification fallback, always set. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
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
