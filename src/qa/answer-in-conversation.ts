import { pickRepository } from './pick-repository.js';
import type { AnswerPlace, AnswerStore, ConversationStore } from './ports.js';
import type { Answer, AnswerQuestion, ConversationTurn, Question } from './types.js';
import type { Repository } from '../repos/repository.js';

export interface ConversationDeps {
  readonly answerQuestion: AnswerQuestion;
  readonly answers: AnswerStore;
  readonly conversations: ConversationStore;
  readonly repos: readonly Repository[];
}

export interface ConversationQuestion {
  /** As asked, surface markup (mentions) already removed. */
  readonly text: string;
  readonly place: AnswerPlace;
  /** The thread's repository from an earlier answer. */
  readonly preferredRepoId?: string;
  /** The channel's own repository (`/teammate repo`), after the thread's and before the first configured. */
  readonly channelRepoId?: string;
  /** The conversation so far; read only when there is a question to answer. */
  readonly history?: () => Promise<readonly ConversationTurn[]>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (status: string) => void;
}

export type ConversationOutcome =
  | { readonly kind: 'no-repository' }
  | { readonly kind: 'help'; readonly repoId: string }
  | { readonly kind: 'answered'; readonly answer: Answer; readonly answerId: number; readonly repo: Repository };

/**
 * The question-answering use case every surface calls: picks the repository (named in the
 * question, else the thread's, else the channel's, else the first), answers, records the answer and remembers the
 * thread so follow-ups keep its repository. Rendering and delivery stay with the caller.
 */
export async function answerInConversation(deps: ConversationDeps, q: ConversationQuestion): Promise<ConversationOutcome> {
  const picked = pickRepository(q.text, deps.repos, q.preferredRepoId, q.channelRepoId);
  if (!picked) return { kind: 'no-repository' };
  if (picked.text === '') return { kind: 'help', repoId: picked.repo.id };
  const history = q.history ? await q.history() : [];
  const { answer, answerId } = await answerAndRecord(deps, { repo: picked.repo, text: picked.text, history, signal: q.signal, onProgress: q.onProgress }, q.place);
  if (q.place.channel && q.place.threadTs) {
    deps.conversations.remember({ channel: q.place.channel, threadTs: q.place.threadTs, repoId: picked.repo.id, startedBy: q.place.userId });
  }
  return { kind: 'answered', answer, answerId, repo: picked.repo };
}

/**
 * Answers one question and records it (surface, place, repository, citations, mode): every
 * surface's answers end up in the same history, the console's too.
 */
export async function answerAndRecord(
  deps: Pick<ConversationDeps, 'answerQuestion' | 'answers'>,
  question: Question,
  place: AnswerPlace,
): Promise<{ answer: Answer; answerId: number }> {
  const answer = await deps.answerQuestion(question);
  // An answer that arrives after the caller gave up is not the one the asker was told about.
  question.signal?.throwIfAborted();
  const answerId = deps.answers.save({
    ...place,
    repoId: question.repo.id,
    question: question.text,
    answer: answer.text,
    citations: answer.citations,
    mode: answer.mode,
    note: answer.note,
  });
  return { answer, answerId };
}

/** Records that a question could not be answered (what the asker was told), so it shows in the history. */
export function recordFailedAnswer(
  deps: Pick<ConversationDeps, 'answers' | 'repos'>,
  f: { place: AnswerPlace; text: string; preferredRepoId?: string; channelRepoId?: string; told: string },
): number {
  const repoId = pickRepository(f.text, deps.repos, f.preferredRepoId, f.channelRepoId)?.repo.id ?? 'none';
  return deps.answers.save({ ...f.place, repoId, question: f.text, answer: f.told, citations: [], mode: 'error' });
}
