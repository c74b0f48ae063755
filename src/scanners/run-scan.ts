/**
 * runScan: every enabled, unpaused scanner over one repository, each isolated from the others (one
 * failing scanner never hides another's findings). Failures count towards a pause; state is saved
 * only for scans that succeeded.
 */
import type { ChatModel } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import { scrubSecrets } from '../logging/scrub.js';
import type { Repository } from '../repos/repository.js';
import type { Finding } from './finding.js';
import { DEFAULT_REPO_SETTINGS, isScannerEnabled, loadRepoSettings, type RepoSettings } from './repo-settings.js';
import { PAUSE_AFTER_FAILURES, type ScanStateStore } from './scan-state.js';
import { type Clock, type CommandRunner, type GitHubScanPort, type NpmRegistry, type RepoGit, type Scanner, type ScanContext, ScanSkipped } from './types.js';

export interface ScanDeps {
  readonly scanners: readonly Scanner[];
  readonly state: ScanStateStore;
  /** The git port for a repository's working tree. */
  readonly gitFor: (repo: Repository) => RepoGit;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly github?: GitHubScanPort;
  readonly chatModel?: ChatModel;
  readonly npmRegistry?: NpmRegistry;
  readonly commands?: CommandRunner;
}

export type ScannerStatus = 'ok' | 'skipped' | 'off' | 'paused' | 'failed';

export interface ScannerOutcome {
  readonly scanner: string;
  readonly status: ScannerStatus;
  readonly findings: number;
  /** Why it was skipped, off, paused or failed. */
  readonly reason?: string;
  readonly durationMs: number;
}

export interface ScanReport {
  readonly repo: string;
  readonly commit?: string;
  /** Grouped by scanner in registry order, each scanner's own order (most important first) kept. */
  readonly findings: Finding[];
  readonly outcomes: ScannerOutcome[];
  readonly settings: RepoSettings;
}

export interface RunScanOptions {
  /** Run only these scanners (still subject to `.teammate.yml` and pauses). */
  readonly only?: readonly string[];
  /** Scanners switched off outside `.teammate.yml` (the Slack settings modal). */
  readonly off?: readonly string[];
  readonly signal?: AbortSignal;
}

const systemClock: Clock = { now: () => new Date() };

export async function runScan(repo: Repository, deps: ScanDeps, opts: RunScanOptions = {}): Promise<ScanReport> {
  const settings = await loadRepoSettings(repo.root);
  const git = deps.gitFor(repo);
  const commit = await git.head();
  const clock = deps.clock ?? systemClock;
  const signal = opts.signal ?? new AbortController().signal;
  const findings: Finding[] = [];
  const outcomes: ScannerOutcome[] = [];
  const logger = deps.logger.child({ repo: repo.id });

  for (const scanner of deps.scanners) {
    if (opts.only && !opts.only.includes(scanner.name)) continue;
    const started = Date.now();
    const done = (status: ScannerStatus, count: number, reason?: string) =>
      outcomes.push({ scanner: scanner.name, status, findings: count, reason, durationMs: Date.now() - started });
    if (!isScannerEnabled(settings, scanner.name)) {
      done('off', 0, `switched off in ${settings.source ?? '.teammate.yml'}`);
      continue;
    }
    if (opts.off?.includes(scanner.name)) {
      done('off', 0, 'switched off in the settings');
      continue;
    }
    const previous = deps.state.get(repo.id, scanner.name);
    if (previous?.paused) {
      done('paused', 0, pausedReason(previous.consecutiveFailures, previous.lastError));
      continue;
    }
    let saved: unknown = previous?.data;
    const ctx: ScanContext = {
      logger: logger.child({ scanner: scanner.name }),
      clock,
      signal,
      settings,
      git,
      github: deps.github,
      chatModel: deps.chatModel,
      npmRegistry: deps.npmRegistry,
      commands: deps.commands,
      state: {
        lastCommit: previous?.lastCommit,
        data: previous?.data,
        setData: (data) => {
          saved = data;
        },
      },
    };
    try {
      const found = await scanner.scan(repo, ctx);
      deps.state.recordSuccess(repo.id, scanner.name, { lastCommit: commit, data: saved, at: clock.now() });
      findings.push(...found);
      done('ok', found.length);
    } catch (err) {
      if (err instanceof ScanSkipped) {
        done('skipped', 0, err.message);
        continue;
      }
      if (signal.aborted) throw err;
      const message = scrubSecrets(err instanceof Error ? err.message : String(err)).slice(0, 500);
      const state = deps.state.recordFailure(repo.id, scanner.name, { error: message, at: clock.now(), pauseAfter: PAUSE_AFTER_FAILURES });
      ctx.logger.warn({ err, consecutiveFailures: state.consecutiveFailures, paused: state.paused }, 'scanner failed');
      done(state.paused ? 'paused' : 'failed', 0, state.paused ? pausedReason(state.consecutiveFailures, message) : message);
    }
  }
  return { repo: repo.id, commit, findings, outcomes, settings };
}

function pausedReason(failures: number, lastError: string | undefined): string {
  return `paused after ${failures} failures in a row (last: ${lastError ?? 'unknown'}); resume with \`teammate scan --resume SCANNER\``;
}

/**
 * Does `finding` still hold at the repository's current HEAD? The scanner that made it decides;
 * a scanner without a recheck, or one that cannot tell (no GitHub, an error), answers "yes" so
 * nothing is marked stale by mistake.
 */
export async function recheckFinding(finding: Finding, repo: Repository, deps: ScanDeps): Promise<boolean> {
  const scanner = deps.scanners.find((s) => s.name === finding.scanner);
  if (!scanner?.recheck) return true;
  const settings = await loadRepoSettings(repo.root).catch(() => undefined);
  const previous = deps.state.get(repo.id, scanner.name);
  const ctx: ScanContext = {
    logger: deps.logger.child({ repo: repo.id, scanner: scanner.name, recheck: finding.fingerprint }),
    clock: deps.clock ?? systemClock,
    signal: new AbortController().signal,
    settings: settings ?? DEFAULT_REPO_SETTINGS,
    git: deps.gitFor(repo),
    github: deps.github,
    chatModel: deps.chatModel,
    npmRegistry: deps.npmRegistry,
    commands: deps.commands,
    // Recheck reads state but never changes it.
    state: { lastCommit: previous?.lastCommit, data: previous?.data, setData: () => {} },
  };
  try {
    return await scanner.recheck(finding, repo, ctx);
  } catch (err) {
    if (!(err instanceof ScanSkipped)) ctx.logger.warn({ err }, 'recheck failed; keeping the finding');
    return true;
  }
}
