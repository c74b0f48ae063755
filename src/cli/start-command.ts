import type { Command } from 'commander';
import { buildServices } from '../app.js';
import { scheduleRecurring } from '../scheduler/schedule-refresh.js';
import { startConsole } from './console-command.js';
import { formatSummary } from './index-command.js';
import { type GlobalOptions, loadCliConfig, openRuntime } from './runtime.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start', { isDefault: true })
    .description('connect to Slack (Socket Mode or HTTP); without SLACK_BOT_TOKEN, start the terminal console')
    .action(async () => {
      const opts = program.opts<GlobalOptions>();
      if (loadCliConfig(opts).slack.mode === 'none') {
        process.stderr.write('No SLACK_BOT_TOKEN set: starting the terminal console (see README → Connect to Slack).\n');
        await startConsole(opts);
        return;
      }
      const runtime = openRuntime(opts);
      const { logger, config } = runtime;
      const services = buildServices(runtime);
      // Loaded here, not at the top: Bolt costs ~0.3 s of start-up that search/index/ask don't need.
      const { createSlackApp } = await import('../slack/slack-app.js');
      const slack = createSlackApp({
        slack: config.slack,
        logger: logger.child({ component: 'slack' }),
        db: runtime.db,
        answerQuestion: services.answerQuestion,
        repos: runtime.repos,
      });
      await slack.start();
      logger.info({ mode: config.slack.mode, port: slack.port, repos: runtime.repos.map((r) => r.label), answers: services.modeLabel }, 'Teammate is connected to Slack');
      // Indexing runs after the listeners are up so Slack deliveries are acked from the first second.
      const refreshAll = async () => {
        for (const repo of runtime.repos) {
          await services.refresh(repo).then(
            (summary) => logger.info({ repo: repo.label }, formatSummary(repo, summary)),
            (err: Error) => logger.error({ repo: repo.label, err }, 'indexing failed; answers for this repository will be incomplete'),
          );
        }
      };
      void refreshAll();
      const refreshJob = config.refreshCron ? scheduleRecurring('refresh-repositories', config.refreshCron, refreshAll, logger) : undefined;
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await refreshJob?.stop();
        await slack.stop().catch((err: Error) => logger.warn({ err }, 'error while disconnecting from Slack'));
        runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
