import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reposOf } from '../../src/cli/runtime.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';
import { freePort } from '../harness/ports.js';
import { startFakeGitHub } from '../harness/fake-github.js';
import { startFakeOpenAI } from '../harness/fake-openai.js';
import { startFakeSlack } from '../harness/fake-slack.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-doctor-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}


describe('teammate doctor', () => {
  it('passes every check against healthy services', async () => {
    const slack = await startFakeSlack();
    const openai = await startFakeOpenAI();
    const github = await startFakeGitHub({ token: 'gh-test-token', login: 'octo' });
    cleanups.push(() => slack.close(), () => openai.close(), () => github.close());
    github.route('GET', '/repos/:owner/:repo', (_r, p) => ({ body: { full_name: `${p.owner}/${p.repo}`, private: true, default_branch: 'main' } }));
    const dir = tempDir();
    const report = await runDoctor(
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.apiUrl,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: openai.baseUrl,
        GITHUB_TOKEN: 'gh-test-token',
        GITHUB_API_URL: github.apiUrl,
        TEAMMATE_REPOS: `${process.cwd()},acme/api`,
        TEAMMATE_DATA_DIR: dir,
      },
      { cwd: dir },
      reposOf,
    );
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(byName.config?.status).toBe('pass');
    expect(byName.database?.status).toBe('pass');
    expect(byName['review scanner']).toMatchObject({ status: 'pass', detail: expect.stringContaining('reviews recent commits') });
    expect(byName.slack).toMatchObject({ status: 'pass' });
    expect(byName.slack?.detail).toContain('Socket Mode');
    expect(byName.github).toMatchObject({ status: 'pass', detail: expect.stringContaining('octo') });
    expect(byName['github acme/api']).toMatchObject({ status: 'pass' });
    // Not cloned yet: a warning with the command that fixes it, not a failure.
    expect(byName['repository acme/api']).toMatchObject({ status: 'warn', fix: expect.stringContaining('teammate index --repo acme/api') });
    expect(github.unexpected).toEqual([]);
    expect(slack.calls.map((c) => c.method)).toContain('auth.test');
  });

  it('names every config problem and still checks what it can', async () => {
    const github = await startFakeGitHub();
    cleanups.push(() => github.close());
    const dir = tempDir();
    const slackPort = await freePort();
    const report = await runDoctor(
      {
        PORT: 'eighty',
        LOG_LEVEL: 'chatty',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
        OPENAI_BASE_URL: `http://127.0.0.1:${slackPort}/v1`,
        GITHUB_API_URL: github.apiUrl,
        TEAMMATE_REPOS: path.join(dir, 'missing-repo'),
        TEAMMATE_DATA_DIR: dir,
      },
      { cwd: dir },
      reposOf,
    );
    const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.name);
    expect(failed).toEqual(expect.arrayContaining(['config PORT', 'config LOG_LEVEL', 'config SLACK_SIGNING_SECRET', `repository missing-repo`, 'slack']));
    expect(report.results.find((r) => r.name === 'slack')?.detail).toContain('connection refused');
    expect(report.results.find((r) => r.name === 'config SLACK_SIGNING_SECRET')?.detail).toContain('SLACK_APP_TOKEN');
    expect(report.failed).toBe(failed.length);
  });

  it('reports a rejected Slack token and GitHub token with the fix', async () => {
    const slack = await startFakeSlack();
    const github = await startFakeGitHub({ token: 'right-token' });
    cleanups.push(() => slack.close(), () => github.close());
    slack.failNext('auth.test', { error: 'invalid_auth' });
    const dir = tempDir();
    const report = await runDoctor(
      {
        SLACK_BOT_TOKEN: 'xoxb-revoked',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_API_URL: slack.apiUrl,
        GITHUB_TOKEN: 'wrong-token',
        GITHUB_API_URL: github.apiUrl,
        OPENAI_BASE_URL: github.apiUrl,
        TEAMMATE_REPOS: process.cwd(),
        TEAMMATE_DATA_DIR: dir,
      },
      { cwd: dir },
      reposOf,
    );
    const slackCheck = report.results.find((r) => r.name === 'slack');
    expect(slackCheck).toMatchObject({ status: 'fail', detail: expect.stringContaining('invalid_auth'), fix: expect.stringContaining('xoxb-') });
    expect(report.results.find((r) => r.name === 'github')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('HTTP 401'),
      fix: expect.stringContaining('GITHUB_TOKEN was rejected'),
    });
  });
});

describe('teammate doctor on what is not configured', () => {
  it('skips Slack, the model and GitHub when no token is set, without contacting them, and fails nothing', async () => {
    const dir = tempDir();
    const refused = `http://127.0.0.1:${await freePort()}`;
    const report = await runDoctor(
      { SLACK_API_URL: `${refused}/api/`, OPENAI_BASE_URL: `${refused}/v1`, GITHUB_API_URL: refused, TEAMMATE_REPOS: process.cwd(), TEAMMATE_DATA_DIR: dir },
      { cwd: dir },
      reposOf,
    );
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(byName.slack).toMatchObject({ status: 'skip', detail: expect.stringContaining('skipped: no SLACK_BOT_TOKEN') });
    expect(byName.llm).toMatchObject({ status: 'skip', detail: expect.stringContaining('no OPENAI_API_KEY') });
    expect(byName.github).toMatchObject({ status: 'skip', detail: expect.stringContaining('no GITHUB_TOKEN') });
    expect(report.failed).toBe(0);
  });

  it('reports paused scanners with their last error, and that the review scanner is skipped without a model key', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'teammate.db');
    const db = openDatabase(dbPath);
    migrate(db);
    const state = createScanStateStore(db);
    for (let i = 0; i < 3; i++) state.recordFailure('acme/api', 'ci', { error: 'GitHub answered 502', at: new Date(), pauseAfter: 3 });
    state.recordFailure('acme/api', 'todo', { error: 'once', at: new Date(), pauseAfter: 3 });
    db.close();
    const env = { TEAMMATE_REPOS: process.cwd(), TEAMMATE_DATA_DIR: dir, TEAMMATE_DB: dbPath };
    const report = await runDoctor(env, { cwd: dir }, reposOf);
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(byName.scanners).toMatchObject({ status: 'warn', detail: expect.stringContaining('1 paused') });
    expect(byName.scanners?.detail).toContain('ci on acme/api is paused after 3 failures in a row (last: GitHub answered 502)');
    expect(byName.scanners?.detail).not.toContain('todo');
    expect(byName.scanners?.fix).toContain('teammate scan --resume');
    expect(byName['review scanner']).toMatchObject({ status: 'skip', detail: expect.stringContaining('no OPENAI_API_KEY, so the review scanner does not run') });
    expect(report.failed).toBe(0);

    const resumed = openDatabase(dbPath);
    createScanStateStore(resumed).resume('acme/api', 'ci');
    resumed.close();
    const after = Object.fromEntries((await runDoctor(env, { cwd: dir }, reposOf)).results.map((r) => [r.name, r]));
    expect(after.scanners).toMatchObject({ status: 'pass', detail: 'none paused' });
  });

  it('an invalid URL is a config failure and its service is not checked at the default URL instead', async () => {
    const dir = tempDir();
    const openai = await startFakeOpenAI();
    cleanups.push(() => openai.close());
    const report = await runDoctor(
      { OPENAI_BASE_URL: 'ftp://x', OPENAI_API_KEY: 'sk-test', TEAMMATE_REPOS: process.cwd(), TEAMMATE_DATA_DIR: dir },
      { cwd: dir },
      reposOf,
    );
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(byName['config OPENAI_BASE_URL']).toMatchObject({ status: 'fail', detail: expect.stringContaining('http(s) URL') });
    expect(byName.llm).toMatchObject({ status: 'skip', detail: expect.stringContaining('OPENAI_BASE_URL is invalid') });
    expect(byName.llm?.detail).not.toContain('api.openai.com');
  });

  it('a repository path that is a file is "not a directory", not a permission error', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'x');
    const report = await runDoctor({ TEAMMATE_REPOS: file, TEAMMATE_DATA_DIR: dir, TEAMMATE_REFRESH_CRON: 'off' }, { cwd: dir }, reposOf);
    expect(report.results.find((r) => r.name.startsWith('repository'))).toMatchObject({ status: 'fail', detail: expect.stringContaining('not a directory') });
  });
});
