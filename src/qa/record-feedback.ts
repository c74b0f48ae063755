import type { AnswerStore } from './ports.js';

export interface FeedbackVote {
  readonly answerId: number;
  readonly userId: string;
  readonly value: 'up' | 'down';
}

/** Records a 👍/👎 (one per user and answer, latest wins); false when the answer is unknown. */
export function recordFeedback(answers: AnswerStore, vote: FeedbackVote): boolean {
  if (!answers.find(vote.answerId)) return false;
  answers.saveFeedback(vote);
  return true;
}
