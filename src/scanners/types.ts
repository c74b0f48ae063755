/**
 * The scanner contract and the ports a scanner may use. Core: no vendor SDK, no database type;
 * adapters (git, Octokit, npm, SQLite, the model) implement these interfaces elsewhere.
 */
import type { ChatModel } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { Finding } from './finding.js';
import type { RepoSettings } from './repo-settings.js';

export interface Scanner {
  /** Stable id used in settings, state rows and findings: `todo`, `dependencies`, `ci`, … */
  readonly name: string;
  /** One line for `--help`, the settings modal and doctor. */
  readonly description: string;
  /** Findings, most important first. Throw ScanSkipped when the scanner cannot run here (no model, no GitHub). */
  scan(repo: Repository, ctx: ScanContext): Promise<Finding[]>;
  /**
   * Does the finding still hold at the repository's current HEAD (or the platform's current
   * state)? Asked before an approval queues work, to mark a card stale instead.
   */
  recheck?(finding: Finding, repo: Repository, ctx: ScanContext): Promise<boolean>;
}

/** Thrown by a scanner that cannot run in this context; reported as skipped with the reason, never as a failure. */
export class ScanSkipped extends Error {
  override name = 'ScanSkipped';
}

export interface Clock {
  now(): Date;
}

/**
 * The scanner's own persisted state for one repository, as the runner loaded it. Writes are
 * buffered and saved only when the scan succeeds, so a scan that throws half-way keeps the
 * previous cache intact.
 */
export interface ScannerStateHandle {
  /** The HEAD commit of the last successful scan. */
  readonly lastCommit: string | undefined;
  /** What the scanner saved last time (JSON), or undefined. */
  readonly data: unknown;
  /** Replaces the saved data on success. */
  setData(data: unknown): void;
}

/** Read-only git access to the repository at HEAD (adapter: src/repos/scan-git.ts). */
export interface RepoGit {
  /** HEAD's commit, or undefined for an empty repository. */
  head(): Promise<string | undefined>;
  /** Regular files in HEAD's tree with their blob ids and sizes. */
  listFiles(): Promise<TreeFile[]>;
  /**
   * Files that differ between `since` and HEAD: `blob` is the id at HEAD, undefined when the file
   * was deleted or is no longer a regular file.
   */
  changedFiles(since: string): Promise<{ readonly path: string; readonly blob?: string }[]>;
  /** Contents of blobs by id (one batch process); missing ids are absent from the map. */
  readBlobs(blobs: readonly string[]): Promise<Map<string, Buffer>>;
  /** A file at a commit (default HEAD), or undefined when it does not exist there. */
  readFile(path: string, commit?: string): Promise<string | undefined>;
  /** Paths (among `candidates`, or all of HEAD when omitted) whose content matches the extended regex. */
  grepFiles(pattern: string, candidates?: readonly string[]): Promise<string[]>;
  /** Who last changed each of `lines` (1-based) of `path` at HEAD. */
  blame(path: string, lines: readonly number[]): Promise<Map<number, BlameLine>>;
  /** Commits reachable from HEAD and not from `since` (newest first), at most `limit`. */
  commitsSince(since: string | undefined, limit: number): Promise<CommitInfo[]>;
  /** The unified diff a commit introduced (against its first parent). */
  commitDiff(commit: string): Promise<string>;
  /** Whether `commit` exists in the repository (a rewritten history drops it). */
  hasCommit(commit: string): Promise<boolean>;
}

export interface TreeFile {
  readonly path: string;
  readonly blob: string;
  readonly size: number;
}

export interface BlameLine {
  readonly commit: string;
  readonly author: string;
  /** Author time. */
  readonly authoredAt: Date;
}

export interface CommitInfo {
  readonly sha: string;
  readonly author: string;
  readonly authoredAt: Date;
  readonly subject: string;
}

/** The slice of GitHub the ci and issues scanners need (adapter: src/github/actions-client.ts). */
export interface GitHubScanPort {
  defaultBranch(repo: GitHubRepoRef): Promise<string>;
  /** Completed workflow runs on `branch`, newest first. */
  listWorkflowRuns(repo: GitHubRepoRef, opts: { branch: string; limit: number }): Promise<WorkflowRun[]>;
  listRunJobs(repo: GitHubRepoRef, runId: number): Promise<WorkflowJob[]>;
  /** The plain-text log of one job (may be large; callers excerpt it). */
  jobLog(repo: GitHubRepoRef, jobId: number): Promise<string>;
  /** Open issues (never pull requests) carrying `label`. */
  listOpenIssues(repo: GitHubRepoRef, opts: { label: string; limit: number }): Promise<IssueInfo[]>;
  /** An issue's state, assignees and whether an open or merged pull request references it. */
  issueStatus(repo: GitHubRepoRef, issueNumber: number): Promise<IssueStatus>;
}

export interface GitHubRepoRef {
  readonly owner: string;
  readonly name: string;
}

export interface WorkflowRun {
  readonly id: number;
  readonly workflowId: number;
  readonly workflowName: string;
  /** `.github/workflows/ci.yml` when GitHub says it. */
  readonly workflowPath?: string;
  readonly conclusion: string | null;
  readonly headSha: string;
  readonly htmlUrl: string;
  readonly createdAt: string;
}

export interface WorkflowJob {
  readonly id: number;
  readonly name: string;
  readonly conclusion: string | null;
  readonly htmlUrl: string;
  /** Names of the steps that failed. */
  readonly failedSteps: readonly string[];
}

export interface IssueInfo {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly assignees: readonly string[];
  readonly createdAt: string;
  readonly htmlUrl: string;
  readonly author: string;
}

export interface IssueStatus {
  readonly open: boolean;
  readonly assignees: readonly string[];
  readonly linkedPullRequests: readonly number[];
}

/** npm registry metadata (adapter: src/npm/registry-client.ts). */
export interface NpmRegistry {
  /** `dist-tags` and published versions of a package; undefined when the registry does not know it. */
  packageInfo(name: string, signal?: AbortSignal): Promise<NpmPackageInfo | undefined>;
  /** The registry base URL (for `npm audit --registry`). */
  readonly url: string;
}

export interface NpmPackageInfo {
  readonly name: string;
  readonly distTags: Readonly<Record<string, string>>;
  readonly versions: readonly string[];
}

/** Runs a program without a shell (adapter: src/repos/run-command.ts). */
export interface CommandRunner {
  run(command: string, args: readonly string[], opts: { cwd: string; timeoutMs: number; env?: Record<string, string>; signal?: AbortSignal }): Promise<CommandResult>;
}

export interface CommandResult {
  /** Exit code; null when killed (timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived (a test log reads in that order). */
  readonly output: string;
  readonly timedOut: boolean;
}

export interface ScanContext {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** `.teammate.yml` of the repository, defaults filled in. */
  readonly settings: RepoSettings;
  readonly state: ScannerStateHandle;
  readonly git: RepoGit;
  readonly github?: GitHubScanPort;
  readonly chatModel?: ChatModel;
  readonly npmRegistry?: NpmRegistry;
  readonly commands?: CommandRunner;
}
