import os from 'node:os';
import type { Command } from 'commander';
import { buildAdapters, buildTaskQueue, buildTaskStatusReporter } from '../app.js';
import { changeTask } from '../tasks/change-task.js';
import { TASK_STATUSES, type TaskStatus, type TaskSummary } from '../proposals/types.js';
import { createProposalStore } from '../storage/proposal-store.js';
import { type GlobalOptions, openRuntime } from './runtime.js';

interface TasksFlags {
  readonly json?: boolean;
  readonly status?: string;
  readonly limit?: string;
}

/** The queue as JSON for scripts and tests: one object per task, newest first. */
export function taskToJson(t: TaskSummary) {
  return { id: t.id, proposalId: t.proposalId, status: t.status, executor: t.executor, attempts: t.attempts, lastError: t.lastError ?? null, result: t.result ?? null };
}

export function registerTasksCommand(program: Command): void {
  const tasks = program
    .command('tasks')
    .description('list tasks (approved proposals) and their state, newest first')
    .option('--json', 'print a JSON array of {id, proposalId, status, executor, attempts, lastError, result}')
    .option('--status <status>', `only tasks in this state (${TASK_STATUSES.join(', ')})`)
    .option('--limit <n>', 'most tasks to list', '100')
    .action((flags: TasksFlags, cmd: Command) => {
      const limit = Number(flags.limit ?? '100');
      if (!Number.isInteger(limit) || limit < 1) return usage('--limit must be a positive integer');
      if (flags.status !== undefined && !TASK_STATUSES.includes(flags.status as TaskStatus)) {
        return usage(`--status must be one of ${TASK_STATUSES.join(', ')}`);
      }
      const runtime = openRuntime(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const tasks = createProposalStore(runtime.db).listTasks({ limit, status: flags.status as TaskStatus | undefined });
        process.stdout.write(flags.json ? `${JSON.stringify(tasks.map(taskToJson), null, 2)}\n` : formatTasks(tasks));
      } finally {
        runtime.close();
      }
    });
  for (const action of ['retry', 'cancel'] as const) {
    tasks
      .command(action)
      .description(action === 'retry' ? 'queue a failed or cancelled task again (fresh attempts)' : 'cancel a queued or running task (a running one is stopped by its worker)')
      .argument('<id>', 'task id (see teammate tasks)')
      .action(async (id: string, _flags: unknown, sub: Command) => {
        const taskId = Number(id);
        if (!Number.isInteger(taskId) || taskId < 1) return usage(`${action}: the task id must be a positive integer`);
        const runtime = openRuntime(sub.optsWithGlobals<GlobalOptions>());
        try {
          const { changeDeps } = buildTaskQueue(runtime, buildAdapters(runtime.config, runtime.logger), { reporter: await buildTaskStatusReporter(runtime), concurrency: 0 });
          const result = await changeTask(changeDeps, action, taskId, `cli:${os.userInfo().username}`);
          (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
          if (!result.ok) process.exitCode = 1;
        } finally {
          runtime.close();
        }
      });
  }
}

function usage(message: string): void {
  process.stderr.write(`teammate tasks: ${message}\n`);
  process.exitCode = 2;
}

function formatTasks(tasks: readonly TaskSummary[]): string {
  if (tasks.length === 0) return 'no tasks yet: approve a proposal card to queue one\n';
  return tasks
    .map((t) => {
      const error = t.lastError ? `\n      last error: ${t.lastError.split('\n')[0]}` : '';
      const result = t.result === undefined ? '' : `\n      result: ${JSON.stringify(t.result)}`;
      return `#${t.id}  ${t.status.padEnd(9)} ${t.executor}  attempt ${t.attempts}/${t.maxAttempts}  ${t.title}  (proposal #${t.proposalId}, ${t.repoId})${error}${result}`;
    })
    .join('\n')
    .concat('\n');
}
