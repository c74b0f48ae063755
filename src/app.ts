/**
 * The composition root: the only place that decides which adapter implements which port.
 * CLI commands and tests build the same graph; tests swap base URLs, not modules.
 */
import type { Runtime } from './cli/runtime.js';
import type { ChatModel } from './llm/types.js';
import { buildAnswerQuestion } from './qa/build-answerer.js';
import type { AnswerQuestion } from './qa/types.js';
import type { Repository } from './repos/repository.js';
import { createCodeSearch } from './search/code-search.js';
import type { CodeSearch, IndexProgress, IndexSummary } from './search/types.js';

export interface Services {
  readonly search: CodeSearch;
  readonly answerQuestion: AnswerQuestion;
  /** "model gpt-4.1-mini at https://…" or "extractive (no OPENAI_API_KEY)", for banners and logs. */
  readonly modeLabel: string;
  readonly model?: ChatModel;
}

export function buildServices(runtime: Pick<Runtime, 'config' | 'logger' | 'db'>): Services {
  const search = createCodeSearch(runtime.db, runtime.logger.child({ component: 'search' }));
  const answerQuestion = buildAnswerQuestion(runtime.config, search, runtime.logger.child({ component: 'qa' }));
  const { llm } = runtime.config;
  return {
    search,
    answerQuestion,
    modeLabel: llm.apiKey ? `model ${llm.model} at ${new URL(llm.baseUrl).host}` : 'extractive answers (no OPENAI_API_KEY set)',
  };
}

/**
 * Brings every repository's index up to date, one at a time (indexing is CPU- and disk-heavy).
 * Failures are reported per repository and do not stop the others.
 */
export async function refreshIndexes(
  search: CodeSearch,
  repos: readonly Repository[],
  hooks: { onProgress?: (repo: Repository, p: IndexProgress) => void; onDone?: (repo: Repository, s: IndexSummary) => void; onError?: (repo: Repository, err: Error) => void } = {},
): Promise<void> {
  for (const repo of repos) {
    try {
      const summary = await search.index(repo, { onProgress: (p) => hooks.onProgress?.(repo, p) });
      hooks.onDone?.(repo, summary);
    } catch (err) {
      hooks.onError?.(repo, err as Error);
    }
  }
}
