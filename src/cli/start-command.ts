import type { Command } from 'commander';
import { createApp } from '../app.js';
import { startConsole } from './console-command.js';
import { explainSlackStart } from './explain-slack-start.js';
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
      const app = createApp(runtime);
      try {
        await app.start();
      } catch (err) {
        await app.stop();
        runtime.close();
        throw explainSlackStart(err, runtime.config.slack);
      }
      const shutdown = async (signal: string) => {
        runtime.logger.info({ signal }, 'shutting down');
        await app.stop();
        runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
