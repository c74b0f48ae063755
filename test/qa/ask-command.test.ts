/**
 * `teammate ask` through the built binary (test/harness/global-setup.ts builds dist/), with the
 * real SDK talking to the fake OpenAI server and the real code index over a fixture repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerToJson, answerToText } from '../../src/cli/ask-command.js';
import { runCli } from '../harness/cli.js';
import { type FakeOpenAI, startFakeOpenAI, textReply, toolCallReply } from '../harness/fake-openai.js';
import { makeFixtureRepo } from './fixture-repo.js';

const fixture = makeFixtureRepo();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-ask-'));
afterAll(() => {
  fixture.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const env = (extra: Record<string, string> = {}) => ({ TEAMMATE_DATA_DIR: dataDir, TEAMMATE_DB: path.join(dataDir, 'ask.db'), LOG_LEVEL: 'warn', ...extra });

describe('teammate ask', () => {
  it('--json answers with the model and verified citations', async () => {
    fake.enqueue(
      toolCallReply([{ name: 'search_code', arguments: { query: 'loadConfig' } }]),
      textReply('`loadConfig` in src/config/load-config.ts:4-8 reads the port; not src/ghost.ts:1.'),
    );
    const r = await runCli(['ask', '--repo', fixture.root, '--json', 'where is the configuration loaded?'], {
      env: env({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-model' }),
      cwd: dataDir,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { answer: string; citations: unknown[]; mode: string };
    expect(out.mode).toBe('llm');
    // A local repository has no permalink: no `url` rather than one that is not a URL.
    expect(out.citations).toEqual([{ path: 'src/config/load-config.ts', startLine: 4, endLine: 8 }]);
    expect(out.answer).toBe('`loadConfig` in `src/config/load-config.ts:4-8` reads the port; not.');
    expect(fake.chatRequests()[0]!.body.model).toBe('fake-model');
    fake.assertDone();
  });

  it('--json returns Markdown as the model wrote it, not Slack-escaped text', async () => {
    fake.enqueue(textReply('**Config**: `loadConfig(env)` -> `{ port }` when a < b & c (src/config/load-config.ts:4-8).'));
    const r = await runCli(['ask', '--repo', fixture.root, '--json', 'where is the configuration loaded?'], {
      env: env({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-model' }),
      cwd: dataDir,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { answer: string; citations: unknown[] };
    expect(out.answer).toBe('**Config**: `loadConfig(env)` -> `{ port }` when a < b & c (`src/config/load-config.ts:4-8`).');
    expect(out.citations).toEqual([{ path: 'src/config/load-config.ts', startLine: 4, endLine: 8 }]);
    fake.assertDone();
  });

  it('prints an extractive answer as plain terminal text without a key: no Slack bold, no fences', async () => {
    const r = await runCli(['ask', '--repo', fixture.root, 'where is the configuration loaded?'], { env: env(), cwd: dataDir, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\. src\/config\/load-config\.ts:\d+-\d+$/m);
    expect(r.stdout).toMatch(/^ {4}export function loadConfig/m);
    expect(r.stdout).not.toMatch(/\*\d+\.\*|```|&[lg]t;/);
    expect(r.stdout).toMatch(/^The places in repo that best match/m);
    expect(r.stdout).toContain('(No model is configured (OPENAI_API_KEY is not set)');
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 2 without a question', async () => {
    const r = await runCli(['ask', '--repo', fixture.root], { env: env(), cwd: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give a QUESTION');
  });
});

describe('ask output', () => {
  const answer = {
    text: 'See [x.ts:1-2](https://github.com/a/b/blob/s/x.ts#L1-L2) & `y.ts:3`, **twice**.',
    citations: [{ path: 'x.ts', startLine: 1, endLine: 2, url: 'https://github.com/a/b/blob/s/x.ts#L1-L2' }],
    mode: 'llm' as const,
  };
  it('renders links as label (url) for the terminal', () => {
    expect(answerToText(answer)).toBe('See x.ts:1-2 (https://github.com/a/b/blob/s/x.ts#L1-L2) & y.ts:3, twice.\n');
    expect(answerToText({ ...answer, note: 'degraded' })).toContain('\n\n(degraded)\n');
  });
  it('keeps the documented JSON shape', () => {
    expect(answerToJson(answer)).toEqual({ answer: answer.text, citations: answer.citations, mode: 'llm' });
  });
});
