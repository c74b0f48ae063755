/**
 * createApp builds every adapter from config alone: pointed at the fakes, each one talks to its
 * fake over HTTP with the real SDK, and start()/stop() bring the Slack side up and down.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { startFakeGitHub } from '../harness/fake-github.js';
import { startFakeOpenAI, textReply } from '../harness/fake-openai.js';
import { startFakeSlack } from '../harness/fake-slack.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function graph(env: Record<string, string>) {
  const temp = makeTempDir('teammate-app-');
  cleanups.push(() => temp.cleanup());
  const repo = path.join(temp.dir, 'repo');
  makeGitRepo(repo, { 'src/settings.ts': 'export function loadSettings() {\n  return { port: 3000 };\n}\n' });
  const config = loadConfig({ TEAMMATE_REPOS: repo, TEAMMATE_DATA_DIR: temp.dir, TEAMMATE_REFRESH_CRON: 'off', ...env }, { cwd: temp.dir });
  const db = openDatabase(':memory:');
  migrate(db);
  cleanups.push(() => db.close());
  const app = createApp({ config, logger: silentLogger(), db, repos: reposOf(config) });
  cleanups.push(() => app.stop());
  return { app, repos: reposOf(config) };
}

describe('createApp', () => {
  it('with a key builds the model and GitHub adapters against the configured endpoints', async () => {
    const openai = await startFakeOpenAI();
    const github = await startFakeGitHub({ token: 'gh-token', login: 'octo' });
    cleanups.push(() => openai.close(), () => github.close());
    const { app, repos } = await graph({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseUrl, OPENAI_MAX_RETRIES: '0', GITHUB_TOKEN: 'gh-token', GITHUB_API_URL: github.apiUrl });
    expect(app.adapters.model).toBeDefined();
    expect(app.adapters.embedder).toBeUndefined();
    expect(app.services.modeLabel).toContain('model gpt-4.1-mini');

    openai.enqueue(textReply('Settings come from `loadSettings` (src/settings.ts:1-3).'));
    const answer = await app.services.answerQuestion({ repo: repos[0]!, text: 'where are settings loaded?' });
    expect(answer.mode).not.toBe('extractive');
    expect(answer.citations.map((c) => c.path)).toContain('src/settings.ts');
    openai.assertDone();

    const octokit = await app.adapters.github();
    expect(await app.adapters.github()).toBe(octokit); // built once
    const { data } = await octokit.rest.users.getAuthenticated();
    expect(data.login).toBe('octo');
  });

  it('without a key answers extractively and refuses to start Slack without a token', async () => {
    const { app, repos } = await graph({});
    expect(app.adapters.model).toBeUndefined();
    const answer = await app.services.answerQuestion({ repo: repos[0]!, text: 'loadSettings' });
    expect(answer.mode).toBe('extractive');
    await expect(app.start()).rejects.toThrow(/SLACK_BOT_TOKEN/);
  });

  it('start() connects Slack, indexes in the background; stop() disconnects and may be called twice', async () => {
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const { app, repos } = await graph({ SLACK_BOT_TOKEN: 'xoxb-app', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: '0' });
    const { slackPort } = await app.start();
    expect(slackPort).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${slackPort}/healthz`);
    expect(health.status).toBe(200);
    for (let i = 0; i < 100 && !app.services.search.isIndexed(repos[0]!); i++) await new Promise((r) => setTimeout(r, 50));
    expect(app.services.search.isIndexed(repos[0]!)).toBe(true);
    await app.stop();
    await app.stop();
    await expect(fetch(`http://127.0.0.1:${slackPort}/healthz`)).rejects.toThrow();
  });
});
