/**
 * Teammate runs the repository's tests itself after the agent's change (the agent's own claims
 * are not evidence): the command from `.teammate.yml`, else one detected from the files. The run
 * gets a timeout (its whole process group is killed), an environment without secrets, and its
 * log is kept in a file the PR body cites by line.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childProcessEnv } from '../logging/scrub.js';
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
  const { log, code, timedOut } = await new Promise<{ log: string; code: number | null; timedOut: boolean }>((resolve) => {
    const child = spawn('/bin/sh', ['-c', opts.command], {
      cwd: opts.cwd,
      env: childProcessEnv(opts.baseEnv ?? process.env, { CI: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1', FORCE_COLOR: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', kill, { once: true });
    const collect = (d: Buffer) => {
      if (out.length < MAX_LOG) out += d.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const done = (code: number | null, extra = '') => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      resolve({ log: out + extra, code, timedOut });
    };
    child.on('error', (err) => done(null, `\n[teammate] could not run ${opts.command}: ${err.message}\n`));
    child.on('close', (code) => done(code));
  });
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
