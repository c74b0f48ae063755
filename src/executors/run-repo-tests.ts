/**
 * Teammate runs the repository's tests itself after the agent's change (the agent's own claims
 * are not evidence): the command from `.teammate.yml`, else one detected from the files. The run
 * gets a timeout (its whole process group is killed), an environment without secrets, and its
 * log is kept in a file the PR body cites by line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCommandRunner } from '../repos/run-command.js';
import { loadRepoSettings } from '../scanners/repo-settings.js';
import { excerptTestLog, parseTestCounts } from './test-log.js';
import type { TestSummary } from './types.js';

const MAX_LOG = 8 * 1024 * 1024;

/** The test command for the tree at `root`, or undefined when none is configured or detectable. */
export async function detectTestCommand(root: string): Promise<string | undefined> {
  const settings = await loadRepoSettings(root);
  if (settings.testCommand) return settings.testCommand;
  const has = (f: string) => fs.existsSync(path.join(root, f));
  if (has('package.json')) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
      const test = pkg.scripts?.test;
      // npm init's placeholder fails on purpose; it is not a test suite.
      if (typeof test === 'string' && test.trim() !== '' && !/no test specified/.test(test)) return 'npm test';
    } catch {
      // An unreadable package.json is the agent's or the repository's problem; try the others.
    }
  }
  if (has('pytest.ini') || has('pyproject.toml') || has('setup.cfg') || has('tox.ini') || has('conftest.py')) return 'pytest';
  if (has('go.mod')) return 'go test ./...';
  if (has('Cargo.toml')) return 'cargo test';
  return undefined;
}

export interface TestRun {
  readonly summary: TestSummary;
  /** Where the full log is kept. */
  readonly logFile: string;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
}

/**
 * Runs `command` through `sh -c` in `cwd` (it comes from the repository's own settings, like a CI
 * file) with stdout and stderr interleaved into `logFile`. Never throws for a failing suite: a
 * failure is evidence for the reviewer, not an executor error.
 */
export async function runRepoTests(opts: { command: string; cwd: string; logFile: string; timeoutMs: number; signal?: AbortSignal; baseEnv?: NodeJS.ProcessEnv }): Promise<TestRun> {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const started = Date.now();
  // One way to run a command here: the scanners' runner (scrubbed env, whole process group killed on timeout or abort).
  const { log, code, timedOut } = await createCommandRunner(opts.baseEnv ?? process.env)
    .run('/bin/sh', ['-c', opts.command], { cwd: opts.cwd, timeoutMs: opts.timeoutMs, env: { CI: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1', FORCE_COLOR: '0' }, ...(opts.signal ? { signal: opts.signal } : {}) })
    .then(
      (r) => ({ log: r.output.slice(0, MAX_LOG), code: r.code, timedOut: r.timedOut }),
      (err: Error) => ({ log: `\n[teammate] could not run ${opts.command}: ${err.message}\n`, code: null, timedOut: false }),
    );
  const durationMs = Date.now() - started;
  const tail = timedOut ? `\n[teammate] killed after ${Math.round(opts.timeoutMs / 1000)} s (timeout)\n` : '';
  const fullLog = log + tail;
  fs.writeFileSync(opts.logFile, fullLog);
  const ok = code === 0 && !timedOut;
  const counts = parseTestCounts(fullLog);
  const ex = excerptTestLog(fullLog, ok);
  const excerpt = `${path.basename(opts.logFile)} lines ${ex.from}–${ex.to} of ${ex.total}:\n${ex.text}`;
  return {
    summary: { command: opts.command, ok, excerpt, ...(counts ? { passed: counts.passed, failed: counts.failed } : {}) },
    logFile: opts.logFile,
    durationMs,
    exitCode: code,
    timedOut,
  };
}
