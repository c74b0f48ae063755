/**
 * What the question-answering core needs from storage, as small interfaces: the SQLite
 * implementations live in storage/ (answer-store.ts, conversation-store.ts) and tests may pass
 * in-memory ones. Nothing here knows SQL, Slack or the `Db` type.
 */
import type { Citation } from './types.js';

export type AnswerSurface = 'slack' | 'console' | 'cli';

/** Where a question was asked; Slack fills the channel and thread, the console none. */
export interface AnswerPlace {
  readonly surface: AnswerSurface;
  readonly channel?: string;
  readonly threadTs?: string;
  /** The asking message; absent for slash commands and the console. */
  readonly questionTs?: string;
  readonly userId?: string;
}

export interface AnswerRecord extends AnswerPlace {
  readonly repoId: string;
  readonly question: string;
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly mode: 'llm' | 'extractive' | 'error';
  readonly note?: string;
}

/** Where an answer was posted: its first message, and the message that carries its feedback buttons. */
export interface AnswerPosting {
  readonly firstTs: string;
  readonly buttonsTs: string;
}

/** A stored answer as feedback sees it. */
export interface StoredAnswer {
  readonly id: number;
  readonly channel?: string;
  readonly userId?: string;
  readonly messageTs?: string;
  readonly buttonsTs?: string;
}

export interface AnswerStore {
  /** Stores an answer (one per asking message: a repeat replaces it) and returns its id. */
  save(a: AnswerRecord): number;
  markPosted(answerId: number, posting: AnswerPosting): void;
  find(answerId: number): StoredAnswer | undefined;
  /** One vote per user and answer, the latest wins. */
  saveFeedback(f: { answerId: number; userId: string; value: 'up' | 'down' }): void;
}

/** Threads Teammate takes part in: follow-ups there need no mention and keep the repository. */
export interface ConversationStore {
  find(channel: string, threadTs: string): { readonly repoId: string } | undefined;
  remember(c: { channel: string; threadTs: string; repoId: string; startedBy?: string }): void;
}
