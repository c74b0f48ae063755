import type { Command } from 'commander';
import os from 'node:os';
import { buildAdapters, buildScanDeps, buildServices } from '../app.js';
import { buildProposalDecisions } from '../build-proposal-decisions.js';
import { runConsole } from '../console/run-console.js';
import { ensureReadable, formatSummary, indexWithProgress } from './index-command.js';
import { createAnswerStore } from '../storage/answer-store.js';
import { cliEnvironment, type GlobalOptions, openRuntime, type Runtime } from './runtime.js';

/** Indexes (incrementally), then chats in the terminal until /quit or end of input. */
async function chat(runtime: Runtime): Promise<void> {
  const adapters = buildAdapters(runtime.config, runtime.logger);
  const services = buildServices(runtime, adapters);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // Incremental: only files changed since the last run are re-read, so this is quick after the first time.
  for (const repo of runtime.repos) {
    try {
      process.stderr.write(`${formatSummary(repo, await indexWithProgress({ index: services.refresh }, repo))}\n`);
    } catch (err) {
      process.stderr.write(`could not index ${repo.label}: ${(err as Error).message}\n`);
    }
  }
  await runConsole({
    input: process.stdin,
    output: process.stdout,
    status: process.stderr,
    interactive,
    repos: runtime.repos,
    answerQuestion: services.answerQuestion,
    modeLabel: services.modeLabel,
    answers: createAnswerStore(runtime.db),
    cards: { ...buildProposalDecisions(runtime, () => buildScanDeps(runtime, adapters)), userId: runtime.config.proposals.consoleUser ?? os.userInfo().username },
  });
}

export function registerConsoleCommand(program: Command): void {
  program
    .command('console')
    .description('chat about the code in the terminal (reads questions from stdin when piped)')
    .action(() => startConsole(program.opts<GlobalOptions>()));
}

/** The console session `console` and `start` (without Slack tokens) both run. */
export async function startConsole(opts: GlobalOptions): Promise<void> {
  // Logs would interleave with the conversation: only warnings and worse unless LOG_LEVEL asks for more.
  const explicitLevel = opts.logLevel ?? cliEnvironment(opts).LOG_LEVEL;
  const runtime = openRuntime(opts, explicitLevel ? {} : { logLevel: 'warn' });
  try {
    // A wrong path is a usage error (clean message, exit 2), not an indexing failure to chat past.
    for (const repo of runtime.repos) ensureReadable(repo);
    await chat(runtime);
  } finally {
    runtime.close();
  }
}
