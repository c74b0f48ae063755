import type { Repository } from '../repos/repository.js';

export interface Citation {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  /** GitHub permalink pinned to the commit; absent for local repositories (no URL to give). */
  readonly url?: string;
}

/** One earlier message of the conversation (Slack thread), oldest first. */
export interface ConversationTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
  /** Slack display name or user id, when known. */
  readonly author?: string;
}

export interface Question {
  readonly repo: Repository;
  readonly text: string;
  readonly history?: readonly ConversationTurn[];
  readonly signal?: AbortSignal;
  /** Called as the answer progresses, e.g. "searching for `loadConfig`", for live status. */
  readonly onProgress?: (status: string) => void;
}

export interface Answer {
  /**
   * Neutral Markdown (each surface renders it: Slack converts to mrkdwn, the console to plain
   * text); citations inline as `[path:lines](permalink)`, or `` `path:lines` `` without a URL.
   */
  readonly text: string;
  readonly citations: readonly Citation[];
  /** `llm` when a model wrote it; `extractive` when it lists the best matches without a model. */
  readonly mode: 'llm' | 'extractive';
  /** Why the answer is degraded (no API key, model error), shown to the user. */
  readonly note?: string;
}

/** The use case both Slack and the console call. */
export interface AnswerQuestion {
  (question: Question): Promise<Answer>;
}
