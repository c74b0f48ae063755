/**
 * The executor contract: what runs one task (Codex in a worktree, a GitHub issue hand-off, a
 * GitHub Actions dispatch). The task queue (src/tasks/) claims a task, builds a TaskContext and
 * calls `run`; it never knows which vendor is behind an executor. Every executor is an adapter
 * (it may import Octokit, the Codex SDK, git) and lives in its own file under src/executors/.
 *
 * Rules every executor follows:
 * - A task may run more than once (a worker killed mid-task, a transient failure retried, a
 *   person's Retry): every side effect is keyed (`ctx.effects`) and looked for before it is
 *   made again, and Teammate's own output carries `taskMarker(ctx.taskId)`.
 * - Throw `ExecutorError` to say whether retrying can help; any other error counts as transient
 *   unless the queue can classify it (an HTTP status 401/403/404/422 is permanent).
 * - Honour `signal`: it aborts on Cancel and on shutdown past the grace period; stop soon after.
 * - Never put tokens into a child process's environment, a log line, an issue/PR body or a report.
 */
import type { Evidence, Severity } from '../scanners/finding.js';

/** The proposal being worked on, as approved (neutral Markdown, no vendor types). */
export interface TaskProposal {
  readonly id: number;
  /** One line, at most 150 characters. */
  readonly title: string;
  /** Why it matters (the write-up's `why`, else the finding's summary). */
  readonly why: string;
  /** The steps to take (the write-up's `plan`, else the finding's suggestedTask). */
  readonly plan: string;
  /** How to tell it is done (the write-up's `acceptance`; may be empty). */
  readonly acceptance: string;
  /** The finding's suggestedTask as the scanner wrote it (for a manual task: the request text). */
  readonly suggestedTask: string;
  readonly evidence: readonly Evidence[];
  /** `todo`, `dependencies`, `ci`, `issues`, `review`, or `manual` (queued from the CLI / a thread). */
  readonly scanner: string;
  readonly rule: string;
  readonly severity: Severity;
  /** The repository id the proposal belongs to (Repository.id). */
  readonly repoId: string;
  /** Who approved it (Slack user id, or the CLI user). */
  readonly approvedBy?: string;
  /** Who asked for it (change requests from a thread). */
  readonly requestedBy?: string;
  /** A link back to the Slack card, when there is one (for PR / issue bodies). */
  readonly cardUrl?: string;
  /** Extra context for an agent (a thread's history for a change request), plain text. */
  readonly context?: string;
}

/** The repository the task runs against. */
export interface TaskRepository {
  /** Repository.id: `owner/name` or an absolute path. */
  readonly id: string;
  /** The working tree on this machine (clone under the data dir, or the local path). */
  readonly root: string;
  /** Short name for people. */
  readonly label: string;
  /**
   * `owner/name` on GitHub: from TEAMMATE_REPOS, or for a local path parsed from its `origin`
   * remote (github.com or the GITHUB_WEB_URL host; https and ssh forms). Absent when neither.
   */
  readonly github?: { readonly owner: string; readonly name: string; readonly webUrl: string };
}

/** A progress update: the one status message in the card's thread shows `step` while running. */
export interface TaskProgress {
  /** Short, for people: "Running tests", "Opening the draft PR", "Waiting for the workflow run". */
  readonly step: string;
  /** A link worth showing already (the Actions run being followed, the pushed branch). */
  readonly url?: string;
}

/**
 * Side effects of one task, remembered across attempts (stored with the task, so they outlive
 * restarts and the idempotency table's pruning). Only one worker runs a task at a time (its
 * lease), so this needs no claim: look, then do, then remember.
 */
export interface TaskEffects {
  /** The idempotency key of one side effect of this task: `task:<id>:<effect>`. */
  key(effect: string): string;
  /** What an earlier attempt recorded for `effect` (`{ url, number }`, `{ branch }`, …). */
  recall(effect: string): Readonly<Record<string, unknown>> | undefined;
  /** Records `effect`'s output as soon as it exists, before anything else can fail. */
  remember(effect: string, value: Record<string, unknown>): void;
  /**
   * Makes `effect` at most once: returns what was recorded; else asks `find` (the platform, by
   * the hidden marker — covers a crash between making it and recording it); else runs `create`.
   * Whatever `find` or `create` returns is remembered.
   */
  once<T extends Record<string, unknown>>(effect: string, steps: { readonly find?: () => Promise<T | undefined>; readonly create: () => Promise<T> }): Promise<T>;
}

/** Logging for executors: structured, scrubbed of secrets by the logger behind it. */
export interface TaskLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface TaskContext {
  readonly taskId: number;
  /** 1 for the first run, then +1 per claim (retries, a lease taken over after a crash). */
  readonly attempt: number;
  readonly proposal: TaskProposal;
  readonly repository: TaskRepository;
  /** Updates the status message (throttled by the queue; never throws, never awaits Slack). */
  report(progress: TaskProgress): void;
  readonly effects: TaskEffects;
  readonly logger: TaskLogger;
}

export type ResultLinkKind = 'pr' | 'issue' | 'run' | 'branch' | 'other';

export interface ResultLink {
  readonly kind: ResultLinkKind;
  readonly url: string;
  /** For people: "Draft PR #12", "Issue #7", "Run 123456". */
  readonly label?: string;
}

/** Tests run for the change (codex runs them itself; github-actions reports the run's). */
export interface TestSummary {
  /** The command, e.g. `npm test`. */
  readonly command?: string;
  readonly passed?: number;
  readonly failed?: number;
  /** Whether the test run as a whole passed. */
  readonly ok: boolean;
  /** A short log excerpt (with line references where there are any). */
  readonly excerpt?: string;
}

export interface ExecutorResult {
  /** What the task produced, most important first (the PR before its branch). */
  readonly links: readonly ResultLink[];
  /** One or two sentences for the status message. */
  readonly summary: string;
  readonly tests?: TestSummary;
  /** Files changed (`git diff --stat`), when the executor changed code. */
  readonly filesChanged?: number;
}

export interface Executor {
  /** `codex`, `github-issue`, `github-actions`: the value of TEAMMATE_EXECUTOR and tasks.executor. */
  readonly name: string;
  run(task: TaskContext, signal: AbortSignal): Promise<ExecutorResult>;
}

/**
 * An executor's failure, classified: `permanent` failures (401, 403, 404, 422, a missing package
 * or configuration, a repository without GitHub) fail the task at once; transient ones (5xx, 429,
 * network) are retried with backoff until the task's attempts run out.
 */
export class ExecutorError extends Error {
  override name = 'ExecutorError';
  readonly permanent: boolean;
  /** The platform asked us to wait this long (Retry-After) before trying again. */
  readonly retryAfterMs?: number;

  constructor(message: string, opts: { permanent: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.permanent = opts.permanent;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

/** The hidden marker in every issue / PR body Teammate writes for a task: finds its own output again. */
export function taskMarker(taskId: number): string {
  return `<!-- teammate:task:${taskId} -->`;
}
