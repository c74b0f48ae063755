/**
 * Shared set-up for the task queue tests: a real git repository with an `origin` remote, a fake
 * GitHub issues API that records creates (and can fail them), a config + runtime built the way
 * the CLI builds it, and a logger whose every line is kept (to check no token reaches a log).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AppRuntime } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import { repositoryFromSpec } from '../../src/repos/repository.js';
import type { Finding } from '../../src/scanners/finding.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import type { FakeGitHub, FakeResponse, RecordedRequest } from '../harness/fake-github.js';

const dirs: string[] = [];

export function tempDir(prefix = 'teammate-tasks-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A git repository with one commit and `origin` set to `remote`. */
export function gitRepoWithOrigin(remote: string): string {
  const dir = path.join(tempDir('teammate-repo-'), 'repo');
  fs.mkdirSync(dir);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  git('init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'app.ts'), 'export const retry = 0; // FIXME: retry\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  git('remote', 'add', 'origin', remote);
  return dir;
}

export interface FakeIssuesApi {
  readonly issues: { number: number; title: string; body: string; labels: string[] }[];
  /** POSTs that reached the fake (failed ones included). */
  readonly creates: RecordedRequest[];
  /** The next creates answer these statuses (5xx, 401) instead of creating. */
  failCreates(...statuses: number[]): void;
  /** The next create makes the issue but never answers (a worker killed while waiting). */
  hangNextCreate(): void;
}

export function routeIssueApi(fake: FakeGitHub, owner: string, name: string): FakeIssuesApi {
  const issues: FakeIssuesApi['issues'] = [];
  const creates: RecordedRequest[] = [];
  const failures: number[] = [];
  let hang = false;
  const base = `/repos/${owner}/${name}`;
  const toJson = (i: FakeIssuesApi['issues'][number]) => ({
    id: i.number,
    number: i.number,
    title: i.title,
    body: i.body,
    state: 'open',
    labels: i.labels.map((l) => ({ name: l })),
    html_url: `https://github.com/${owner}/${name}/issues/${i.number}`,
  });
  fake.route('GET', `${base}/issues`, (req) => {
    const q = new URLSearchParams(req.search);
    const wanted = (q.get('labels') ?? '').split(',').filter(Boolean);
    return { body: issues.filter((i) => wanted.every((l) => i.labels.includes(l))).reverse().map(toJson) };
  });
  fake.route('POST', `${base}/issues`, (req): FakeResponse | Promise<FakeResponse> => {
    creates.push(req);
    const status = failures.shift();
    if (status !== undefined) return { status, body: { message: status === 401 ? 'Bad credentials' : 'Server Error' } };
    const body = req.body as { title: string; body: string; labels?: string[] };
    const issue = { number: issues.length + 1, title: body.title, body: body.body, labels: body.labels ?? [] };
    issues.push(issue);
    if (hang) {
      hang = false;
      return new Promise<FakeResponse>(() => {});
    }
    return { status: 201, body: toJson(issue) };
  });
  return {
    issues,
    creates,
    failCreates: (...s) => failures.push(...s),
    hangNextCreate: () => {
      hang = true;
    },
  };
}

export interface CapturedLog {
  readonly lines: string[];
  text(): string;
}

/** Config from `env` (nothing from the machine), a logger that keeps every line, a migrated database. */
export function testRuntime(env: Record<string, string>, dbFile: string): AppRuntime & { log: CapturedLog; close(): void } {
  const cwd = tempDir('teammate-cwd-');
  const config = loadConfig({ TEAMMATE_DB: dbFile, TEAMMATE_DATA_DIR: cwd, LOG_LEVEL: 'debug', ...env }, { cwd, homeDir: cwd, systemTimeZone: 'UTC' });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const db = openDatabase(config.dbPath);
  migrate(db);
  const repos = config.repos.map((spec) => repositoryFromSpec(spec, { dataDir: config.dataDir, githubWebUrl: config.github.webUrl }));
  return { config, logger, db, repos, log: { lines, text: () => lines.join('') }, close: () => db.close() };
}

export function finding(n: number, over: Partial<Finding> = {}): Finding {
  return {
    scanner: 'todo',
    rule: 'todo.fixme',
    title: `FIXME ${n}: handle the retry`,
    summary: `A FIXME in app.ts says the retry is missing (${n}).`,
    evidence: [{ path: 'app.ts', startLine: 1, endLine: 1, commit: 'a'.repeat(40), excerpt: '// FIXME: retry' }],
    severity: 'medium',
    confidence: 0.8,
    suggestedTask: `Add the retry (${n}).`,
    fingerprint: `fp-${n}`,
    ...over,
  };
}

/** An approved proposal with a card in C1, and its queued task. */
export function approvedTask(runtime: Pick<AppRuntime, 'db'>, repoId: string, n: number, executor: string, opts: { maxAttempts?: number; card?: boolean } = {}): { taskId: number; proposalId: number } {
  const store = createProposalStore(runtime.db);
  const now = Date.now();
  const { proposal } = store.upsertFromFinding(finding(n), { repoId, now, channel: 'C1' });
  if (opts.card ?? true) store.recordCardPost(proposal.id, 'C1', `1700000000.${String(n).padStart(6, '0')}`, now);
  const d = store.decide(proposal.id, 'pending', { toState: 'approved', action: 'approve', userId: 'U2', surface: 'slack', task: { executor, ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}) }, now });
  if (!d.won || d.taskId === undefined) throw new Error('could not approve');
  return { taskId: d.taskId, proposalId: proposal.id };
}

export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
