/**
 * The composition root: the only place that decides which adapter implements which port.
 * `createApp` builds the whole graph from config — chat model, embedder, code search, the Q&A use
 * case, GitHub (Octokit), the Slack app and the refresh schedule — and hands back start()/stop().
 * CLI commands and tests build the same graph; tests swap base URLs, not modules.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { Runtime } from './cli/runtime.js';
import type { Config } from './config/load-config.js';
import { createOpenAIChatModel } from './llm/openai-chat-model.js';
import { createOpenAIEmbedder } from './llm/openai-embedder.js';
import type { ChatModel, Embedder } from './llm/types.js';
import type { Logger } from './logging/logger.js';
import { createNpmRegistryClient } from './npm/registry-client.js';
import { createAnswerQuestion } from './qa/answer-question.js';
import { limitConcurrency } from './qa/limit-concurrency.js';
import type { AnswerQuestion } from './qa/types.js';
import { syncGithubRepository } from './repos/clone.js';
import { createCommandRunner } from './repos/run-command.js';
import { createScanGit } from './repos/scan-git.js';
import type { Repository } from './repos/repository.js';
import { listScanners } from './scanners/registry.js';
import type { ScanDeps } from './scanners/run-scan.js';
import { type ScheduledJob, scheduleRecurring } from './scheduler/schedule-refresh.js';
import { createCodeSearch } from './search/code-search.js';
import { withEmbeddings } from './search/hybrid-search.js';
import { searchInWorker } from './search/search-in-worker.js';
import type { CodeSearch, IndexProgress, IndexSummary } from './search/types.js';
import type { Clock } from './scheduler/types.js';
import type { TeamSchedules } from './team-schedules.js';
import type { SlackApp, SlackAppOptions } from './slack/slack-app.js';
import { buildSlackDecisionDeps } from './build-proposal-decisions.js';
import { createScanStateStore } from './storage/scan-state-store.js';
import type { Executor } from './executors/types.js';
import { resolveGitHubIdentity } from './repos/github-identity.js';
import { createProposalStore } from './storage/proposal-store.js';
import { createTaskQueueStore } from './storage/task-queue-store.js';
import type { ChangeTaskDeps } from './tasks/change-task.js';
import { createTaskSource } from './tasks/create-task-source.js';
import { createTaskWorkers, type TaskWorkers } from './tasks/create-task-workers.js';
import type { TaskQueueStore, TaskSource, TaskStatusReporter } from './tasks/types.js';

/** What the graph is built from: config, a logger, the migrated database and the repositories. */
export type AppRuntime = Pick<Runtime, 'config' | 'logger' | 'db' | 'repos'>;

/** The adapters built from config; the core only ever sees them through their ports. */
export interface Adapters {
  /** The OpenAI-compatible chat model, or undefined without OPENAI_API_KEY (extractive answers). */
  readonly model?: ChatModel;
  /** Embeddings for hybrid search, when OPENAI_EMBEDDINGS_MODEL and a key are set. */
  readonly embedder?: Embedder;
  /** The GitHub REST client, loaded on first use (Octokit costs start-up time most commands don't need). */
  github(): Promise<Octokit>;
}

export interface Services {
  readonly search: CodeSearch;
  /** Answers questions; a repository never indexed is indexed first (the asker sees why it waits). */
  readonly answerQuestion: AnswerQuestion;
  /** Clone/fetch and re-index one repository; concurrent calls for a repository share one run. */
  refresh(repo: Repository, opts?: { onProgress?: (p: IndexProgress) => void }): Promise<IndexSummary>;
  /** "model gpt-4.1-mini at https://…" or "extractive (no OPENAI_API_KEY)", for banners and logs. */
  readonly modeLabel: string;
  /**
   * Starts the search workers and has them warm their rank caches, so the first question after
   * start-up does not pay for its common words (the bot calls it once its indexes are up to date).
   */
  warmSearch(): Promise<void>;
}

export interface App {
  readonly adapters: Adapters;
  readonly services: Services;
  /**
   * Connects to Slack (Socket Mode or HTTP, from config), then brings every repository's index up
   * to date in the background and schedules the periodic refresh. Resolves once Slack deliveries
   * are acked; rejects when Slack refuses the connection.
   */
  start(): Promise<{ readonly slackPort?: number }>;
  /** Stops the schedule, disconnects from Slack after answers under way are delivered. Idempotent. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Slack transport tuning (timeouts, retries, bind host); tests shorten the waits. */
  readonly slack?: SlackAppOptions;
  /**
   * Refresh every repository right after connecting (default true). Tests that index a prepared
   * clone up front turn it off so no git fetch leaves the machine.
   */
  readonly refreshOnStart?: boolean;
  /** The proactive loop's clock and timers (tests move time by hand and call fireDue()). */
  readonly loop?: { readonly clock?: Clock; readonly armTimers?: boolean };
  /** How often idle task workers look for work (default 500 ms); tests lengthen it to see wake-ups. */
  readonly tasks?: { readonly pollMs?: number };
}

/** The whole graph from config. Nothing connects until start(). */
export function createApp(runtime: AppRuntime, options: AppOptions = {}): App {
  const adapters = buildAdapters(runtime.config, runtime.logger);
  const services = buildServices(runtime, adapters);
  const { config, logger } = runtime;
  let slack: SlackApp | undefined;
  let refreshJob: ScheduledJob | undefined;
  let tasks: TaskQueue | undefined;
  let schedules: TeamSchedules | undefined;
  let stopped = false;

  // Indexing runs after the listeners are up so Slack deliveries are acked from the first second.
  const refreshAll = async () => {
    for (const repo of runtime.repos) {
      if (stopped) return;
      await services.refresh(repo).then(
        (s) => logger.info({ repo: repo.label, files: s.files, reindexed: s.indexedFiles, removed: s.removedFiles, commit: s.commit }, 'index up to date'),
        (err: Error) => logger.error({ repo: repo.label, err }, 'indexing failed; answers for this repository will be incomplete'),
      );
    }
  };

  return {
    adapters,
    services,
    async start() {
      if (config.slack.mode === 'none') throw new Error('createApp().start() needs SLACK_BOT_TOKEN; without it run the console');
      // Loaded here, not at the top: Bolt costs ~0.3 s of start-up that search/index/ask don't need.
      const { createSlackApp } = await import('./slack/slack-app.js');
      // The proactive loop: scheduled scans and digests, and `/teammate scan|digest|status`.
      const [{ buildProactiveLoop }, { createSlackPostersFromConfig }] = await Promise.all([import('./proactive-loop.js'), import('./slack/slack-posters.js')]);
      const posters = createSlackPostersFromConfig(config.slack, runtime.repos, logger, options.slack);
      schedules = buildProactiveLoop(runtime, adapters, { posters, ...options.loop }).schedules;
      slack = createSlackApp({
        subcommands: schedules.subcommands,
        slack: config.slack,
        logger: logger.child({ component: 'slack' }),
        db: runtime.db,
        answerQuestion: services.answerQuestion,
        repos: runtime.repos,
        // An approval wakes the workers (built below, once Slack is up) instead of waiting for their poll.
        ...buildSlackDecisionDeps(runtime, () => buildScanDeps(runtime, adapters), () => tasks?.workers?.wake()),
        ...(adapters.model ? { requestModel: adapters.model } : {}),
        ...(options.slack ? { options: options.slack } : {}),
      });
      await slack.start();
      const { taskActionRegistrations } = await import('./slack/listeners/register-task-listeners.js');
      tasks = buildTaskQueue(runtime, adapters, { reporter: await buildTaskStatusReporter(runtime), ...options.tasks });
      for (const reg of taskActionRegistrations({ ...tasks.changeDeps, approvers: config.proposals.approvers })) slack.registerAction(reg);
      tasks.workers?.start();
      logger.info({ mode: config.slack.mode, port: slack.port, repos: runtime.repos.map((r) => r.label), answers: services.modeLabel }, 'Teammate is connected to Slack');
      // Then the search workers start and warm their caches, ahead of the first question.
      void ((options.refreshOnStart ?? true) ? refreshAll() : Promise.resolve())
        .then(() => (stopped ? undefined : services.warmSearch()))
        .catch((err: Error) => logger.warn({ err }, 'warming the search caches failed; the first questions are slower'));
      await schedules.start(); // back-fills a slot missed while down, now that cards can be posted
      if (config.refreshCron) refreshJob = scheduleRecurring('refresh-repositories', config.refreshCron, refreshAll, logger);
      return { ...(slack.port !== undefined ? { slackPort: slack.port } : {}) };
    },
    async stop() {
      stopped = true;
      await refreshJob?.stop();
      refreshJob = undefined;
      await tasks?.workers?.stop();
      tasks = undefined;
      await schedules?.stop();
      schedules = undefined;
      await slack?.stop().catch((err: Error) => logger.warn({ err }, 'error while disconnecting from Slack'));
      slack = undefined;
    },
  };
}

/** Every adapter from config: the model and embedder when a key is set, GitHub on first use. */
export function buildAdapters(config: Config, logger: Logger): Adapters {
  const model = buildChatModel(config, logger.child({ component: 'qa' }));
  const embedder = buildEmbedder(config, logger);
  let octokit: Promise<Octokit> | undefined;
  return {
    ...(model ? { model } : {}),
    ...(embedder ? { embedder } : {}),
    github: () => (octokit ??= import('./github/create-octokit.js').then(({ createOctokit }) => createOctokit(config.github))),
  };
}

/**
 * The use cases the commands need (search, refresh, answers) over the given adapters. CLI commands
 * that never connect to Slack (index, search, ask, console) call this directly.
 */
export function buildServices(runtime: Pick<AppRuntime, 'config' | 'logger' | 'db'>, adapters: Adapters = buildAdapters(runtime.config, runtime.logger)): Services {
  const { embedder, model } = adapters;
  const inProcess = createCodeSearch(runtime.db, runtime.logger.child({ component: 'search' }));
  // Searches off the event loop that acks Slack (issue 6 item 10); in-process for :memory:.
  const lexical = searchInWorker(inProcess, { dbFile: runtime.db.memory ? undefined : runtime.db.name, logger: runtime.logger.child({ component: 'search' }) });
  const search = embedder ? withEmbeddings(lexical, { db: runtime.db, embedder, logger: runtime.logger.child({ component: 'search' }) }) : lexical;
  const answer = createAnswerQuestion({
    search,
    ...(model ? { model } : {}),
    logger: runtime.logger.child({ component: 'qa' }),
    limits: { maxSteps: runtime.config.llm.maxSteps, maxTokens: runtime.config.llm.maxTokens },
  });
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
  const warmSearch = async () => {
    const reports = await lexical.warmUp();
    const terms = reports.reduce((n, r) => n + r.terms, 0);
    // No report: search runs in-process (a :memory: database), whose cache warms with its questions.
    runtime.logger.info({ workers: reports.length, terms, ms: Math.round(Math.max(0, ...reports.map((r) => r.ms))) }, 'search caches warmed');
  };
  return {
    search,
    answerQuestion,
    refresh,
    warmSearch,
    modeLabel:
      (llm.apiKey ? `model ${llm.model} at ${new URL(llm.baseUrl).host}` : 'extractive answers (no OPENAI_API_KEY set)') +
      (embedder ? `, hybrid search with ${embedder.model}` : ''),
  };
}

/** The scanners' ports over the adapters: git, GitHub (public repositories answer without a token), the model, npm. */
export async function buildScanDeps(
  runtime: Pick<AppRuntime, 'config' | 'logger' | 'db'>,
  adapters: Adapters = buildAdapters(runtime.config, runtime.logger),
): Promise<ScanDeps> {
  const { config, logger } = runtime;
  const { createGitHubScanClient } = await import('./github/actions-client.js');
  return {
    scanners: listScanners(),
    state: createScanStateStore(runtime.db),
    gitFor: (repo) => createScanGit(repo.root),
    logger: logger.child({ component: 'scan' }),
    github: createGitHubScanClient(await adapters.github()),
    ...(adapters.model ? { chatModel: adapters.model } : {}),
    npmRegistry: createNpmRegistryClient({ url: config.npmRegistry }),
    commands: createCommandRunner(),
  };
}

/** The configured model, or undefined when no API key is set (answers are then extractive). */
function buildChatModel(config: Config, logger: Logger): ChatModel | undefined {
  const { llm } = config;
  if (!llm.apiKey) return undefined;
  return createOpenAIChatModel({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    logger,
  });
}

/** The embeddings adapter when hybrid search is configured (model + key), else lexical search only. */
function buildEmbedder(config: Config, logger: Logger): Embedder | undefined {
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
  runtime: Pick<AppRuntime, 'config' | 'logger'>,
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

/** The durable queue as one process uses it: the store, what tasks are about, the workers (when any). */
export interface TaskQueue {
  readonly store: TaskQueueStore;
  readonly source: TaskSource;
  readonly executors: ReadonlyMap<string, Executor>;
  /** Undefined when this process runs no workers (TEAMMATE_WORKERS=0 in the bot). */
  readonly workers?: TaskWorkers;
  /** For Cancel / Retry (Slack buttons, CLI). */
  readonly changeDeps: ChangeTaskDeps;
}

/** Status messages in the cards' threads when a Slack bot token is configured. */
export async function buildTaskStatusReporter(runtime: AppRuntime): Promise<TaskStatusReporter | undefined> {
  const { createSlackTaskStatusReporter, createTaskStatusClient } = await import('./slack/task-status-reporter.js');
  const logger = runtime.logger.child({ component: 'tasks' });
  const client = createTaskStatusClient(runtime.config.slack, logger);
  return client ? createSlackTaskStatusReporter({ client, store: createTaskQueueStore(runtime.db), logger }) : undefined;
}

/**
 * The executors by name. Each is built on first use of its adapter (Octokit loads lazily); a
 * task naming an executor missing here fails at once with that reason.
 */
export function buildExecutors(config: Config, adapters: Adapters): Map<string, Executor> {
  const s = config.settings;
  const executors = new Map<string, Executor>();
  const lazy = (name: string, load: () => Promise<Executor>): Executor => {
    let loaded: Promise<Executor> | undefined;
    return { name, run: async (task, signal) => (await (loaded ??= load())).run(task, signal) };
  };
  executors.set('github-issue', lazy('github-issue', async () => (await import('./executors/github-issue.js')).createGitHubIssueExecutor({ github: adapters.github, labels: s.TEAMMATE_ISSUE_LABELS })));
  executors.set(
    'github-actions',
    lazy('github-actions', async () => (await import('./executors/github-actions.js')).createGitHubActionsExecutor({ github: adapters.github, workflow: s.TEAMMATE_ACTIONS_WORKFLOW, pollMs: s.TEAMMATE_ACTIONS_POLL_MS })),
  );
  // Loaded on first use: the Codex SDK is only needed when a codex task runs.
  executors.set('codex', lazy('codex', async () => (await import('./executors/codex.js')).codexExecutorFromConfig(config, await adapters.github())));
  return executors;
}

/**
 * The queue over this process's database: workers (TEAMMATE_WORKERS of them, or `concurrency`)
 * with the configured executors, the status reporter when Slack is connected.
 */
export function buildTaskQueue(
  runtime: AppRuntime,
  adapters: Adapters,
  opts: { readonly reporter?: TaskStatusReporter | undefined; readonly concurrency?: number; readonly executors?: ReadonlyMap<string, Executor>; readonly pollMs?: number } = {},
): TaskQueue {
  const { config, logger } = runtime;
  const s = config.settings;
  const store = createTaskQueueStore(runtime.db);
  const proposals = createProposalStore(runtime.db);
  const source = createTaskSource({
    proposals,
    findRepository: (repoId) =>
      runtime.repos.find((r) => r.id === repoId) ??
      // A task queued from the CLI for a local path this process was not configured with.
      (path.isAbsolute(repoId) && fs.existsSync(repoId) ? { id: repoId, root: repoId, label: path.basename(repoId) } : undefined),
    resolveGitHub: (repo) => resolveGitHubIdentity(repo, config.github.webUrl),
  });
  const executors = opts.executors ?? buildExecutors(config, adapters);
  const concurrency = opts.concurrency ?? s.TEAMMATE_WORKERS;
  const clock = { now: () => Date.now() };
  const workers =
    concurrency > 0
      ? createTaskWorkers({
          store,
          executors,
          source,
          ...(opts.reporter ? { reporter: opts.reporter } : {}),
          concurrency,
          owner: `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`,
          logger: logger.child({ component: 'tasks' }),
          clock,
          leaseMs: s.TEAMMATE_TASK_LEASE_MS,
          graceMs: s.TEAMMATE_WORKER_GRACE_MS,
          backoff: { baseMs: s.TEAMMATE_TASK_BACKOFF_MS, maxMs: 30 * 60_000 },
          ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
        })
      : undefined;
  return {
    store,
    source,
    executors,
    ...(workers ? { workers } : {}),
    changeDeps: { store, clock, source, ...(opts.reporter ? { reporter: opts.reporter } : {}), ...(workers ? { workers } : {}) },
  };
}
