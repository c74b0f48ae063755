import type { Command } from 'commander';
import { buildAdapters, buildTaskQueue, buildTaskStatusReporter } from '../app.js';
import { CliUsageError } from './index-command.js';
import { type GlobalOptions, openRuntime } from './runtime.js';

/**
 * `teammate worker`: task workers only (no Slack listener), on the same database as the bot;
 * run as many as you like. SIGTERM/SIGINT: stop claiming, let running tasks finish for
 * TEAMMATE_WORKER_GRACE_MS, release the rest, exit 0.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run task workers (approved proposals → executors) without connecting to Slack for events')
    .option('--concurrency <n>', 'tasks run at once (default: TEAMMATE_WORKERS, or 2 when that is 0)')
    .action(async (flags: { concurrency?: string }, cmd: Command) => {
      const runtime = openRuntime(cmd.optsWithGlobals<GlobalOptions>());
      const configured = runtime.config.settings.TEAMMATE_WORKERS;
      const concurrency = flags.concurrency === undefined ? configured || 2 : Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        runtime.close();
        throw new CliUsageError('--concurrency must be an integer from 1 to 64');
      }
      const tasks = buildTaskQueue(runtime, buildAdapters(runtime.config, runtime.logger), { reporter: await buildTaskStatusReporter(runtime), concurrency });
      const workers = tasks.workers!;
      workers.start();
      runtime.logger.info({ concurrency, executors: [...tasks.executors.keys()] }, 'task worker started');
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          runtime.logger.info({ signal, running: workers.running() }, 'stopping the task worker');
          void workers.stop().finally(resolve);
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
      });
      runtime.close();
      runtime.logger.info('task worker stopped');
    });
}
