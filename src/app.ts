/**
 * The composition root: the only place that decides which adapter implements which port.
 * CLI commands and tests build the same graph; tests swap base URLs, not modules.
 */
import fs from 'node:fs';
import type { Runtime } from './cli/runtime.js';
import type { ChatModel } from './llm/types.js';
import { buildAnswerQuestion } from './qa/build-answerer.js';
import type { AnswerQuestion } from './qa/types.js';
import { syncGithubRepository } from './repos/clone.js';
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
 * Brings one repository up to date: a GitHub repository is cloned or fetched first (a failed
 * fetch keeps the existing clone, a little stale, rather than leaving the team without answers),
 * then the index re-reads only what changed.
 */
export async function refreshRepository(
  services: Pick<Services, 'search'>,
  runtime: Pick<Runtime, 'config' | 'logger'>,
  repo: Repository,
  opts: { onProgress?: (p: IndexProgress) => void } = {},
): Promise<IndexSummary> {
  if (repo.github) {
    try {
      await syncGithubRepository(repo, { token: runtime.config.github.token, logger: runtime.logger });
    } catch (err) {
      if (!fs.existsSync(repo.root)) throw err;
      runtime.logger.warn({ repo: repo.id, err }, 'could not fetch; indexing the existing clone');
    }
  }
  return services.search.index(repo, opts);
}
