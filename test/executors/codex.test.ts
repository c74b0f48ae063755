/**
 * The codex executor end to end: the real Codex CLI (through @openai/codex-sdk) against a local
 * fake of the Responses API, on a real git repository cloned from a local bare remote, with the
 * fake GitHub for the pull request. Nothing is mocked inside the process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { checkCodex } from '../../src/doctor/local-checks.js';
import { createCodexExecutor, type CodexExecutorOptions } from '../../src/executors/codex.js';
import { ExecutorError, type ExecutorResult, type TaskContext, type TaskEffects, type TaskProposal, type TaskRepository } from '../../src/executors/types.js';
import { createOctokit } from '../../src/github/create-octokit.js';
import { type FakeGitHttp, startFakeGitHttp } from '../harness/fake-git-http.js';
import { type FakeGitHub, type FakePull, routePulls, startFakeGitHub } from '../harness/fake-github.js';
import { type FakeResponsesApi, messageItem, patchCallFor, shellCallFor, toolOutputsOf } from '../harness/fake-responses-api.js';
import { startFakeResponsesApi } from '../harness/fake-responses-api.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const GITHUB_TOKEN = 'ghp_codexExecutorTestToken0123456789abcd';
const SLACK_TOKEN = 'xoxb-1111-2222-codexexecutortest';
const OPENAI_KEY = 'sk-test-codex-executor-key-0123456789';
const TASK_ID = 42;
const PASTED_KEY = 'sk-pastedIntoSlack0123456789abcdef';

const GREET_BEFORE = "export function greet(name) {\n  return 'Hello ' + name;\n}\n";
const PATCH = "*** Begin Patch\n*** Update File: greet.js\n@@\n export function greet(name) {\n-  return 'Hello ' + name;\n+  return `Hello, ${name}!`;\n }\n*** End Patch\n";

/** In-memory TaskEffects with the contract's semantics (recall, else find, else create; remember). */
function memoryEffects(store = new Map<string, Record<string, unknown>>()): TaskEffects & { store: Map<string, Record<string, unknown>> } {
  return {
    store,
    key: (effect) => `task:${TASK_ID}:${effect}`,
    recall: (effect) => store.get(effect),
    remember: (effect, value) => void store.set(effect, value),
    async once(effect, steps) {
      const known = store.get(effect);
      if (known) return known as never;
      const found = steps.find ? await steps.find() : undefined;
      const value = found ?? (await steps.create());
      store.set(effect, value);
      return value;
    },
  };
}

describe('codex executor (real Codex CLI, fake Responses API, fake GitHub, local bare remote)', () => {
  let tmp: { dir: string; cleanup: () => void };
  let responses: FakeResponsesApi;
  let github: FakeGitHub;
  let gitHttp: FakeGitHttp;
  let pulls: FakePull[];
  let bare: string;
  let repository: TaskRepository;
  let dataDir: string;
  let options: CodexExecutorOptions;
  const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, SLACK_BOT_TOKEN: process.env.SLACK_BOT_TOKEN };

  const proposal: TaskProposal = {
    id: 7,
    title: 'Greet people with a comma and an exclamation mark',
    why: 'The greeting reads flat; the style guide wants `Hello, NAME!`.',
    plan: 'Change `greet` in greet.js to return `Hello, ${name}!` and keep the tests passing.',
    acceptance: '`npm test` passes.',
    suggestedTask: 'Fix greet()',
    evidence: [{ path: 'greet.js', startLine: 2, endLine: 2, excerpt: "  return 'Hello ' + name;" }],
    scanner: 'manual',
    rule: 'manual.request',
    severity: 'low',
    repoId: 'acme/widgets',
    cardUrl: 'https://example.slack.com/archives/C1/p1700000000000100',
    context: `alice: can you make greet() say "Hello, Bob!"? (oops, my key: ${PASTED_KEY})`,
  };

  function context(effects: TaskEffects, attempt: number, steps: string[], taskId = TASK_ID): TaskContext {
    return {
      taskId,
      attempt,
      proposal,
      repository,
      effects,
      report: (p) => void steps.push(p.step),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    };
  }

  beforeAll(async () => {
    tmp = makeTempDir('teammate-codex-');
    process.env.GITHUB_TOKEN = GITHUB_TOKEN; // present in the parent: must still never reach the agent
    process.env.SLACK_BOT_TOKEN = SLACK_TOKEN;
    const seed = path.join(tmp.dir, 'seed');
    makeGitRepo(seed, {
      'package.json': JSON.stringify({ name: 'widgets', type: 'module', private: true, scripts: { test: 'node --test' } }, null, 2),
      'greet.js': GREET_BEFORE,
      'greet.test.js': "import test from 'node:test';\nimport assert from 'node:assert';\nimport { greet } from './greet.js';\ntest('greets', () => assert.match(greet('Bob'), /^Hello/));\ntest('names', () => assert.ok(greet('Bob').includes('Bob')));\n",
      'AGENTS.md': '# Agent notes\nAGENTS-MARKER-7731: keep greetings short.\n',
    });
    bare = path.join(tmp.dir, 'remote.git');
    gitIn(tmp.dir, 'clone', '-q', '--bare', seed, bare);
    const root = path.join(tmp.dir, 'data', 'repos', 'acme', 'widgets');
    fs.mkdirSync(path.dirname(root), { recursive: true });
    gitIn(tmp.dir, 'clone', '-q', bare, root);
    // origin is served over smart HTTP, so fetch and push show what credentials git really sends.
    gitHttp = await startFakeGitHttp(tmp.dir, { token: GITHUB_TOKEN });
    gitIn(root, 'remote', 'set-url', 'origin', gitHttp.urlOf('remote'));
    dataDir = path.join(tmp.dir, 'data');
    repository = { id: 'acme/widgets', root, label: 'acme/widgets', github: { owner: 'acme', name: 'widgets', webUrl: 'https://github.com' } };

    // The scripted model: edit greet.js, then print the agent's environment, then summarise.
    responses = await startFakeResponsesApi((req) => {
      const done = toolOutputsOf(req).length;
      if (done === 0) return patchCallFor(req, PATCH);
      if (done === 1) return shellCallFor(req, 'env; echo AGENT-ENV-END');
      return messageItem('Changed `greet` to return `Hello, NAME!` as the style guide asks.');
    });
    github = await startFakeGitHub({ token: GITHUB_TOKEN });
    pulls = routePulls(github, { owner: 'acme', name: 'widgets' }).pulls;
    options = {
      dataDir,
      openai: { baseUrl: responses.baseUrl, apiKey: OPENAI_KEY },
      github: { token: GITHUB_TOKEN, octokit: createOctokit({ token: GITHUB_TOKEN, apiUrl: github.apiUrl, webUrl: 'https://github.com' }) },
      agentTimeoutMs: 120_000,
      testTimeoutMs: 60_000,
    };
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await responses?.close();
    await github?.close();
    await gitHttp?.close();
    tmp?.cleanup();
  });

  it('edits on teammate/task-<id>, runs the tests, pushes, opens one draft PR with the evidence; a re-run opens nothing new', async () => {
    const executor = createCodexExecutor(options);
    const effects = memoryEffects();
    const steps: string[] = [];
    const started = Date.now();
    const first: ExecutorResult = await executor.run(context(effects, 1, steps), new AbortController().signal);
    const firstMs = Date.now() - started;

    // The Codex CLI really talked to the fake: WebSocket refused, then the SSE turns.
    expect(responses.upgrades).toBeGreaterThan(0);
    expect(responses.requests).toHaveLength(3);
    expect(responses.unexpected).toEqual([]);
    expect(responses.requests[0]!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(responses.requests[0]!.headers.originator).toBe('codex_sdk_ts');
    const turnMeta = JSON.parse(String(responses.requests[0]!.headers['x-codex-turn-metadata'])) as { sandbox_mode?: string };
    expect(turnMeta.sandbox_mode).toBe('workspace-write');
    const firstRaw = responses.requests[0]!.raw;
    expect(firstRaw).toContain('Greet people with a comma and an exclamation mark'); // the task
    expect(firstRaw).toContain('alice: can you make greet()'); // the thread's context
    expect(firstRaw).toContain('AGENTS-MARKER-7731'); // AGENTS.md, read by the CLI itself
    // The agent ran in the task's worktree under the data dir.
    const worktree = path.join(dataDir, 'worktrees');
    expect(firstRaw).toContain(worktree);

    // The agent's environment, as `env` printed it inside the sandbox: no GitHub or Slack token.
    const envOutput = toolOutputsOf(responses.requests[2]!).join('\n');
    expect(envOutput).toContain('AGENT-ENV-END');
    expect(envOutput).toContain('CODEX_HOME=');
    expect(envOutput).not.toContain('GITHUB_TOKEN');
    expect(envOutput).not.toContain('SLACK_BOT_TOKEN');
    for (const r of responses.requests) {
      expect(r.raw).not.toContain(GITHUB_TOKEN);
      expect(r.raw).not.toContain(SLACK_TOKEN);
      expect(r.raw).not.toContain(PASTED_KEY); // scrubbed from the thread's context before the model sees it
      expect(JSON.stringify(r.headers)).not.toContain(GITHUB_TOKEN);
    }

    // The edit landed on teammate/task-42 and was pushed to the bare remote, authored by Teammate.
    const branch = `teammate/task-${TASK_ID}`;
    expect(gitIn(bare, 'show', `${branch}:greet.js`)).toContain('return `Hello, ${name}!`;');
    expect(gitIn(bare, 'log', '-1', '--format=%an|%s', branch).trim()).toBe('Teammate|Greet people with a comma and an exclamation mark');
    expect(gitIn(bare, 'rev-parse', `${branch}~1`).trim()).toBe(gitIn(bare, 'rev-parse', 'main').trim());
    // Fetch and push went over HTTP with the token as a Basic header; it was never on disk.
    expect(gitHttp.requests.some((r) => r.method === 'POST' && r.path.endsWith('/git-receive-pack') && r.authorized)).toBe(true);
    expect(gitHttp.requests.some((r) => r.method === 'POST' && r.path.endsWith('/git-upload-pack') && r.authorized)).toBe(true);
    expect(gitHttp.requests.every((r) => r.authorized)).toBe(true);
    expect(fs.readFileSync(path.join(repository.root, '.git', 'config'), 'utf8')).not.toContain(GITHUB_TOKEN);

    // One draft PR, with the summary, diff stat, test evidence, the card link and the marker.
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr).toMatchObject({ head: branch, base: 'main', draft: true, state: 'open', title: proposal.title });
    expect(pr.body).toContain('Changed `greet` to return `Hello, NAME!`');
    expect(pr.body).toMatch(/greet\.js \| 2 \+-/);
    expect(pr.body).toContain('Teammate ran `npm test`');
    expect(pr.body).toContain('passed (2 passed, 0 failed)');
    expect(pr.body).toMatch(/task-42-attempt-1-tests\.log lines \d+–\d+ of \d+/);
    expect(pr.body).toMatch(/\n\s*\d+ \| # pass 2\n/); // a numbered log line
    expect(pr.body).toContain(proposal.cardUrl);
    expect(pr.body).toContain('<!-- teammate:task:42 -->');
    expect(pr.body.length).toBeLessThanOrEqual(65_536);
    expect(pr.body).not.toContain(GITHUB_TOKEN);

    expect(first.links[0]).toEqual({ kind: 'pr', url: 'https://github.com/acme/widgets/pull/1', label: 'Draft PR #1' });
    expect(first.tests).toMatchObject({ command: 'npm test', ok: true, passed: 2, failed: 0 });
    expect(first.filesChanged).toBe(1);
    expect(steps).toContain('Codex: editing greet.js');
    expect(steps.some((s) => s.startsWith('Running tests'))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'task-logs', 'task-42-attempt-1-tests.log'), 'utf8')).toContain('# pass 2');
    expect(fs.existsSync(path.join(dataDir, 'codex', 'home', '.codex'))).toBe(true);

    // Every GitHub call carried the token; nothing unexpected was asked.
    expect(github.unexpected).toEqual([]);
    const creates = () => github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).length;
    expect(creates()).toBe(1);

    // Run again (a retry) with the recorded effects, then again as after a crash before anything
    // was recorded: the same branch and worktree are reset and reused, the PR is found and updated.
    await executor.run(context(effects, 2, []), new AbortController().signal);
    const third = await executor.run(context(memoryEffects(), 3, []), new AbortController().signal);
    expect(creates()).toBe(1);
    expect(pulls).toHaveLength(1);
    expect(github.requests.filter((r) => r.method === 'PATCH').length).toBe(2);
    expect(pulls[0]!.body).toContain('task-42-attempt-3-tests.log');
    expect(third.links[0]!.url).toBe('https://github.com/acme/widgets/pull/1');
    const worktrees = gitIn(repository.root, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree '));
    expect(worktrees).toHaveLength(2); // the clone itself and the one task worktree
    expect(gitIn(bare, 'branch', '--list', 'teammate/*').trim().split('\n')).toHaveLength(1);
    expect(gitIn(bare, 'rev-list', '--count', `main..${branch}`).trim()).toBe('1');
    console.info(`codex executor: first run ${firstMs} ms (real Codex CLI, 3 model turns, npm test, push, PR)`);
  }, 180_000);

  it('asks for TEAMMATE_CODEX_MODEL; with that model the CLI offers exec_command, and the edit lands the same way', async () => {
    const before = responses.requests.length;
    const result = await createCodexExecutor({ ...options, model: 'gpt-5.1-codex' }).run(context(memoryEffects(), 1, [], 43), new AbortController().signal);
    const mine = responses.requests.slice(before);
    expect(mine.map((r) => r.body.model)).toEqual(['gpt-5.1-codex', 'gpt-5.1-codex', 'gpt-5.1-codex']);
    expect(mine[0]!.body.tools.map((t: { name?: string }) => t.name)).toContain('exec_command');
    expect(mine[1]!.body.input.some((i: { type: string }) => i.type === 'function_call_output')).toBe(true);
    expect(gitIn(bare, 'show', 'teammate/task-43:greet.js')).toContain('return `Hello, ${name}!`;');
    expect(result.links[0]!.label).toBe('Draft PR #2');
    expect(pulls.map((p) => p.head)).toEqual(['teammate/task-42', 'teammate/task-43']);
  }, 120_000);

  it('stops the agent when the task is cancelled: nothing is pushed, no PR', async () => {
    let arrived!: () => void;
    const firstRequest = new Promise<void>((resolve) => (arrived = resolve));
    const thinking = await startFakeResponsesApi(() => {
      arrived();
      return new Promise<never>(() => {}); // the model never answers
    });
    try {
      const controller = new AbortController();
      const run = createCodexExecutor({ ...options, openai: { baseUrl: thinking.baseUrl, apiKey: OPENAI_KEY } }).run(context(memoryEffects(), 1, [], 44), controller.signal);
      await firstRequest;
      const abortedAt = Date.now();
      controller.abort('cancel');
      await expect(run).rejects.toThrow('cancelled');
      expect(Date.now() - abortedAt).toBeLessThan(10_000);
      expect(gitIn(bare, 'branch', '--list', 'teammate/task-44').trim()).toBe('');
      expect(pulls.some((p) => p.head === 'teammate/task-44')).toBe(false);
    } finally {
      await thinking.close();
    }
  }, 60_000);

  it('fails permanently, with the reason, when the Codex CLI is missing; doctor says so too', async () => {
    const missing = path.join(tmp.dir, 'no-such-codex');
    const executor = createCodexExecutor({ ...options, codexPath: missing });
    const before = github.requests.length;
    const err = await executor.run(context(memoryEffects(), 1, []), new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutorError);
    expect((err as ExecutorError).permanent).toBe(true);
    expect((err as Error).message).toContain(`TEAMMATE_CODEX_PATH (${missing}) is not an executable file`);
    expect(github.requests.length).toBe(before); // nothing was attempted

    const config = loadConfig({ TEAMMATE_CODEX_PATH: missing, TEAMMATE_DATA_DIR: dataDir, TEAMMATE_REPOS: repository.root }, { cwd: tmp.dir, homeDir: tmp.dir });
    const check = await checkCodex(config);
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('is not an executable file');
    const healthy = await checkCodex(loadConfig({ TEAMMATE_DATA_DIR: dataDir, TEAMMATE_REPOS: repository.root }, { cwd: tmp.dir, homeDir: tmp.dir }));
    expect(healthy).toMatchObject({ status: 'pass' });
    expect(healthy.detail).toContain('0.163.0');
    // The real CLI started its sandbox around `true` for that verdict.
    expect(healthy.detail).toContain('sandbox starts');
  }, 60_000);

  it.runIf(process.platform === 'linux')('doctor fails, with the sandbox’s own words and a way out, when the CLI runs but its sandbox cannot start (a container without user namespaces)', async () => {
    // A CLI that runs but whose bubblewrap is refused, as in a Docker container with the default
    // seccomp profile (the real CLI's sandbox starts on this machine, so its refusal is scripted).
    const cli = path.join(tmp.dir, 'codex-no-userns');
    fs.writeFileSync(
      cli,
      '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli 0.163.0"; exit 0; fi\n' +
        'echo "bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const check = await checkCodex(loadConfig({ TEAMMATE_CODEX_PATH: cli, TEAMMATE_DATA_DIR: dataDir, TEAMMATE_REPOS: repository.root }, { cwd: tmp.dir, homeDir: tmp.dir }));
    expect(check.status).toBe('fail');
    expect(check.detail).toBe('codex-cli 0.163.0 runs, but its sandbox cannot start here: bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces.');
    expect(check.fix).toContain('TEAMMATE_EXECUTOR=github-actions');
  });
});
