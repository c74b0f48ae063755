/**
 * The composition root: the only place that decides which adapter implements which port.
 * CLI commands and tests build the same graph; tests swap base URLs, not modules.
 */
import fs from 'node:fs';
import type { Runtime } from './cli/runtime.js';
import { createOpenAIEmbedder } from './llm/openai-embedder.js';
import type { Embedder } from './llm/types.js';
import { buildAnswerQuestion } from './qa/build-answerer.js';
import type { AnswerQuestion } from './qa/types.js';
import { syncGithubRepository } from './repos/clone.js';
import type { Repository } from './repos/repository.js';
import { createCodeSearch } from './search/code-search.js';
import { withEmbeddings } from './search/hybrid-search.js';
import { limitConcurrency } from './qa/limit-concurrency.js';
import { searchInWorker } from './search/search-in-worker.js';
import type { CodeSearch, IndexProgress, IndexSummary } from './search/types.js';

export interface Services {
  readonly search: CodeSearch;
  /** Answers questions; a repository never indexed is indexed first (the asker sees why it waits). */
  readonly answerQuestion: AnswerQuestion;
  /** Clone/fetch and re-index one repository; concurrent calls for a repository share one run. */
  refresh(repo: Repository, opts?: { onProgress?: (p: IndexProgress) => void }): Promise<IndexSummary>;
  /** "model gpt-4.1-mini at https://…" or "extractive (no OPENAI_API_KEY)", for banners and logs. */
  readonly modeLabel: string;
}

export function buildServices(runtime: Pick<Runtime, 'config' | 'logger' | 'db'>): Services {
  const embedder = buildEmbedder(runtime.config, runtime.logger);
  const inProcess = createCodeSearch(runtime.db, runtime.logger.child({ component: 'search' }));
  // Searches off the event loop that acks Slack (issue 6 item 10); in-process for :memory:.
  const lexical = searchInWorker(inProcess, { dbFile: runtime.db.memory ? undefined : runtime.db.name, logger: runtime.logger.child({ component: 'search' }) });
  const search = embedder ? withEmbeddings(lexical, { db: runtime.db, embedder, logger: runtime.logger.child({ component: 'search' }) }) : lexical;
  const answer = buildAnswerQuestion(runtime.config, search, runtime.logger.child({ component: 'qa' }));
  const running = new Map<string, Promise<IndexSummary>>();
  const refresh: Services['refresh'] = (repo, opts) => {
    const inFlight = running.get(repo.id);
    if (inFlight) return inFlight;
    const run = refreshRepository({ search }, runtime, repo, opts).finally(() => running.delete(repo.id));
    running.set(repo.id, run);
    return run;
  };
  // A question that arrives while the first index is still being built would otherwise get
  // "I found no code": wait for that index instead, and say so.
  const answerQuestion: AnswerQuestion = limitConcurrency(async (question) => {
    if (!search.isIndexed(question.repo)) {
      question.onProgress?.(`Indexing ${question.repo.label} for the first time…`);
      await refresh(question.repo);
    }
    return answer(question);
  }, { max: runtime.config.llm.answerConcurrency });
  const { llm } = runtime.config;
  return {
    search,
    answerQuestion,
    refresh,
    modeLabel:
      (llm.apiKey ? `model ${llm.model} at ${new URL(llm.baseUrl).host}` : 'extractive answers (no OPENAI_API_KEY set)') +
      (embedder ? `, hybrid search with ${embedder.model}` : ''),
  };
}

/** The embeddings adapter when hybrid search is configured (model + key), else lexical search only. */
function buildEmbedder(config: Runtime['config'], logger: Runtime['logger']): Embedder | undefined {
  const { llm } = config;
  if (!llm.embeddingsModel || !llm.apiKey) return undefined;
  return createOpenAIEmbedder({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    model: llm.embeddingsModel,
    dimensions: llm.embeddingDimensions,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    logger,
  });
}

/**
 * Brings one repository up to date: a GitHub repository is cloned or fetched first (a failed
 * fetch keeps the existing clone, a little stale, rather than leaving the team without answers),
 * then the index re-reads only what changed.
 */
async function refreshRepository(
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
