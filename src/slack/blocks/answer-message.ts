import { markdownToMrkdwn } from '../slack-mrkdwn.js';
import { splitMrkdwn } from './split-mrkdwn.js';
import { type KnownBlock, LIMITS, type SlackMessage, truncate } from './types.js';

export interface AnswerMessageInput {
  /** The answer as the core returns it, Markdown; rendered to Slack mrkdwn here. */
  readonly text: string;
  readonly mode: 'llm' | 'extractive';
  readonly note?: string;
  /** Stored answer id: the feedback buttons carry it. */
  readonly answerId: number;
  /** A context line above the answer, e.g. "<@U1> asked: …" when the question is not in the thread. */
  readonly preface?: string;
  /** Overrides for tests; default to Slack's limits with a margin. */
  readonly limits?: { readonly sectionText?: number; readonly messageChars?: number; readonly blocksPerMessage?: number };
}

export const FEEDBACK_UP = 'answer_feedback_up';
export const FEEDBACK_DOWN = 'answer_feedback_down';

export function describeMode(mode: 'llm' | 'extractive', note?: string): string {
  const base = mode === 'llm' ? 'llm' : 'extractive';
  return note ? `${base}: ${note}` : mode === 'extractive' ? `${base}: best matching code, no model summary` : base;
}

function footerBlocks(input: AnswerMessageInput): KnownBlock[] {
  return [
    {
      type: 'context',
      block_id: 'answer_mode',
      elements: [{ type: 'mrkdwn', text: truncate(describeMode(input.mode, input.note), LIMITS.contextText) }],
    },
    {
      type: 'actions',
      block_id: 'answer_feedback',
      elements: [
        { type: 'button', action_id: FEEDBACK_UP, text: { type: 'plain_text', text: '👍 Helpful', emoji: true }, value: String(input.answerId) },
        { type: 'button', action_id: FEEDBACK_DOWN, text: { type: 'plain_text', text: '👎 Not helpful', emoji: true }, value: String(input.answerId) },
      ],
    },
  ];
}

/**
 * The answer as one or more messages: sections of at most 3,000 characters, at most 50 blocks and
 * about 11k characters per message (Slack rejects messages near 13k), the mode line and the
 * feedback buttons on the last message. The first message replaces the placeholder; the rest are
 * posted after it in the thread.
 */
export function buildAnswerMessages(input: AnswerMessageInput): SlackMessage[] {
  const sectionMax = input.limits?.sectionText ?? LIMITS.sectionText;
  const messageMax = input.limits?.messageChars ?? LIMITS.messageChars;
  const blocksMax = input.limits?.blocksPerMessage ?? LIMITS.blocksPerMessage;
  const footer = footerBlocks(input);
  const footerChars = describeMode(input.mode, input.note).length + 40;
  const prefaceChars = input.preface ? Math.min(input.preface.length, LIMITS.contextText) : 0;

  const chunks = splitMrkdwn(markdownToMrkdwn(input.text), sectionMax);
  if (chunks.length === 0) chunks.push('_(The answer came back empty.)_');

  const groups: string[][] = [[]];
  // The preface and footer each take one block; count them from the start.
  let chars = prefaceChars;
  const extraBlocks = footer.length + (input.preface ? 1 : 0);
  for (const chunk of chunks) {
    const group = groups[groups.length - 1]!;
    // Keep room for the footer in every message: we only know which one is last at the end.
    const fits = chars + chunk.length + footerChars <= messageMax && group.length + 1 + extraBlocks <= blocksMax;
    if (group.length > 0 && !fits) {
      groups.push([chunk]);
      chars = chunk.length;
    } else {
      group.push(chunk);
      chars += chunk.length;
    }
  }

  return groups.map((group, i) => {
    const blocks: KnownBlock[] = group.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
    if (i === 0 && input.preface) {
      blocks.unshift({ type: 'context', block_id: 'answer_preface', elements: [{ type: 'mrkdwn', text: truncate(input.preface, LIMITS.contextText) }] });
    }
    if (i === groups.length - 1) blocks.push(...footer);
    return { text: truncate(group.join('\n\n'), LIMITS.fallbackText), blocks };
  });
}
