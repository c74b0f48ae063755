import type { AnswerStore } from './ports.js';

export interface FeedbackVote {
  readonly answerId: number;
  readonly userId: string;
  readonly value: 'up' | 'down';
  /** Where the click came from, as the platform vouches for it (not the button's value). */
  readonly from: { readonly channel?: string; readonly messageTs?: string; readonly ephemeral: boolean };
}

export type FeedbackResult = 'recorded' | 'unknown-answer' | 'not-this-message';

/**
 * Records a 👍/👎 (one per user and answer, latest wins) — only when it comes from the message
 * that carries that answer's buttons: the answer id in a button's value is just text, and a vote
 * sent with another answer's id from another channel or message must not count. An ephemeral
 * answer has no message ts; only its asker, in its channel, can vote on it.
 */
export function recordFeedback(answers: AnswerStore, vote: FeedbackVote): FeedbackResult {
  const answer = answers.find(vote.answerId);
  if (!answer) return 'unknown-answer';
  const sameChannel = answer.channel !== undefined && answer.channel === vote.from.channel;
  const sameMessage = vote.from.ephemeral
    ? answer.buttonsTs === undefined && answer.userId === vote.userId
    : answer.buttonsTs !== undefined && answer.buttonsTs === vote.from.messageTs;
  if (!sameChannel || !sameMessage) return 'not-this-message';
  answers.saveFeedback({ answerId: vote.answerId, userId: vote.userId, value: vote.value });
  return 'recorded';
}
