import type { Command } from 'commander';
import { buildServices, refreshIndexes } from '../app.js';
import { runConsole } from '../console/run-console.js';
import { formatIndexSummary, ttyProgress } from './index-progress.js';
import { type GlobalOptions, openRuntime, type Runtime } from './runtime.js';

/** Indexes (incrementally), then chats in the terminal until /quit or end of input. */
export async function startConsole(runtime: Runtime): Promise<void> {
  const services = buildServices(runtime);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  await refreshIndexes(services.search, runtime.repos, {
    onProgress: (() => {
      const bars = new Map<string, ReturnType<typeof ttyProgress>>();
      return (repo, p) => {
        if (!bars.has(repo.id)) bars.set(repo.id, ttyProgress(process.stderr, repo.label));
        bars.get(repo.id)!.update(p);
      };
    })(),
    onDone: (repo, s) => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
      process.stderr.write(`${formatIndexSummary(`indexed ${repo.label}`, s)}\n`);
    },
    onError: (repo, err) => process.stderr.write(`could not index ${repo.label}: ${err.message}\n`),
  });
  await runConsole({
    input: process.stdin,
    output: process.stdout,
    status: process.stderr,
    interactive,
    repos: runtime.repos,
    answerQuestion: services.answerQuestion,
    modeLabel: services.modeLabel,
  });
}

export function registerConsoleCommand(program: Command): void {
  program
    .command('console')
    .description('chat about the code in the terminal (reads questions from stdin when piped)')
    .action(async () => {
      // Logs would interleave with the conversation: only warnings and worse unless asked for.
      const opts = program.opts<GlobalOptions>();
      const runtime = openRuntime(opts, { logLevel: opts.logLevel ?? (process.env.LOG_LEVEL || 'warn') });
      try {
        await startConsole(runtime);
      } finally {
        runtime.close();
      }
    });
}
