import os from 'node:os';
import type { Command } from 'commander';
import { createProposalStore } from '../storage/proposal-store.js';
import { queueManualTask } from '../tasks/queue-manual-task.js';
import { CliUsageError } from './index-command.js';
import { type GlobalOptions, openRuntime } from './runtime.js';

const EXECUTORS = ['codex', 'github-issue', 'github-actions'];

/** `teammate task "…" --repo DIR`: queue a task from the terminal (a `manual` proposal approved by you). */
export function registerTaskCommand(program: Command): void {
  program
    .command('task')
    .description('queue a task from the terminal: "teammate task \'add a retry to fetchUser\' --repo DIR"')
    .argument('<description>', 'what to do (the first line is the title)')
    .option('--executor <name>', `what runs it (${EXECUTORS.join(', ')}; default TEAMMATE_EXECUTOR)`)
    .option('--json', 'print {taskId, proposalId} as JSON')
    .action((description: string, flags: { executor?: string; json?: boolean }, cmd: Command) => {
      if (flags.executor !== undefined && !EXECUTORS.includes(flags.executor)) throw new CliUsageError(`--executor must be one of ${EXECUTORS.join(', ')}`);
      if (!description.trim()) throw new CliUsageError('say what the task is: teammate task "…" --repo DIR');
      const runtime = openRuntime(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const repo = runtime.repos[0];
        if (!repo) throw new CliUsageError('no repository: pass --repo DIR or set TEAMMATE_REPOS');
        const user = `cli:${os.userInfo().username}`;
        const executor = flags.executor ?? runtime.config.proposals.executor;
        const { taskId, proposalId } = queueManualTask(createProposalStore(runtime.db), { text: description, repoId: repo.id, executor, user, now: Date.now() });
        process.stdout.write(flags.json ? `${JSON.stringify({ taskId, proposalId })}\n` : `queued task #${taskId} (proposal #${proposalId}) for ${repo.label} with ${executor}; a worker (teammate start or teammate worker) runs it\n`);
      } finally {
        runtime.close();
      }
    });
}
