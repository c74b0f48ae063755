/**
 * The codex executor: the approved task is done by the Codex CLI (through @openai/codex-sdk) in a
 * git worktree of the repository on branch `teammate/task-<id>`, sandboxed to that worktree with
 * no network; then Teammate runs the repository's tests itself, commits, pushes and opens a draft
 * PR whose body carries the evidence. Re-running a task resets the same branch and worktree and
 * updates the same PR (found by its branch or the hidden marker): nothing is made twice.
 *
 * Tokens: the agent's process gets an explicit, minimal environment (PATH, HOME, CODEX_HOME,
 * locale) — never GITHUB_TOKEN or Slack tokens; the model key reaches it as CODEX_API_KEY (set by
 * the SDK). The GitHub token goes only to the one `git push`/`fetch` child, as an http.extraHeader
 * in its environment, with hooks off so nothing the agent wrote can run beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { ThreadEvent, ThreadItem } from '@openai/codex-sdk';
import type { Config } from '../config/load-config.js';
import { scrubSecrets } from '../logging/scrub.js';
import { authEnv } from '../repos/clone.js';
import { git } from '../repos/git.js';
import { isSecretPath } from '../repos/secret-files.js';
import { prepareTaskWorktree, resolveBaseCommit, taskBranch, taskWorktreePath, withRepoLock } from '../repos/task-worktree.js';
import { buildCodexPrompt } from './codex-prompt.js';
import { locateCodex } from './locate-codex.js';
import { describeTests, renderPrBody } from './pr-body.js';
import { detectTestCommand, runRepoTests, type TestRun } from './run-repo-tests.js';
import { type Executor, ExecutorError, type ExecutorResult, type TaskContext, taskMarker } from './types.js';

export interface CodexExecutorOptions {
  /** Worktrees, CODEX_HOME and test logs live under here. */
  readonly dataDir: string;
  /** The Responses API endpoint and key (OPENAI_BASE_URL, OPENAI_API_KEY). */
  readonly openai: { readonly baseUrl: string; readonly apiKey?: string };
  /** TEAMMATE_CODEX_MODEL; undefined: the CLI's default model. */
  readonly model?: string;
  /** TEAMMATE_CODEX_PATH: a codex binary instead of the bundled one. */
  readonly codexPath?: string;
  readonly github: { readonly token?: string; readonly octokit: Octokit };
  readonly agentTimeoutMs: number;
  readonly testTimeoutMs: number;
  /** The environment the agent's PATH/locale and the test run's base come from (tests pass their own). */
  readonly env?: NodeJS.ProcessEnv;
}

const AUTHOR = ['-c', 'user.name=Teammate', '-c', 'user.email=teammate@users.noreply.github.com'];
// Hooks live in the repository (husky puts them in the worktree the agent just wrote): never run them.
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/** The executor as the composition root builds it from config (the Octokit comes from createOctokit). */
export function codexExecutorFromConfig(config: Config, octokit: Octokit): Executor {
  const s = config.settings;
  return createCodexExecutor({
    dataDir: config.dataDir,
    openai: { baseUrl: config.llm.baseUrl, ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}) },
    ...(s.TEAMMATE_CODEX_MODEL ? { model: s.TEAMMATE_CODEX_MODEL } : {}),
    ...(s.TEAMMATE_CODEX_PATH ? { codexPath: s.TEAMMATE_CODEX_PATH } : {}),
    github: { ...(config.github.token ? { token: config.github.token } : {}), octokit },
    agentTimeoutMs: s.TEAMMATE_CODEX_TIMEOUT_MS,
    testTimeoutMs: s.TEAMMATE_TEST_TIMEOUT_MS,
  });
}

export function createCodexExecutor(opts: CodexExecutorOptions): Executor {
  return {
    name: 'codex',
    run: (ctx, signal) => runCodexTask(ctx, signal, opts),
  };
}

/** The agent's whole environment: nothing inherited, so no token can reach it or its commands. */
export function codexAgentEnv(parent: NodeJS.ProcessEnv, home: string): Record<string, string> {
  const env: Record<string, string> = { PATH: parent.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, CODEX_HOME: path.join(home, '.codex') };
  for (const key of ['LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'] as const) {
    const v = parent[key];
    if (v) env[key] = v;
  }
  return env;
}

async function runCodexTask(ctx: TaskContext, signal: AbortSignal, opts: CodexExecutorOptions): Promise<ExecutorResult> {
  const { taskId, proposal, repository } = ctx;
  const gh = repository.github;
  if (!gh) throw new ExecutorError(`${repository.label} has no GitHub repository (TEAMMATE_REPOS entry or an origin remote on GitHub), so there is nowhere to open a pull request`, { permanent: true });
  if (!opts.openai.apiKey) throw new ExecutorError('OPENAI_API_KEY is not set: the Codex agent needs a model', { permanent: true });
  const located = await locateCodex(opts.codexPath);
  if (!located.ok) throw new ExecutorError(`Codex is not available: ${located.reason}`, { permanent: true });
  const { octokit, token } = opts.github;
  const owner = gh.owner;
  const repo = gh.name;
  const branch = taskBranch(taskId);
  const push = authEnv(token);

  ctx.report({ step: 'Preparing a worktree' });
  const { data: ghRepo } = await octokit.rest.repos.get({ owner, repo });
  const base = ghRepo.default_branch;
  const { baseSha, dir } = await withRepoLock(repository.root, async () => {
    const sha = await resolveBaseCommit(repository.root, base, push);
    return { baseSha: sha, dir: await prepareTaskWorktree({ root: repository.root, dir: taskWorktreePath(opts.dataDir, repository.id, taskId), branch, base: sha }) };
  });
  ctx.effects.remember('branch', { branch, base, baseSha });
  const testCommand = await detectTestCommand(dir).catch((err: unknown) => {
    throw new ExecutorError(`cannot read the test command: ${(err as Error).message}`, { permanent: true, cause: err });
  });

  ctx.report({ step: 'Codex is starting' });
  // The thread's text goes to the model: never a secret someone pasted into Slack.
  const finalMessage = await runAgent(ctx, signal, opts, located.sdk, located.path, dir, scrubSecrets(buildCodexPrompt(proposal, repository, testCommand)));
  if (signal.aborted) throw new ExecutorError('cancelled', { permanent: true });

  // Everything the agent changed, minus files that commonly hold credentials.
  await git(dir, [...NO_HOOKS, 'add', '--all']);
  const staged = (await git(dir, ['diff', '--cached', '--name-only', '-z'])).split('\0').filter(Boolean);
  const secretLike = staged.filter((f) => isSecretPath(f));
  if (secretLike.length > 0) {
    await git(dir, ['reset', '--quiet', '--', ...secretLike]);
    ctx.logger.warn({ task: taskId, files: secretLike }, 'left secret-looking files out of the commit');
  }
  if (secretLike.length === staged.length) {
    throw new ExecutorError(`the agent changed no files${finalMessage ? `: ${finalMessage.slice(0, 300)}` : ''}`, { permanent: true });
  }

  let tests: TestRun | undefined;
  if (testCommand) {
    ctx.report({ step: `Running tests (\`${testCommand}\`)` });
    const logFile = path.join(opts.dataDir, 'task-logs', `task-${taskId}-attempt-${ctx.attempt}-tests.log`);
    tests = await runRepoTests({ command: testCommand, cwd: dir, logFile, timeoutMs: opts.testTimeoutMs, signal, ...(opts.env ? { baseEnv: opts.env } : {}) });
    if (signal.aborted) throw new ExecutorError('cancelled', { permanent: true });
    ctx.logger.info({ task: taskId, command: testCommand, ok: tests.summary.ok, passed: tests.summary.passed, failed: tests.summary.failed, log: tests.logFile }, 'tests ran');
  }

  ctx.report({ step: 'Committing and pushing' });
  const subject = proposal.title.length > 72 ? `${proposal.title.slice(0, 71)}…` : proposal.title;
  await git(dir, [...NO_HOOKS, ...AUTHOR, 'commit', '--quiet', '--no-verify', '-m', subject, '-m', `Teammate task ${taskId}.`]);
  const diffStat = (await git(dir, ['diff', '--stat=100', `${baseSha}..HEAD`])).trimEnd();
  const filesChanged = (await git(dir, ['diff', '--name-only', `${baseSha}..HEAD`])).split('\n').filter(Boolean).length;
  // The branch is Teammate's own: a re-run replaces what an earlier attempt pushed.
  await git(dir, [...NO_HOOKS, 'push', '--quiet', '--no-verify', '--force', 'origin', `HEAD:refs/heads/${branch}`], { env: push });
  const branchUrl = `${gh.webUrl.replace(/\/+$/, '')}/${owner}/${repo}/tree/${branch}`;
  ctx.report({ step: 'Opening the draft PR', url: branchUrl });

  const body = renderPrBody({
    taskId,
    summary: finalMessage,
    why: proposal.why,
    diffStat,
    ...(tests ? { tests: { ...tests.summary, durationMs: tests.durationMs, timedOut: tests.timedOut } } : {}),
    ...(proposal.cardUrl ? { cardUrl: proposal.cardUrl } : {}),
    secrets: [token ?? '', opts.openai.apiKey],
  });
  const marker = taskMarker(taskId);
  let createdNow = false;
  const pr = await ctx.effects.once('pr', {
    find: async () => {
      const { data: byBranch } = await octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${branch}`, per_page: 10 });
      const { data: recent } = byBranch.length > 0 ? { data: [] } : await octokit.rest.pulls.list({ owner, repo, state: 'open', per_page: 100 });
      const found = byBranch[0] ?? recent.find((p) => (p.body ?? '').includes(marker));
      return found ? { number: found.number, url: found.html_url } : undefined;
    },
    create: async () => {
      const { data } = await octokit.rest.pulls.create({ owner, repo, title: proposal.title, head: branch, base, body, draft: true });
      createdNow = true;
      return { number: data.number, url: data.html_url };
    },
  });
  const prNumber = Number(pr.number);
  if (!createdNow) {
    // Found or recorded: this run's evidence replaces the earlier run's.
    await octokit.rest.pulls.update({ owner, repo, pull_number: prNumber, body, title: proposal.title });
  }
  const testLine = tests ? `tests ${describeTests(tests.summary)}` : 'no test command';
  return {
    links: [
      { kind: 'pr', url: String(pr.url), label: `Draft PR #${prNumber}` },
      { kind: 'branch', url: branchUrl, label: branch },
    ],
    summary: `Draft PR #${prNumber}: ${filesChanged} file${filesChanged === 1 ? '' : 's'} changed; ${testLine}.`,
    ...(tests ? { tests: tests.summary } : {}),
    filesChanged,
  };
}

async function runAgent(
  ctx: TaskContext,
  signal: AbortSignal,
  opts: CodexExecutorOptions,
  sdk: typeof import('@openai/codex-sdk'),
  codexPath: string | undefined,
  dir: string,
  prompt: string,
): Promise<string> {
  const home = path.join(opts.dataDir, 'codex', 'home');
  // The CLI exits at once when CODEX_HOME does not exist.
  fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
  const codex = new sdk.Codex({
    baseUrl: opts.openai.baseUrl,
    ...(opts.openai.apiKey ? { apiKey: opts.openai.apiKey } : {}),
    ...(codexPath ? { codexPathOverride: codexPath } : {}),
    env: codexAgentEnv(opts.env ?? process.env, home),
  });
  const thread = codex.startThread({
    workingDirectory: dir,
    sandboxMode: 'workspace-write',
    networkAccessEnabled: false,
    approvalPolicy: 'never',
    webSearchMode: 'disabled',
    // The worktree is a git repository already; this only spares a confusing failure if not.
    skipGitRepoCheck: true,
    ...(opts.model ? { model: opts.model } : {}),
  });
  const timeout = AbortSignal.timeout(opts.agentTimeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  let finalMessage = '';
  let failure: string | undefined;
  try {
    const { events } = await thread.runStreamed(prompt, { signal: both });
    for await (const event of events) {
      const step = stepOf(event, dir);
      if (step) ctx.report({ step });
      if (event.type === 'item.completed' && event.item.type === 'agent_message') finalMessage = event.item.text;
      else if (event.type === 'turn.failed') failure = event.error.message;
      else if (event.type === 'error') failure = event.message;
    }
  } catch (err) {
    if (signal.aborted) throw new ExecutorError('cancelled', { permanent: true, cause: err });
    if (timeout.aborted) throw new ExecutorError(`the Codex agent did not finish within ${Math.round(opts.agentTimeoutMs / 60_000)} min (TEAMMATE_CODEX_TIMEOUT_MS)`, { permanent: true, cause: err });
    throw new ExecutorError(`the Codex agent stopped: ${firstLines((err as Error).message)}`, { permanent: false, cause: err });
  }
  if (failure) {
    const permanent = /\b(401|403|404)\b|unauthori[sz]ed|invalid api key|incorrect api key|model .*(not found|does not exist)/i.test(failure);
    throw new ExecutorError(`the Codex agent failed: ${firstLines(failure)}`, { permanent });
  }
  return finalMessage;
}

/** What the status message shows while the agent works. */
export function stepOf(event: ThreadEvent, dir: string): string | undefined {
  if (event.type === 'turn.started') return 'Codex is working';
  if (event.type !== 'item.started' && event.type !== 'item.updated') return undefined;
  return describeItem(event.item, dir);
}

function describeItem(item: ThreadItem, dir: string): string | undefined {
  const rel = (p: string) => (p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p);
  switch (item.type) {
    case 'command_execution':
      return `Codex: running \`${item.command.length > 80 ? `${item.command.slice(0, 79)}…` : item.command}\``;
    case 'file_change':
      return `Codex: editing ${item.changes.map((c) => rel(c.path)).slice(0, 3).join(', ')}${item.changes.length > 3 ? ', …' : ''}`;
    case 'todo_list': {
      const next = item.items.find((t) => !t.completed);
      return next ? `Codex: ${next.text.slice(0, 100)}` : undefined;
    }
    case 'mcp_tool_call':
      return `Codex: using ${item.tool}`;
    default:
      return undefined;
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' ').slice(0, 500);
}
